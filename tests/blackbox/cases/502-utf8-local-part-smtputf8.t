[info]
A recipient with a UTF-8 local part needs SMTPUTF8: the server offers it,
so MAIL FROM carries SMTPUTF8 and the RCPT has the raw UTF-8 address.  The
message itself is 7-bit: no BODY=.

[server]
caps PIPELINING SIZE 8BITMIME SMTPUTF8

[args]
jörg@example.org

[stdin]
From: Alice <alice@example.org>
To: undisclosed-recipients:;
Subject: UTF-8 local part
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-502@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SIZE=174 SMTPUTF8
RCPT TO:<jörg@example.org>
DATA
From: Alice <alice@example.org>
To: undisclosed-recipients:;
Subject: UTF-8 local part
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-502@example.org>

Hello.
.
QUIT
