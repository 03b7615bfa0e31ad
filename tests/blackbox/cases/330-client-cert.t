[info]
The server requires a client certificate; tls_cert_file/tls_key_file give
it: delivered, and the server saw the client certificate.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_cert_file %CERTS%/client.pem
tls_key_file %CERTS%/client-key.pem

[server]
caps STARTTLS
tls-cert server
tls-client-ca clientca

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
client-cert CN=mailhop test client.*
