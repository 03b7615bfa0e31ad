[info]
Compose mode with an attachment that cannot be read: exit 64 naming the
file, before standard input is read or any connection is made.

[server]
caps PIPELINING

[rc-extra]
from me@example.org

[args]
--attach
no-such-file.pdf
bob@example.org

[stdin]
body

[expect-exit]
64

[expect-stderr]
^mailhop: cannot read attachment 'no-such-file\.pdf': No such file or directory$

[expect-connections]
0
