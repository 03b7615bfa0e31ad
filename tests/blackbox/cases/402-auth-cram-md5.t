[info]
auth cram-md5: the server's challenge is fixed (<1896.697170952@fakesmtp.test>),
so the answer is exact: base64("alice " + hex(HMAC-MD5("s3cret", challenge)))
= base64("alice 6fee6a209d7063be01bc7d363e733953"); delivered.

[rc-extra]
auth cram-md5
user alice
password s3cret

[server]
caps AUTH=CRAM-MD5=PLAIN
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
AUTH CRAM-MD5
%B64(alice 6fee6a209d7063be01bc7d363e733953)%
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
mechanism CRAM-MD5
result ok
initial-response no
user alice
