[info]
auth plain with STARTTLS: PLAIN is offered before TLS but not after it
(only LOGIN): mailhop fails (69) instead of falling back to LOGIN or
to the capabilities seen before TLS; QUIT inside TLS.

[rc-extra]
tls on
tls_trust_file %CERTS%/ca.pem
auth plain
user alice
password s3cret

[server]
caps STARTTLS AUTH=PLAIN
tls-cert server
tls-caps AUTH=LOGIN
auth-user alice s3cret

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
69

[expect-stderr]
mailhop: .*PLAIN.*

[expect-server]
EHLO localhost
STARTTLS
EHLO localhost
QUIT

[expect-no-mail]
