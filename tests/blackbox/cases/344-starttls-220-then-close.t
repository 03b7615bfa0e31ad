[info]
The server says 220 to STARTTLS and closes instead of a handshake:
exit 75, no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
on STARTTLS reply 220 2.0.0 go ahead && close

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

[expect-no-mail]
