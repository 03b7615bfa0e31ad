[info]
Resumption across runs with implicit TLS.

[options]
runs 2

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_starttls off

[server]
tls-implicit
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
0

[expect-server-tls 1]
mode implicit
resumed no

[expect-server-tls 2]
mode implicit
resumed yes
