[info]
Implicit TLS (tls_starttls off) to a server that speaks plaintext SMTP:
only a TLS ClientHello is sent, never a plaintext SMTP command; exit 75.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem

tls_starttls off

[server]
caps PIPELINING
# the client's TLS ClientHello is not SMTP: expected here
allow-violations

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
mailhop: .*the server speaks plain SMTP first.*

[expect-server]
%RE(\x16\x03(?:(?!EHLO|HELO|MAIL|RCPT|DATA)[\s\S])*)%\

[expect-no-mail]
