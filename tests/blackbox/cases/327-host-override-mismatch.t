[info]
tls_host_override other.test with a certificate for localhost/127.0.0.1:
the override is what is checked, so it is rejected (exit 77).

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_host_override other.test

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
mailhop: TLS certificate of '(127\.0\.0\.1|other\.test)' rejected: .*(wrong host|does not match).*
  subject: .*CN=localhost.*
  issuer: .*
  valid: .*
  sha256 fingerprint: %FP_SHA256%

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-no-mail]
