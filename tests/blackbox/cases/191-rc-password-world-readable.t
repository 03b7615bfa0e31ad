[info]
An rc file holding a password must be private: 0644 -> exit 78.

[options]
rc-mode 0644

[rc-extra]
auth plain
user alice
password secret

[server]

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

[expect-connections]
0
