[info]
Implicit TLS (tls_starttls off) against a server that greets in plaintext:
exit 75 with a hint to set tls_starttls on; no MAIL.

[options]
timeout 15

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_starttls off
timeout 2

[server]
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
mailhop: .*the server speaks plain SMTP first: set tls_starttls on \(port 587 or 25\).*

[expect-no-mail]
