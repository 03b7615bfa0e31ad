[info]
The SMTP server rejects the first refreshed token (it accepts only "at/2"):
error JSON in a 334, empty answer, 535; because the token came from
mailhop's own refresh, it refreshes once more and retries (same or new
connection) with "at/2": delivered, exit 0; two token requests.

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
auth-token at/2
auth-required

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
0

[expect-server-auth all]
results failed: bad bearer token \| ok
tokens at/1 \| at/2

[expect-oauth2]
/ok .*grant_type=refresh_token.*
/ok .*grant_type=refresh_token.*

[expect-messages]
1
