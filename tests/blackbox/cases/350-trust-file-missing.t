[info]
tls_trust_file names a file that does not exist: exit 78, no mail.

[rc-extra]
tls on
tls_trust_file %TMP%/no-such-ca.pem

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
78

[expect-stderr]
mailhop: .*no-such-ca\.pem.*

[expect-no-mail]
