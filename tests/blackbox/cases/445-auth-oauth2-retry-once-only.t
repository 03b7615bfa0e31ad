[info]
The SMTP server accepts no token at all: after the first rejection mailhop
refreshes and retries once, then gives up: exit 77; two token requests,
two AUTH attempts, nothing delivered.

[options]
oauth2-server yes

[rc-extra]
auth xoauth2
user alice
oauth2_token_endpoint https://127.0.0.1:%OAUTH2_PORT%/ok
oauth2_client_id mailhop-test-client
oauth2_client_secret client-s3cret
oauth2_refresh_token refresh-s3cret
oauth2_tls_trust_file %CERTS%/ca.pem

[server]
caps AUTH=XOAUTH2
auth-token never-this-one

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8.*

[expect-server-auth all]
results failed: bad bearer token \| failed: bad bearer token

[expect-oauth2]
/ok .*
/ok .*

[expect-messages]
0

[expect-no-mail]
