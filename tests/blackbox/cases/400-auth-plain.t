[info]
auth plain over plaintext (an explicit method is allowed without TLS): the
password goes in the initial response, exactly base64("\0alice\0s3cret");
no PIPELINING, so one command at a time; delivered.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps AUTH=PLAIN=LOGIN
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
user alice

[expect-message]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
