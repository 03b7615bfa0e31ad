[info]
A certificate on the CA's CRL (tls_crl_file): exit 77 "revoked".

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_crl_file %CERTS%/crl.pem

[server]
caps PIPELINING STARTTLS
tls-cert revoked

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
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*revoked.*
  subject: .*CN=localhost.*
  issuer: .*CN=mailhop test CA.*
  valid: .*2020.* to .*2089.*
  sha256 fingerprint: %FP_SHA256(revoked)%

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-no-mail]
