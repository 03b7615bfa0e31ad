[info]
Certificate pinning: tls_fingerprint (SHA-1) names another certificate than the
server's (which the trust file would accept): the pin wins, exit 77, no
SMTP command inside TLS, no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_fingerprint %FP_SHA1(selfsigned)%

[server]
caps STARTTLS
tls-cert server

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
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*fingerprint.*

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-no-mail]
