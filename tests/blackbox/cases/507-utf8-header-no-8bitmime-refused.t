[info]
Raw UTF-8 in a header, a server with neither SMTPUTF8 nor 8BITMIME, and
send_8bit_without_8bitmime off (the default): exit 65, no MAIL.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-507@example.org>

Hello.

[expect-exit]
65

[expect-stderr exact]
mailhop: the message has 8-bit data but the server does not offer 8BITMIME (set send_8bit_without_8bitmime on to send it anyway)

[expect-server]
EHLO localhost
QUIT

[expect-no-mail]
