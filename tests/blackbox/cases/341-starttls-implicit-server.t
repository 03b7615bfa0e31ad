[info]
STARTTLS mode against an implicit-TLS server (it waits for a ClientHello,
mailhop for a greeting): 'timeout 2' ends it, exit 75.  (The port-465 hint
cannot be tested: the runner does not bind port 465.)

[options]
timeout 15

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
timeout 2

[server]
tls-implicit
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

[expect-server]
%OPTQUIT%

[expect-no-mail]
