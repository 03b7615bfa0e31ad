[info]
A message over 256 KiB (SMTP_BDAT_CHUNK) goes as BDAT 262144 then BDAT n LAST.
Input has CRLF line ends, so input and wire sizes are equal.

[server]
caps PIPELINING CHUNKING

[args]
bob@example.org

[stdin crlf]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: big message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

%REPEAT(4500,01234567890123456789012345678901234567890123456789012345678901\r\n)%\

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
BDAT 262144
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: big message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

%REPEAT(4093,01234567890123456789012345678901234567890123456789012345678901\r\n)%\
01234567890123456789012345678901234\
BDAT 26013 LAST
567890123456789012345678901
%REPEAT(406,01234567890123456789012345678901234567890123456789012345678901\r\n)%\
QUIT
