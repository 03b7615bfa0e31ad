[info]
SMTP smuggling input b'.\r\n' at end, with -i, sent with BDAT: every line
end is CRLF on the wire, no bare CR/LF, dots stuffed (DATA), and
nothing ends the data early: the server takes exactly one message.

[server]
caps PIPELINING CHUNKING

[args]
-i
bob@example.org

[stdin nonl]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.\r\n

[expect-exit]
0

[expect-messages]
1

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
BDAT 190 LAST
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT

[expect-message]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
