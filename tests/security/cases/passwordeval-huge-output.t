[info]
passwordeval prints 16 MB: refused as too long (bounded memory); exit
78, no AUTH, no MAIL.

[options]
max-rss-kib 131072

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass

[file getpass mode=0700]
#!/bin/sh
head -c 16777216 /dev/zero | tr '\\0' x

[server]
caps AUTH=PLAIN PIPELINING
auth-user alice s3cret

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
78

[expect-stderr]
mailhop: cannot read output of '.*getpass': more than 65536 bytes

[expect-server]
EHLO localhost
QUIT

[expect-server-auth]
attempts 0

[expect-no-mail]
