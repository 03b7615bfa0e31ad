[info]
The TLS connection is cut (TCP FIN, no close_notify) in the middle of the
message data: exit 75.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
cut-data 40

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
75

[expect-server]
EHLO localhost
STARTTLS
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
%RE(.*)%\
