[info]
A handshake failure that is not about the certificate (the server speaks
only TLS 1.3, tls_priorities allows only TLS 1.2): exit 75, no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.2

[server]
caps STARTTLS
tls-cert server
tls-version 1.3

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

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-server-tls]
handshake failed.*

[expect-no-mail]
