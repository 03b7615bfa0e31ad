[info]
STARTTLS stripping: tls on, the server (or a man in the middle) does not
offer STARTTLS.  No plaintext fallback: no MAIL, only QUIT; exit 75.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING 8BITMIME
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
75

[expect-stderr]
mailhop: .*STARTTLS.*

[expect-server]
EHLO localhost
QUIT

[expect-server-tls]
tls none

[expect-no-mail]
