# fish completion for mailhop(1).
# Every option of mailhop's option table (src/cli.c) is listed here;
# tests/unit/test_docs.c checks that none is missing.
# Sendmail's multi-letter flags (-oi, -bm ...) are fish "old-style" (-o).

function __mailhop_accounts
    for rc in (set -q XDG_CONFIG_HOME; and echo $XDG_CONFIG_HOME; or echo ~/.config)/mailhop/config ~/.mailhoprc ~/.msmtprc
        if test -r $rc
            string match -r '^account\s+(\S+)' <$rc | string match -rv '^account|^default$'
            return
        end
    end
end

function __mailhop_queue_ids
    mailhop --queue-list 2>/dev/null | string match -r '^[0-9A-F]{24}'
end

set -l onoff 'on off'

# Sendmail options
complete -c mailhop -s t -l read-recipients -d 'Add recipients from To, Cc and Bcc'
complete -c mailhop -s i -d 'A lone dot line does not end input'
complete -c mailhop -o oi -d 'Same as -i'
complete -c mailhop -s f -l from -x -d 'Envelope sender'
complete -c mailhop -s r -x -d 'Envelope sender (same as -f)'
complete -c mailhop -s F -x -d 'Full name for an added From header'
complete -c mailhop -s N -l dsn-notify -x -a 'never success failure delay off' -d 'DSN conditions'
complete -c mailhop -s R -l dsn-return -x -a 'full hdrs off' -d 'DSN return'
complete -c mailhop -s V -x -d 'DSN envelope id'
complete -c mailhop -s B -x -a '7BIT 8BITMIME' -d 'Body type'
complete -c mailhop -s b -x -a 'm s p i' -d 'Operating mode'
complete -c mailhop -o bm -d 'Send the message on stdin (default)'
complete -c mailhop -o bs -d 'Speak SMTP on stdin and stdout'
complete -c mailhop -o bp -d 'List the queue'
complete -c mailhop -o bi -d 'Rebuild aliases (does nothing)'
complete -c mailhop -s I -d 'Same as -bi'
complete -c mailhop -s q -d 'Flush the queue once (-qXXX too)'
complete -c mailhop -s L -x -d 'Syslog tag'
complete -c mailhop -s o -x -d 'Sendmail option (ignored except -oi)'
complete -c mailhop -s O -x -d 'Ignored'
complete -c mailhop -s A -x -a 'm c' -d 'Ignored'
complete -c mailhop -s G -d 'Ignored'
complete -c mailhop -s U -d 'Ignored'
complete -c mailhop -s m -d 'Ignored'
complete -c mailhop -s n -d 'Ignored'
complete -c mailhop -s h -x -d 'Ignored (hop count)'
complete -c mailhop -s X -r -d 'Ignored; never writes a file'
complete -c mailhop -s v -d 'Verbose: print the SMTP dialogue'

# General options
complete -c mailhop -l help -d 'Print help and exit'
complete -c mailhop -l version -d 'Print the version and exit'
complete -c mailhop -s P -l pretend -d 'Print the resolved account and exit'
complete -c mailhop -s d -l debug -d 'Same as -v'
complete -c mailhop -s S -l serverinfo -d 'Print what the server offers'
complete -c mailhop -l check-config -d 'Check the rc file and exit'
complete -c mailhop -l flush -d 'Flush the queue once'
complete -c mailhop -l queue-list -d 'List the queue'
complete -c mailhop -l queue-delete -x -a '(__mailhop_queue_ids)' -d 'Delete a queued or failed message'
complete -c mailhop -l queue-retry -x -a '(__mailhop_queue_ids)' -d 'Retry a message at the next flush'
complete -c mailhop -l queue -d 'Queue on temporary failure'
complete -c mailhop -l no-queue -d 'Never queue'

# Configuration options
complete -c mailhop -s C -l file -r -F -d 'Rc file'
complete -c mailhop -s a -l account -x -a '(__mailhop_accounts)' -d 'Account'
complete -c mailhop -l host -x -a '(__fish_print_hostnames)' -d 'SMTP server'
complete -c mailhop -l port -x -d 'Server port'
complete -c mailhop -l source-ip -x -d 'Local address to bind'
complete -c mailhop -l proxy-host -x -a '(__fish_print_hostnames)' -d 'SOCKS proxy'
complete -c mailhop -l proxy-port -x -d 'SOCKS proxy port'
complete -c mailhop -l socket -r -F -d 'Unix socket'
complete -c mailhop -l timeout -x -d 'Network timeout (seconds or off)'
complete -c mailhop -l protocol -x -a 'smtp lmtp' -d 'Protocol'
complete -c mailhop -l domain -x -d 'EHLO argument'
complete -c mailhop -l auth -f -a 'on off plain scram-sha-1 scram-sha-256 external gssapi cram-md5 login ntlm oauthbearer xoauth2' -d 'Authentication (--auth=VALUE)'
complete -c mailhop -l user -x -d 'User name'
complete -c mailhop -l passwordeval -x -d 'Command printing the password'
complete -c mailhop -l tls -f -a "$onoff" -d 'TLS (--tls=VALUE)'
complete -c mailhop -l tls-starttls -f -a "$onoff" -d 'STARTTLS (--tls-starttls=VALUE)'
complete -c mailhop -l tls-trust-file -r -F -d 'CA file'
complete -c mailhop -l tls-crl-file -r -F -d 'CRL file'
complete -c mailhop -l tls-fingerprint -x -d 'Certificate fingerprint'
complete -c mailhop -l tls-key-file -r -F -d 'Client key'
complete -c mailhop -l tls-cert-file -r -F -d 'Client certificate'
complete -c mailhop -l tls-certcheck -f -a "$onoff" -d 'Verify the certificate'
complete -c mailhop -l tls-priorities -x -d 'GnuTLS priorities'
complete -c mailhop -l tls-host-override -x -a '(__fish_print_hostnames)' -d 'Host to verify against'
complete -c mailhop -l tls-min-dh-prime-bits -x -d 'Deprecated'

# Message options
complete -c mailhop -l read-envelope-from -d 'Envelope sender from the From header'
complete -c mailhop -l set-from-header -f -a 'auto on off' -d 'From header'
complete -c mailhop -l set-date-header -f -a 'auto off' -d 'Date header'
complete -c mailhop -l set-msgid-header -f -a 'auto off' -d 'Message-ID header'
complete -c mailhop -l remove-bcc-headers -f -a "$onoff" -d 'Remove Bcc headers'
complete -c mailhop -l undisclosed-recipients -f -a "$onoff" -d 'Hide recipients'
complete -c mailhop -l aliases -r -F -d 'Aliases file'
complete -c mailhop -l logfile -r -F -d 'Log file'
complete -c mailhop -l logfile-time-format -x -d 'Strftime format'
complete -c mailhop -l syslog -f -a 'on off LOG_USER LOG_MAIL LOG_LOCAL0 LOG_LOCAL1 LOG_LOCAL2 LOG_LOCAL3 LOG_LOCAL4 LOG_LOCAL5 LOG_LOCAL6 LOG_LOCAL7' -d 'Syslog'
complete -c mailhop -l auto-from -f -a "$onoff" -d 'Obsolete'
complete -c mailhop -l maildomain -x -d 'Obsolete'

# Composing a message
complete -c mailhop -l compose -d 'Compose a MIME message from the body on stdin'
complete -c mailhop -l subject -x -d 'Subject of a composed message'
complete -c mailhop -l to -x -d 'To of a composed message, and a recipient'
complete -c mailhop -l cc -x -d 'Cc of a composed message, and a recipient'
complete -c mailhop -l attach -r -F -d 'Attach a file to a composed message'
