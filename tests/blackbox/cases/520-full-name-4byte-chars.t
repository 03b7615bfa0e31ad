[info]
-F with 4-byte UTF-8 characters (emoji) and an ASCII word: one encoded-word
for the whole name.

[server]
caps PIPELINING

[args]
-F
Ana 😀🎉
bob@example.org

[stdin]
Subject: emoji name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-520@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: =?UTF-8?B?QW5hIPCfmIDwn46J?= <alice@example.org>
Subject: emoji name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-520@example.org>

Body.
.
QUIT
