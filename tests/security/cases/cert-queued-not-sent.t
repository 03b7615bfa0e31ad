[info]
Certificate failure with the queue on: the message is queued (exit 0, one
warning line on stderr as DESIGN says) and nothing is sent in the clear.

[rc]
defaults
timeout 5
queue on
queue_dir %TMP%/q
account default
host 127.0.0.1
port %PORT%
from alice@example.org
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert expired

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

[expect-stderr contains]
mailhop: .*certificate.*

[expect-server-plain]
EHLO localhost
STARTTLS

[expect-no-mail]
