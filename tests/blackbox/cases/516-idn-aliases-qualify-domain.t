[info]
Conversion happens after aliases and qualify_domain: an alias expands to
an unqualified name (qualified with a non-ASCII qualify_domain) and to an
IDN address; both reach the server as A-labels, and the same mailbox in
U-label and A-label form is one recipient.

[rc-extra]
aliases %TMP%/aliases
qualify_domain münchen.example

[file aliases]
team: carol, bob@bücher.example

[server]
caps PIPELINING

[args]
team
bob@xn--bcher-kva.example

[stdin]
From: Alice <alice@example.org>
To: team
Subject: team
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-516@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<carol@xn--mnchen-3ya.example>
RCPT TO:<bob@xn--bcher-kva.example>
DATA
From: Alice <alice@example.org>
To: team
Subject: team
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-516@example.org>

Hello.
.
QUIT
