[info]
SMTP smuggling input b'a\r.\rb' at message-start, without -i, sent with DATA: every line
end is CRLF on the wire, no bare CR/LF, dots stuffed (DATA), and
nothing ends the data early: the server takes exactly one message.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin nonl]
a\r.\rbFrom: Alice <alice@example.org>
Subject: s

body\n

[expect-exit]
0

[expect-messages]
1

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: alice@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

a
..
bFrom: Alice <alice@example.org>
Subject: s

body
.
QUIT

[expect-message]
From: alice@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

a
.
bFrom: Alice <alice@example.org>
Subject: s

body
