[info]
An rc file "eval" command that never finishes: killed after the time
limit (MAILHOP_EVAL_TIMEOUT, 120 s by default), an rc error naming the
line, exit 78; no connection.

[options]
timeout 30
env MAILHOP_EVAL_TIMEOUT=2

[rc-extra]
eval exec sleep 600

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
Subject: test

hello

[expect-exit]
78

[expect-stderr]
mailhop: .*rc:[0-9]+: cannot read output of 'exec sleep 600': it did not finish within 2 seconds

[expect-connections]
0

[expect-no-mail]
