[info]
-C naming a missing file: exit 78.

[options]
no-rc-arg

[server]

[args]
-C
%TMP%/does-not-exist
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
