#!/usr/bin/env python3
"""socks5.py - a minimal SOCKS5 proxy for mailhop's tests (RFC 1928).

Accepts "no authentication" only and the CONNECT command.  Every target it
is asked for is logged to --log as "HOST:PORT" and, whatever the name, the
connection goes to 127.0.0.1:PORT (so tests can ask for names that do not
resolve on this machine and prove the proxy, not mailhop, resolved them).
--refuse makes it answer CONNECT with reply code 5 (connection refused).
--target-port N connects to 127.0.0.1:N whatever port was asked for (the
log still shows the port asked for): mailhop can then be told port 465,
which a test cannot listen on, and reach a test server elsewhere.
Serves --max-connections connections, then exits; --timeout bounds its life.
"""
import argparse
import os
import socket
import struct
import sys
import threading


def recv_exact(s, n):
    data = b''
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(conn, args):
    ver, n = recv_exact(conn, 2)
    methods = recv_exact(conn, n)
    if ver != 5 or 0 not in methods:
        conn.sendall(b'\x05\xff')
        return
    conn.sendall(b'\x05\x00')
    ver, cmd, _, atyp = recv_exact(conn, 4)
    if atyp == 3:
        host = recv_exact(conn, recv_exact(conn, 1)[0]).decode('ascii', 'replace')
    elif atyp == 1:
        host = socket.inet_ntoa(recv_exact(conn, 4))
    else:
        host = '[ipv6]'
        recv_exact(conn, 16)
    port = struct.unpack('!H', recv_exact(conn, 2))[0]
    with open(args.log, 'a') as f:
        f.write('%s:%d\n' % (host, port))
    if args.refuse or cmd != 1:
        conn.sendall(b'\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00')
        return
    up = socket.create_connection(('127.0.0.1', args.target_port or port),
                                  timeout=10)
    conn.sendall(b'\x05\x00\x00\x01\x7f\x00\x00\x01' + struct.pack('!H', port))
    t = threading.Thread(target=pump, args=(up, conn), daemon=True)
    t.start()
    pump(conn, up)
    t.join(10)
    up.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--port-file', required=True)
    p.add_argument('--log', required=True)
    p.add_argument('--refuse', action='store_true')
    p.add_argument('--target-port', type=int, default=0)
    p.add_argument('--max-connections', type=int, default=1)
    p.add_argument('--timeout', type=float, default=30)
    args = p.parse_args()
    ls = socket.socket()
    ls.bind(('127.0.0.1', 0))
    ls.listen(4)
    ls.settimeout(args.timeout)
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % ls.getsockname()[1])
    os.rename(tmp, args.port_file)
    for _ in range(args.max_connections):
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            break
        conn.settimeout(args.timeout)
        try:
            serve(conn, args)
        except (EOFError, OSError) as e:
            print('socks5.py: %s' % e, file=sys.stderr)
        finally:
            conn.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
