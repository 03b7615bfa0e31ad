[info]
-v with AUTH PLAIN: the transcript shows "--> AUTH PLAIN [credentials
hidden]"; neither the password nor base64 of "\0alice\0s3cret", of
"s3cret" or of "alice" appears anywhere in the output.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps AUTH=PLAIN
auth-user alice s3cret
auth-required

[args]
-v
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
--> AUTH PLAIN \[credentials hidden\]
<-- 235 .*
--> MAIL FROM:<alice@example\.org>

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

[expect-stderr-absent]
s3cret
%B64(\0alice\0s3cret)%
%B64(s3cret)%
%B64(alice)%
%B64(alice\0s3cret)%
