[info]
A corrupt session cache file is ignored: full handshake, delivered, and
the file is replaced by a valid 0600 one.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[file .cache/mailhop/tls-session-default-127.0.0.1-%PORT%]
this is not a TLS session\0\xff\x01

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

[expect-server-tls]
handshake ok
resumed no

[expect-file-mode]
%TMP%/.cache/mailhop/tls-session-default-127.0.0.1-%PORT% 0600
