[info]
--serverinfo with an untrusted certificate: errors as usual (exit 77 and
the certificate's facts on stderr).

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert selfsigned

[args]
--serverinfo

[expect-exit]
77

[expect-stderr contains]
mailhop: TLS certificate of '127\.0\.0\.1' rejected: .*self-signed.*
  sha256 fingerprint: %FP_SHA256(selfsigned)%

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%
