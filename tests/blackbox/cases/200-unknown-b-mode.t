[info]
An unsupported -b mode: exit 64.

[server]

[args]
-bz

[expect-exit]
64

[expect-connections]
0
