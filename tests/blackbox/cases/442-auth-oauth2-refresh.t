[info]
Built-in OAuth2: no access token cached, so mailhop POSTs grant_type=
refresh_token with the client id/secret and refresh token to the local
HTTPS token endpoint (tests/oauth2/tokenserver.py, test CA trusted through
oauth2_tls_trust_file), gets access token "at/1" (sent JSON-escaped as
"at\/1") and uses it in XOAUTH2; the token is cached with mode 0600.

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
caps AUTH=XOAUTH2=PLAIN
auth-token at/1
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

[expect-server]
EHLO localhost
AUTH XOAUTH2 %B64(user=alice\x01auth=Bearer at/1\x01\x01)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT

[expect-server-auth]
mechanism XOAUTH2
result ok
initial-response yes
user alice
token at/1
[expect-oauth2]
/ok application/x-www-form-urlencoded (?=.*grant_type=refresh_token)(?=.*client_id=mailhop-test-client)(?=.*refresh_token=refresh-s3cret).*

[expect-file-mode]
%TMP%/.cache/mailhop/oauth2-default 0600
