[info]
rc value: password holding a bare CR and a command.  SASL PLAIN carries it
inside base64, so no command is injected: the server sees one AUTH
line, refuses the credentials (535) and mailhop exits 77 with no data.

[server]
caps PIPELINING AUTH=PLAIN
auth-user alice s3cret

[options]
no-rc-arg

[file myrc]
defaults
timeout 5
queue off
account default
host 127.0.0.1
port %PORT%
from alice@example.org
auth plain
user alice
password s3cret\rAUTH

[args]
-C
%TMP%/myrc
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

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret\rAUTH)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
%OPTQUIT%

[expect-messages]
0
