[info]
Built-in OAuth2 refresh with -d and a logfile: the refresh token and
the client secret appear nowhere (not even in the access-token cache);
the access token (cached on purpose, mode 0600, in $XDG_CACHE_HOME) is
absent from stdout, stderr and the logfile.

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
logfile %TMP%/mailhop.log

[server]
caps AUTH=XOAUTH2
auth-token at/1
auth-required

[args]
-d
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

[expect-stderr contains]
.*AUTH.*

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

[expect-secret-absent]
refresh-s3cret
client-s3cret

[expect-stderr-absent]
Bearer at/1
%B64(user=alice\x01auth=Bearer at/1\x01\x01)%

[expect-file %TMP%/mailhop.log]
%RE((?:(?!Bearer at/1)[\s\S])*)%\
