[info]
-F with a byte that is not UTF-8 (Latin-1): the name cannot be encoded
honestly; exit 65, no connection.

[server]
caps PIPELINING

[args]
-F
J\xf6rg
bob@example.org

[stdin]
Subject: bad name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-521@example.org>

Body.

[expect-exit]
65

[expect-stderr exact]
mailhop: invalid full name 'J?rg': it is not valid UTF-8

[expect-connections]
0
