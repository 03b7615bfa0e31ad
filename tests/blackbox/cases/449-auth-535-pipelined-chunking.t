[info]
Wrong password on a server offering PIPELINING and CHUNKING that does not
require authentication (like Postfix accepting mail from its own network):
the message must not travel in the same flight as AUTH (BDAT LAST would
deliver it although AUTH failed and mailhop reports a failure, so a retry
would duplicate it): exit 77 and the server takes no message.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING CHUNKING AUTH=PLAIN
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
mailhop: .*authentication failed.*535 5\.7\.8.*

[expect-messages]
0

[expect-server-auth]
result failed: wrong password.*
