[info]
SCRAM-SHA-256 with a wrong password: the server's proof check fails, 535
5.7.8; exit 77, one stderr line with the reply, no MAIL, then QUIT.

[rc-extra]
auth scram-sha-256
user alice
password wrong-password

[server]
caps AUTH=SCRAM-SHA-256
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
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8 Authentication credentials invalid.*

[expect-server]
EHLO localhost
AUTH SCRAM-SHA-256%RE((?: |\r\n))%\
%RE([A-Za-z0-9+/]+=*)%
%RE([A-Za-z0-9+/]+=*)%
QUIT

[expect-server-auth]
mechanism SCRAM-SHA-256
result failed: wrong password.*

[expect-no-mail]
