[info]
send_8bit_without_8bitmime on: an 8-bit body goes unchanged to a server
without 8BITMIME, without BODY= (and no SMTPUTF8: nothing needs it).

[rc-extra]
send_8bit_without_8bitmime on

[server]
caps PIPELINING SIZE

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: bob@example.org
Subject: 8-bit body
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-508@example.org>

Grüße aus Köln \xff\xfe

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SIZE=173
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: bob@example.org
Subject: 8-bit body
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-508@example.org>

Grüße aus Köln \xff\xfe
.
QUIT
