[info]
passwordeval exits 1: an rc error (78) naming passwordeval, never an empty
password; no MAIL.

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass

[file getpass mode=0700]
#!/bin/sh
echo 'no secret here' >&2
exit 1

[server]
caps AUTH=PLAIN
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

[expect-stderr contains]
mailhop: .*(passwordeval|getpass).*

[expect-server-auth]
attempts 0

[expect-no-mail]
