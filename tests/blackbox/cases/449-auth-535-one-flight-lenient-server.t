[info]
STARTTLS-less AUTH PLAIN on a server offering PIPELINING and CHUNKING:
AUTH, MAIL, RCPT and BDAT LAST with the (small) message go in one flight
(pipeline-group 3: MAIL, RCPT and BDAT are there when MAIL is read).  The
password is wrong but this server does not require AUTH (like Postfix
taking mail from its own network): it takes the message.  The message is
delivered, so mailhop says so and exits 0 with a warning naming the AUTH
failure: a failure exit would make the caller (or the queue) send it
again.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING CHUNKING AUTH=PLAIN
auth-user alice s3cret
pipeline-group 3

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
0

[expect-stderr]
mailhop: warning: the server accepted the message although authentication failed.*535 5\.7\.8.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0wrong-password)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
BDAT 187 LAST
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
QUIT

[expect-messages]
1

[expect-server-auth]
result failed: wrong password.*
