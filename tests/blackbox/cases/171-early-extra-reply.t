[info]
Bytes after the greeting before EHLO was sent (an unsolicited
reply): the replies are out of sequence; exit 76 and the message is never
sent (only commands reach the server; how soon the client notices is open).

[server]
on greeting raw 220 fakesmtp.test ESMTP\r\n250 injected\r\n
allow-violations

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
76

[expect-server]
%RE((?:(?:EHLO|HELO|MAIL|RCPT|DATA|RSET|QUIT)[^\r\n]*\r\n)*)%\
