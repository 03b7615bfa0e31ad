[info]
-f picks the account whose 'from' matches it.

[rc]
defaults
timeout 5
queue off
host 127.0.0.1
port %PORT%

account first
from alice@example.org

account second
from carol@example.org
domain second.example

account default : first

[server]
caps PIPELINING

[args]
-f
carol@example.org
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
0

[expect-server]
EHLO second.example
MAIL FROM:<carol@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
