[info]
-bi: no-op, exit 0, no connection.

[server]

[args]
-bi

[expect-exit]
0

[expect-connections]
0
