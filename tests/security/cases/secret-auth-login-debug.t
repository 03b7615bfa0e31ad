[info]
AUTH LOGIN with -d and a logfile.  Secrets absent from every output: stdout, stderr (the -d transcript),
the logfile (whose fields are also what goes to syslog) and every file
mailhop left under $HOME.

[rc-extra]
auth login
user alice
password s3cret-PW
logfile %TMP%/mailhop.log

[server]
caps AUTH=LOGIN
auth-user alice s3cret-PW

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
AUTH LOGIN
%B64(alice)%
%B64(s3cret-PW)%
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
s3cret-PW
%B64(s3cret-PW)%
