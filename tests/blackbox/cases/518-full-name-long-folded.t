[info]
A long non-ASCII from_full_name: encoded-words of at most 75 characters,
split between characters, each line at most 76 characters; the address
goes on its own folded line when it does not fit.

[rc-extra]
from_full_name Ærøskøbing Fællesskabets Ølbryggeri og Smørrebrødsforening Københavns Afdeling

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
Subject: long name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-518@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: =?UTF-8?B?w4Zyw7hza8O4YmluZyBGw6ZsbGVzc2thYmV0cyDDmGxicnlnZ2VyaSBv?=
 =?UTF-8?B?ZyBTbcO4cnJlYnLDuGRzZm9yZW5pbmcgS8O4YmVuaGF2bnMgQWZkZWxpbmc=?=
 <alice@example.org>
Subject: long name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-518@example.org>

Body.
.
QUIT
