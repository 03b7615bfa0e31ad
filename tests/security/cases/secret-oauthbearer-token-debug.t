[info]
An OAuth2 bearer token (OAUTHBEARER) with -d and a logfile.  Secrets absent from every output: stdout, stderr (the -d transcript),
the logfile (whose fields are also what goes to syslog) and every file
mailhop left under $HOME.

[rc-extra]
auth oauthbearer
user alice
password ya29.T0KEN-secret
logfile %TMP%/mailhop.log

[server]
caps AUTH=OAUTHBEARER
auth-token ya29.T0KEN-secret

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
AUTH OAUTHBEARER %ANY%
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
ya29.T0KEN-secret
Bearer ya29
