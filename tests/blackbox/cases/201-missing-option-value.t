[info]
-f without its value: exit 64.

[server]

[args]
-f

[expect-exit]
64

[expect-connections]
0
