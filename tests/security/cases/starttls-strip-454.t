[info]
STARTTLS stripping: STARTTLS answered 454.  No plaintext fallback; exit 75.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
tls-cert server
on STARTTLS reply 454 4.7.0 TLS not available due to temporary reason

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
mailhop: .*STARTTLS.*454 4\.7\.0.*

[expect-server]
EHLO localhost
STARTTLS
QUIT

[expect-server-tls]
tls none

[expect-no-mail]
