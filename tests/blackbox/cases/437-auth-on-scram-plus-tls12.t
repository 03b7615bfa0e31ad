[info]
auth on over TLS 1.2 with SCRAM-SHA-256-PLUS offered: mailhop picks it and
binds the exchange to the TLS channel (p=tls-unique; the fake server checks
the binding data). -PLUS is only offered over TLS 1.2 here: Python's ssl has
no tls-exporter for TLS 1.3.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
auth on
user alice
password s3cret

[server]
caps STARTTLS
tls-cert server
tls-version 1.2
tls-caps AUTH=PLAIN=SCRAM-SHA-256=SCRAM-SHA-256-PLUS
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
AUTH SCRAM-SHA-256-PLUS%RE((?: |\r\n))%\
%RE(cD10bHMtdW5pcXVlLCxuPWFsaWNlLHI9[A-Za-z0-9+/]+=*)%
%RE([A-Za-z0-9+/]+=*)%
%EMPTY%
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
mechanism SCRAM-SHA-256-PLUS
result ok
channel-binding p=tls-unique

[expect-server-tls]
version TLSv1\.2
