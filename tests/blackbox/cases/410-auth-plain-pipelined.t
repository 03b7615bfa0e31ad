[info]
AUTH PLAIN with PIPELINING: RFC 4954 section 4 lets a client pipeline the
envelope after an AUTH that carries an initial response; whether mailhop
does is the engine's choice, so both groupings pass: the bytes are the same
and, when pipelined, MAIL, RCPT and DATA must have come in the same flight
as AUTH (the fake server flags any other early command).

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps PIPELINING AUTH=PLAIN
auth-user alice s3cret
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
AUTH PLAIN %B64(\0alice\0s3cret)%
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
mechanism PLAIN
result ok
initial-response yes
pipelined yes|no
pipelined-with (?:MAIL FROM:<alice@example\.org> \| RCPT TO:<bob@example\.org> \| DATA)?
