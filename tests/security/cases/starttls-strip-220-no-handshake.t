[info]
STARTTLS stripping: 220 to STARTTLS, then the connection closes without a
handshake.  No plaintext fallback; exit 75; no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps PIPELINING STARTTLS
tls-cert server
on STARTTLS reply 220 go ahead && close

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
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-connections]
1

[expect-no-mail]
