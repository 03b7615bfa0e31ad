[info]
tls_session_cache off: no cache file, the second run does a full
handshake.

[options]
runs 2

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_session_cache off

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

[expect-server-tls 1]
resumed no

[expect-server-tls 2]
resumed no

[expect-no-file]
%TMP%/.cache/mailhop/tls-session-default-127.0.0.1-%PORT%
