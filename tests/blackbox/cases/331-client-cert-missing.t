[info]
The server requires a client certificate and none is configured: the
handshake fails, a temporary failure (75); no MAIL, nothing after STARTTLS
in plaintext.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
tls-client-ca clientca

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

[expect-server-tls]
handshake failed.*

[expect-no-mail]
