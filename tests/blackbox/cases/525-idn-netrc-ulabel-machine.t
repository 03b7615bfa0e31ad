[info]
host is an international name (looked up as its A-label): ~/.netrc names
the machine by its U-label, as the user wrote it in the rc file; that
entry gives the password, ahead of the "default" entry, while an A-label
entry for another login does not.  (The connection goes over a unix
socket, so no DNS is involved; the netrc lookup still uses host.)

[rc]
defaults
timeout 5
queue off
account default
host bücher.example
socket %SOCK%
from alice@example.org
auth plain
user alice

[file .netrc]
machine xn--bcher-kva.example login bob password nor-this-one
machine bücher.example
  login alice
  password s3cret
default login alice password not-the-default

[server]
listen unix %SOCK%
caps AUTH=PLAIN
auth-user alice s3cret
auth-required

[args]
bob@example.org

[stdin]
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob.

[expect-exit]
0

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: alice@example.org
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob.
.
QUIT

[expect-server-auth]
mechanism PLAIN
result ok
initial-response yes
user alice
