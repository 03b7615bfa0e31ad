[info]
A refused password (535) with -d and a logfile: exit 77 and the
wrong password still appears nowhere.  Secrets absent from every output: stdout, stderr (the -d transcript),
the logfile (whose fields are also what goes to syslog) and every file
mailhop left under $HOME.

[rc-extra]
auth plain
user alice
password wr0ng-PW
logfile %TMP%/mailhop.log

[server]
caps AUTH=PLAIN
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
77

[expect-stderr contains]
.*AUTH.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0wr0ng-PW)%
QUIT

[expect-secret-absent]
wr0ng-PW
%B64(\0alice\0wr0ng-PW)%
