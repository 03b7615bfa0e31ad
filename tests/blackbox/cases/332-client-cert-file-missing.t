[info]
tls_cert_file names a file that does not exist: a local configuration
error (78); no mail.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
tls_cert_file %TMP%/no-such-client.pem
tls_key_file %TMP%/no-such-client-key.pem

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
mailhop: .*no-such-client.*

[expect-no-mail]
