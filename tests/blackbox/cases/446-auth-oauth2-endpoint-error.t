[info]
The token endpoint answers 400 invalid_grant (its description holds a
control byte): exit 77 with the endpoint's error text, sanitised; no AUTH,
no MAIL.

[options]
oauth2-server yes

[rc-extra]
auth xoauth2
user alice
oauth2_token_endpoint https://127.0.0.1:%OAUTH2_PORT%/error
oauth2_client_id mailhop-test-client
oauth2_client_secret client-s3cret
oauth2_refresh_token refresh-s3cret
oauth2_tls_trust_file %CERTS%/ca.pem

[server]
caps AUTH=XOAUTH2
auth-token at/1

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
mailhop: .*invalid_grant.*

[expect-server-auth all]
attempts 0

[expect-oauth2]
/error .*

[expect-no-mail]

[expect-stderr-absent]
\x07
refresh-s3cret
client-s3cret
