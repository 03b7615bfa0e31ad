[info]
A recipient whose local part is not valid UTF-8 (a Latin-1 byte): exit 65
naming it (non-ASCII shown as '?'), no connection at all.

[server]
caps PIPELINING 8BITMIME SMTPUTF8

[args]
j\xf6rg@example.org

[stdin]
Subject: bad address
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-511@example.org>

Hello.

[expect-exit]
65

[expect-stderr exact]
mailhop: invalid address 'j?rg@example.org': its local part is not valid UTF-8

[expect-connections]
0
