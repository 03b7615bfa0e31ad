[info]
logfile "-": one msmtp-format log line on standard output after a
delivery, with the server's final reply and EX_OK.

[server]
caps PIPELINING SIZE=100000
on dot reply 250 2.0.0 Ok: queued as ABC123

[rc-extra]
from alice@example.org
logfile -
logfile_time_format %Y

[args]
bob@example.org
carol@example.org

[stdin]
From: Alice <alice@example.org>
Subject: log me
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <log-1@example.org>

body

[expect-exit]
0

[expect-stdout]
^20[0-9][0-9] host=127\.0\.0\.1 tls=off auth=off from=alice@example\.org recipients=bob@example\.org,carol@example\.org mailsize=[0-9]+ smtpstatus=250 smtpmsg='250 2\.0\.0 Ok: queued as ABC123' exitcode=EX_OK$

[expect-stderr]
