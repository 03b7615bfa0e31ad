[info]
A message without a header block (`echo text | mailhop rcpt`) is
composed like one asked for with --subject: MIME-Version and a
text/plain UTF-8 part marked 8bit (BODY=8BITMIME) besides From, Date
and Message-ID; the body itself is unchanged.

[server]
caps PIPELINING SIZE=100000 8BITMIME

[rc-extra]
from me@example.org

[args]
bob@example.org

[stdin]
disk almost full: 98%
Ärger.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<me@example.org> SIZE=247 BODY=8BITMIME
RCPT TO:<bob@example.org>
DATA
From: me@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

disk almost full: 98%
Ärger.
.
QUIT

[expect-stderr]
