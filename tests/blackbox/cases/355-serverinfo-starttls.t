[info]
--serverinfo against a STARTTLS server: greeting, capabilities before
and after TLS, TLS version, certificate subject and fingerprints; QUIT;
exit 0.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING SIZE=1000 STARTTLS
tls-caps PIPELINING SIZE=20000 DSN
tls-cert server

[args]
--serverinfo

[expect-exit]
0

[expect-stderr]

[expect-stdout contains]
.*fakesmtp\.test ESMTP fakesmtp.*
.*STARTTLS.*
.*\b1000\b.*
.*\b20000\b.*
.*DSN.*
.*TLS ?v?1\.3.*
.*CN=localhost.*
.*CN=mailhop test CA.*
.*%FP_SHA256%.*
.*%FP_SHA1%.*

[expect-server]
EHLO localhost
STARTTLS
EHLO localhost
QUIT

[expect-server-plain]
EHLO localhost
STARTTLS
