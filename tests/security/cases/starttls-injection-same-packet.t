[info]
STARTTLS response injection (CVE-2011-0411 class): the reply lines
"250-injected / 250 PIPELINING" arrive in the same packet as the 220.
They must never be taken as the post-TLS EHLO reply: exit 76, no
handshake data answered, only EHLO and STARTTLS (a plaintext QUIT at
most); no MAIL.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

[server]
caps STARTTLS
tls-cert server
on STARTTLS raw 220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 PIPELINING\r\n

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
76

[expect-stderr]
mailhop: .*response injection.*

[expect-server]
EHLO localhost
STARTTLS
%OPTQUIT%

[expect-no-mail]
