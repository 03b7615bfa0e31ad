[info]
-bd (daemon mode): exit 64 with a clear message.

[server]

[args]
-bd

[expect-exit]
64

[expect-stderr]
mailhop: .*-bd.*

[expect-connections]
0
