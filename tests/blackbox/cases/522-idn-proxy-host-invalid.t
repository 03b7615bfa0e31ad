[info]
proxy_host is converted to its A-label as host is: a name libidn2
refuses (here an empty label after a U-label) is a configuration error
(exit 78, one line naming the key), before any connection.

[rc-extra]
proxy_host bü..example

[server]

[args]
bob@example.org

[expect-exit]
78

[expect-stderr exact]
mailhop: account default from %RCFILE%: invalid host name 'b??..example' for 'proxy_host': empty label

[expect-connections]
0
