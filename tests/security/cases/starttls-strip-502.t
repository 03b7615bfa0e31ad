[info]
STARTTLS stripping: STARTTLS answered 502 (a downgrading middlebox
rewrites it).  No plaintext fallback: exit 69 or 75, never 0; no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
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
mailhop: .*STARTTLS.*502 5\.5\.1.*

[expect-server]
EHLO localhost
STARTTLS
QUIT

[expect-server-tls]
tls none

[expect-no-mail]
