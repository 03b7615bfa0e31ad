[info]
auth login, the server's first 334 challenge is not base64: a protocol
error, exit 76, no crash; mailhop may cancel with "*" and/or QUIT.

[rc-extra]
auth login
user alice
password s3cret

[server]
caps AUTH=LOGIN
auth-user alice s3cret
on AUTH challenge-garbage

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
AUTH LOGIN
%RE((?:\*\r\n)?)%\
%OPTQUIT%

[expect-no-mail]
