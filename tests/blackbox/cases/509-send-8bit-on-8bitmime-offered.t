[info]
send_8bit_without_8bitmime on changes nothing when the server offers
8BITMIME: BODY=8BITMIME is still sent.

[rc-extra]
send_8bit_without_8bitmime on

[server]
caps 8BITMIME

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: bob@example.org
Subject: 8-bit body
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-509@example.org>

Grüße

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> BODY=8BITMIME
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: bob@example.org
Subject: 8-bit body
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-509@example.org>

Grüße
.
QUIT
