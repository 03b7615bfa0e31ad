[info]
auth cram-md5, the server's challenge is 12000 bytes once decoded (16000
base64 characters): larger than mailhop accepts; exit 76, no crash.

[rc-extra]
auth cram-md5
user alice
password s3cret

[server]
caps AUTH=CRAM-MD5
auth-user alice s3cret
on AUTH challenge-huge 12000

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
AUTH CRAM-MD5
%RE((?:\*\r\n)?)%\
%OPTQUIT%

[expect-no-mail]
