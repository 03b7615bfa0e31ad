[info]
--pretend prints the resolved account (msmtp style) and sends nothing.

[server]

[args]
--pretend
bob@example.org

[expect-exit]
0

[expect-stdout contains]
using account default from %RCFILE%
host = 127\.0\.0\.1
port = %PORT%
from = alice@example\.org

[expect-connections]
0
