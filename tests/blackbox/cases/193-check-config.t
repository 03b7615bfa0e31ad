[info]
--check-config prints the account and exits 0.

[server]

[args]
--check-config

[expect-exit]
0

[expect-stdout contains]
host = 127\.0\.0\.1

[expect-connections]
0
