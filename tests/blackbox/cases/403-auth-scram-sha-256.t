[info]
auth scram-sha-256 (RFC 5802/7677) against the fake server's own SCRAM
implementation: client-first "n,,n=alice,r=..." (no channel binding without
TLS), client-final with the proof, then an empty answer to the server's
verifier; 235, delivered. The client-first message rides on the AUTH
line as an initial response (RFC 4954 §4 allows it for any mechanism;
it saves a round trip): this case pins that wire form.

[rc-extra]
auth scram-sha-256
user alice
password s3cret

[server]
caps AUTH=SCRAM-SHA-256=PLAIN
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
AUTH SCRAM-SHA-256 %RE(biwsbj1hbGljZSxy[A-Za-z0-9+/]+=*)%
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
initial-response yes
user alice
channel-binding n
attempts 1
