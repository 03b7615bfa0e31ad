[info]
STARTTLS with a certificate from the test CA (tls_trust_file): delivered.
STARTTLS is sent alone (the server offers PIPELINING and flags any pipelined
byte after it), only EHLO and STARTTLS travel in plaintext, EHLO is sent
again after the handshake, and no SNI is sent for an IP address.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
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

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-server-tls]
mode starttls
handshake ok
version TLSv1\.3
resumed no
client-cert none
sni none

[expect-message]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
