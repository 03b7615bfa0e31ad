[info]
STARTTLS answered 502: no plaintext fallback, only QUIT follows; exit 75
(a temporary failure: the account demands TLS).

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
on STARTTLS reply 502 5.5.1 command not implemented

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

[expect-stderr]
mailhop: .*STARTTLS.*502 5\.5\.1 command not implemented.*

[expect-server]
EHLO localhost
STARTTLS
QUIT

[expect-server-tls]
tls none

[expect-no-mail]
