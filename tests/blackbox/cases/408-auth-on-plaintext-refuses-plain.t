[info]
auth on over an unencrypted connection, the server offers only PLAIN and
LOGIN: mailhop may not send the password in the clear, so it does not
authenticate at all: exit 69 naming what was offered; nothing after EHLO
but QUIT.

[rc-extra]
auth on
user alice
password s3cret

[server]
caps PIPELINING AUTH=PLAIN=LOGIN
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
mailhop: server '127\.0\.0\.1' offers no authentication method mailhop may use \(offered: PLAIN LOGIN\).*

[expect-server]
EHLO localhost
QUIT

[expect-server-auth]
attempts 0

[expect-no-mail]
