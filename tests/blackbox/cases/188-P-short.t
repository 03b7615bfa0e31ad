[info]
-P is --pretend.

[server]

[args]
-P
bob@example.org

[expect-exit]
0

[expect-stdout contains]
using account default from %RCFILE%

[expect-connections]
0
