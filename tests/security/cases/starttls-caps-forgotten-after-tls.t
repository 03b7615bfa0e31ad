[info]
Capabilities learnt before STARTTLS (here AUTH=PLAIN and SIZE offered only
in plaintext) are forgotten: after the handshake EHLO is sent again and only
the TLS capabilities count (no AUTH attempted, no SIZE= parameter).

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS PIPELINING SIZE=100000 AUTH=PLAIN
tls-cert server
tls-caps PIPELINING

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

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-server]
EHLO localhost
STARTTLS
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT

[expect-server-auth]
attempts 0
