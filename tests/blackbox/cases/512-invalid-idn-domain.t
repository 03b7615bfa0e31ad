[info]
A recipient domain that is not valid UTF-8 has no A-label form: exit 65
naming the address, no connection.

[server]
caps PIPELINING 8BITMIME SMTPUTF8

[args]
bob@b\xfccher.example

[stdin]
Subject: bad domain
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-512@example.org>

Hello.

[expect-exit]
65

[expect-stderr]
mailhop: invalid address 'bob@b\?cher\.example': its domain has no A-label form \(.*\)

[expect-connections]
0
