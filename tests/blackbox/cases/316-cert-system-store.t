[info]
No tls_trust_file: the system trust store is used, which does not know
the test CA: exit 77 (verification is on by default).

[rc-extra]
tls on

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

[expect-stderr]
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*unknown issuer.*
  subject: .*CN=localhost.*
  issuer: .*CN=mailhop test CA.*
  valid: .*
  sha256 fingerprint: %FP_SHA256%

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-no-mail]
