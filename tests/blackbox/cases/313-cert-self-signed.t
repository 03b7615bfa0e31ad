[info]
A self-signed certificate: exit 77 "self-signed"; nothing sent.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
tls-cert selfsigned

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
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*self-signed.*
  subject: .*CN=localhost.*
  issuer: .*CN=localhost.*
  valid: .*2020.* to .*2089.*
  sha256 fingerprint: %FP_SHA256(selfsigned)%

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-no-mail]
