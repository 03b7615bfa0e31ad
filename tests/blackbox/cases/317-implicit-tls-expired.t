[info]
Implicit TLS with an expired certificate: exit 77, no SMTP command at all
(at most a QUIT inside TLS) and no plaintext byte.

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

[expect-stderr]
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*expired.*
  subject: .*CN=localhost.*
  issuer: .*CN=mailhop test CA.*
  valid: .*2000.* to .*2001.*
  sha256 fingerprint: %FP_SHA256(expired)%

[expect-server]
%OPTQUIT%

[expect-server-plain]

[expect-no-mail]
