[info]
Two runs against one server: the second resumes the TLS session saved
by the first (asserted by the server), -v says so; the cache file is 0600
in a 0700 directory under $XDG_CACHE_HOME/mailhop.

[options]
runs 2

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server

[args]
-v
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

[expect-stderr contains run=1]
(mailhop: )?TLS started: TLS1\.3, \S.*

[expect-stderr contains run=2]
(mailhop: )?TLS started: TLS1\.3, \S.*
(mailhop: )?TLS session resumed

[expect-server 2]
EHLO localhost
STARTTLS
EHLO localhost
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

[expect-server-tls 1]
handshake ok
resumed no

[expect-server-tls 2]
handshake ok
resumed yes

[expect-file-mode]
%TMP%/.cache/mailhop 0700
%TMP%/.cache/mailhop/tls-session-default-127.0.0.1-%PORT% 0600
