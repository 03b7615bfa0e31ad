[info]
AUTH PLAIN (initial response) answered with a 334 challenge although PLAIN
has nothing more to say: a protocol error, exit 76.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps AUTH=PLAIN
auth-user alice s3cret
on AUTH raw 334 Zm9v\r\n

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
76

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret)%
%RE((?:\*\r\n)?)%\
%OPTQUIT%

[expect-no-mail]
