[info]
Compose mode (--subject, --to): mailhop builds the header block itself:
To, an RFC 2047 Subject, MIME-Version and a text/plain UTF-8 part marked
8bit (so BODY=8BITMIME), plus the usual From, Date and Message-ID; --to
is also the envelope recipient.

[server]
caps PIPELINING SIZE=100000 8BITMIME

[rc-extra]
from me@example.org

[args]
--subject
Grüße aus Köln
--to
bob@example.org

[stdin]
Hallo Bob,
schöne Grüße.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<me@example.org> SIZE=313 BODY=8BITMIME
RCPT TO:<bob@example.org>
DATA
From: me@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
To: bob@example.org
Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hallo Bob,
schöne Grüße.
.
QUIT

[expect-stderr]
