[info]
-v with AUTH LOGIN: both answers to the 334 challenges show as "-->
[credentials hidden]"; the password and the base64 of user and password
never appear.

[rc-extra]
auth login
user alice
password s3cret

[server]
caps AUTH=LOGIN
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
--> AUTH LOGIN
--> \[credentials hidden\]
<-- 235 .*

[expect-server]
EHLO localhost
AUTH LOGIN
%B64(alice)%
%B64(s3cret)%
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
%B64(s3cret)%
%B64(alice)%
