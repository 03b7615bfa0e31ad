[info]
A trust file that holds no certificate fails to load: exit 78.

[rc-extra]
tls on
tls_trust_file %TMP%/bad-ca.pem

[file bad-ca.pem mode=0644]
this is not a certificate

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
mailhop: .*bad-ca\.pem.*

[expect-no-mail]
