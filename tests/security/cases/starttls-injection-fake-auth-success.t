[info]
STARTTLS response injection of a whole fake dialogue: 235 and 250 replies
pipelined after the 220 (an attacker answering AUTH/MAIL in plaintext).
exit 76, nothing but EHLO and STARTTLS reaches the server, no AUTH, no
MAIL, no credentials.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

auth plain
user alice
password s3cret

[server]
caps STARTTLS
tls-cert server
tls-caps AUTH=PLAIN
auth-user alice s3cret
on STARTTLS raw 220 go\r\n250 x\r\n235 2.7.0 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n

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
STARTTLS
%OPTQUIT%

[expect-server-auth]
attempts 0

[expect-secret-absent]
s3cret
%B64(\0alice\0s3cret)%

[expect-no-mail]
