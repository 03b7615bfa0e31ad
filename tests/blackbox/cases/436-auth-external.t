[info]
auth external with a client certificate over STARTTLS: AUTH EXTERNAL with
an initial response ("=" when no authorization identity is asked for);
the server accepts because it saw the certificate; delivered.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_cert_file %CERTS%/client.pem
tls_key_file %CERTS%/client-key.pem
auth external

[server]
caps STARTTLS
tls-cert server
tls-client-ca clientca
tls-caps AUTH=EXTERNAL=PLAIN
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
AUTH EXTERNAL %RE((?:=|[A-Za-z0-9+/]+=*))%
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
mechanism EXTERNAL
result ok
initial-response yes
user CN=mailhop test client.*

[expect-server-tls]
client-cert CN=mailhop test client.*
