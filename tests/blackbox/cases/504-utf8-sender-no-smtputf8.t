[info]
A UTF-8 local part in the envelope sender (-f) also needs SMTPUTF8: the
server has neither SMTPUTF8 nor 8BITMIME; the sender is named, exit 65.

[server]
caps PIPELINING

[args]
-f
рита@example.org
bob@example.org

[stdin]
Subject: UTF-8 sender
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-504@example.org>

Hello.

[expect-exit]
65

[expect-stderr]
mailhop: address <\?{8}@example\.org> needs SMTPUTF8, which server '127\.0\.0\.1' does not offer

[expect-server]
EHLO localhost
QUIT

[expect-no-mail]
