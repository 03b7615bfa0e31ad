[info]
Certificate failure (implicit): the server presents an expired certificate.
The handshake is refused: exit 77 (queue off), one error line naming
the certificate, not one SMTP command inside TLS, no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

tls_starttls off

[server]
tls-implicit
tls-cert expired

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
77

[expect-stderr contains]
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*

[expect-server-plain]

[expect-server]
%OPTQUIT%

[expect-server-tls]
handshake failed.*

[expect-no-mail]
