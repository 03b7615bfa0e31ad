[info]
STARTTLS stripping: the connection is dropped on STARTTLS.  mailhop does
not reconnect in plaintext (only one connection); exit 75, no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
tls-cert server
on STARTTLS close

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
75

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-connections]
1

[expect-server-tls]
tls none

[expect-no-mail]
