[info]
--pretend shows an international proxy_host in both forms, as it shows
host: what was written, then the A-label that DNS gets.

[rc-extra]
proxy_host prøxy.example

[server]

[args]
--pretend
bob@example.org

[expect-stdout contains]
proxy host = prøxy\.example \(xn--prxy-hra\.example\)
proxy port = 1080

[expect-connections]
0
