[info]
-S with implicit TLS: greeting, capabilities, TLS facts; exit 0.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_starttls off

[server]
tls-implicit
tls-cert server
caps PIPELINING SIZE=20000

[args]
-S

[expect-exit]
0

[expect-stderr]

[expect-stdout contains]
.*fakesmtp\.test ESMTP fakesmtp.*
.*\b20000\b.*
.*TLS ?v?1\.3.*
.*CN=localhost.*
.*%FP_SHA256%.*

[expect-server]
EHLO localhost
QUIT

[expect-server-plain]
