[info]
The TLS session cache file is a symbolic link to another file: the
new session is written to a fresh file renamed over the link, never
through it; the other file is unchanged; the mail goes out (exit 0).

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[symlink .cache/mailhop/tls-session-default-127.0.0.1-%PORT%]
%TMP%/victim

[file victim]
precious

[server]
caps STARTTLS
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
0

[expect-stderr]

[expect-server]
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

[expect-file %TMP%/victim]
precious

[expect-file-mode]
%TMP%/.cache/mailhop/tls-session-default-127.0.0.1-%PORT% 0600
