[info]
A NUL byte in the message: exit 65 naming the line, nothing sent.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
Subject: nul

ab\0cd
more

[expect-exit]
65

[expect-stderr]
mailhop: .*message contains a NUL byte \(line 3\).*

[expect-no-mail]
