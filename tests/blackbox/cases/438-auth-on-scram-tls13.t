[info]
auth on over TLS 1.3; the server offers SCRAM-SHA-256-PLUS too but the fake
server cannot check tls-exporter and withdraws it, so SCRAM-SHA-256 and
PLAIN remain: SCRAM-SHA-256 is chosen (gs2 flag "y" or "n": the server did
not offer -PLUS, so "y" is no downgrade); delivered.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
auth on
user alice
password s3cret

[server]
caps STARTTLS
tls-cert server
tls-version 1.3
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
AUTH SCRAM-SHA-256%RE((?: |\r\n))%\
%RE((?:eSws|biws)bj1hbGljZSxy[A-Za-z0-9+/]+=*)%
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
mechanism SCRAM-SHA-256
result ok
channel-binding [yn]

[expect-server-tls]
version TLSv1\.3
