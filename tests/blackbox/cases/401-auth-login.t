[info]
auth login: "AUTH LOGIN" without an initial response, then the user name and
the password, each base64 in answer to a 334 challenge; delivered.

[rc-extra]
auth login
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

[expect-server-auth]
mechanism LOGIN
result ok
initial-response no
user alice
