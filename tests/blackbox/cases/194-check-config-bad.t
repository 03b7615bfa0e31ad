[info]
--check-config on a bad file: exit 78.

[rc]
account default
host 127.0.0.1
port %PORT%
timeout forever

[server]

[args]
--check-config

[expect-exit]
78

[expect-stderr]
mailhop: %RCFILE%:4: .*

[expect-connections]
0
