[info]
-I is -bi.

[server]

[args]
-I

[expect-exit]
0

[expect-connections]
0
