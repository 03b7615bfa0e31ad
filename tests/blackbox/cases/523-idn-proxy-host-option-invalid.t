[info]
--proxy-host goes through the same conversion: a name with a disallowed
code point (U+2603) is exit 78 with one line naming proxy_host.

[server]

[args]
--proxy-host=\xe2\x98\x83.example
bob@example.org

[expect-exit]
78

[expect-stderr exact]
mailhop: account default from %RCFILE%: invalid host name '???.example' for 'proxy_host': string contains a disallowed character

[expect-connections]
0
