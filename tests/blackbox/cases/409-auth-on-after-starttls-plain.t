[info]
auth on with tls on: AUTH is offered only after STARTTLS (as real servers
do), PLAIN and LOGIN only; over TLS auth on uses PLAIN with its initial
response. Only EHLO and STARTTLS travel in plaintext.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
auth on
user alice
password s3cret

[server]
caps STARTTLS
tls-cert server
tls-caps AUTH=LOGIN=PLAIN
auth-user alice s3cret
auth-required

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
AUTH PLAIN %B64(\0alice\0s3cret)%
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
mechanism PLAIN
result ok
initial-response yes
user alice

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-server-tls]
handshake ok
