[info]
A recipient with a UTF-8 local part and a server without SMTPUTF8: exit 65
before MAIL, naming the address and the server; nothing but EHLO and QUIT.

[server]
caps PIPELINING 8BITMIME

[args]
bob@example.org
jörg@example.org

[stdin]
Subject: UTF-8 local part
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-503@example.org>

Hello.

[expect-exit]
65

[expect-stderr exact]
mailhop: address <j??rg@example.org> needs SMTPUTF8, which server '127.0.0.1' does not offer

[expect-server]
EHLO localhost
QUIT

[expect-no-mail]
