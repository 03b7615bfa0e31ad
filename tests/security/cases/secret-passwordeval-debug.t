[info]
passwordeval's output used for AUTH PLAIN, with -d and a logfile.  Secrets absent from every output: stdout, stderr (the -d transcript),
the logfile (whose fields are also what goes to syslog) and every file
mailhop left under $HOME.

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass
logfile %TMP%/mailhop.log

[file getpass mode=0700]
#!/bin/sh
echo ev4l-PW

[server]
caps AUTH=PLAIN
auth-user alice ev4l-PW

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
AUTH PLAIN %B64(\0alice\0ev4l-PW)%
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
ev4l-PW
%B64(\0alice\0ev4l-PW)%
