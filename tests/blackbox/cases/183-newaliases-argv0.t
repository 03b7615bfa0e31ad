[info]
Called as newaliases: no-op, exit 0.

[options]
argv0 newaliases

[server]

[args]

[expect-exit]
0

[expect-connections]
0
