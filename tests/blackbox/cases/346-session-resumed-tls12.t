[info]
Resumption across runs with TLS 1.2 as well.

[options]
runs 2

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
tls-version 1.2

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
version TLSv1\.2
resumed no

[expect-server-tls 2]
version TLSv1\.2
resumed yes
