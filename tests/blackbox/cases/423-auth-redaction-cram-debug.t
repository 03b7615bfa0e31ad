[info]
-d (debug) with CRAM-MD5 on a wrong password: the failure is reported (77)
but the password, its base64 and the CRAM-MD5 answer never appear.

[rc-extra]
auth cram-md5
user alice
password s3cret

[server]
caps AUTH=CRAM-MD5
auth-user alice other-password

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
--> \[credentials hidden\]
mailhop: .*authentication failed.*535.*

[expect-server]
EHLO localhost
AUTH CRAM-MD5
%B64(alice 6fee6a209d7063be01bc7d363e733953)%
QUIT

[expect-stderr-absent]
s3cret
%B64(s3cret)%
%B64(alice 6fee6a209d7063be01bc7d363e733953)%
6fee6a209d7063be01bc7d363e733953
