#!/usr/bin/env python3
"""bench/sink.py - a fast SMTP sink for mailhop's benchmark (stdlib only).

    sink.py --certs DIR --port-file FILE --stats FILE [--timeout SECONDS]

Listens on 127.0.0.1:<free port> (written to --port-file), serves one
connection after the other and throws every message away.  It offers what a
submission server offers: STARTTLS (DIR/server.pem, from tests/tls/mkcerts.sh),
then AUTH PLAIN (any user and password are accepted), PIPELINING, SIZE,
8BITMIME, CHUNKING, ENHANCEDSTATUSCODES.  TLS runs over memory BIOs so the
sink can count the bytes that really crossed the wire: after each connection
one JSON line goes to --stats: {"raw_in": N, "raw_out": N, "data": N,
"messages": N} (raw_* are TCP payload bytes, TLS records included; data is
the message content received, SMTP form, dot-stuffing and the final dot
excluded).  Stops on SIGTERM or after --timeout seconds.
"""
import argparse
import json
import os
import signal
import socket
import ssl
import sys

CAPS_PLAIN = [b"PIPELINING", b"SIZE 0", b"8BITMIME", b"CHUNKING",
              b"ENHANCEDSTATUSCODES", b"STARTTLS"]
CAPS_TLS = [b"PIPELINING", b"SIZE 0", b"8BITMIME", b"CHUNKING",
            b"ENHANCEDSTATUSCODES", b"AUTH PLAIN"]


class Conn:
    def __init__(self, sock, ctx):
        self.sock = sock
        self.ctx = ctx
        self.tls = None
        self.inb = self.outb = None
        self.raw_in = self.raw_out = 0
        self.buf = b""
        self.data = 0
        self.messages = 0
        self.out = []

    # transport -----------------------------------------------------------
    def _recv_raw(self):
        d = self.sock.recv(262144)
        self.raw_in += len(d)
        return d

    def _send_raw(self, d):
        self.raw_out += len(d)
        self.sock.sendall(d)

    def _flush_tls(self):
        d = self.outb.read()
        if d:
            self._send_raw(d)

    def recv(self):
        """More input (plaintext); b"" at the end."""
        if self.tls is None:
            return self._recv_raw()
        # One read returns at most one TLS record: drain them all.
        got = []
        while True:
            try:
                d = self.tls.read(1 << 20)
                if not d:
                    return b"".join(got)
                got.append(d)
            except ssl.SSLWantReadError:
                if got:
                    return b"".join(got)
                self._flush_tls()
                d = self._recv_raw()
                if not d:
                    return b""
                self.inb.write(d)
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                return b"".join(got)

    def send(self, d):
        if self.tls is None:
            self._send_raw(d)
        else:
            self.tls.write(d)
            self._flush_tls()

    def starttls(self):
        self.inb, self.outb = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = self.ctx.wrap_bio(self.inb, self.outb, server_side=True)
        # Bytes the client pipelined after STARTTLS are its ClientHello.
        if self.buf:
            self.inb.write(self.buf)
            self.buf = b""
        while True:
            try:
                self.tls.do_handshake()
                self._flush_tls()
                return
            except ssl.SSLWantReadError:
                self._flush_tls()
                d = self._recv_raw()
                if not d:
                    raise ConnectionError("eof in handshake")
                self.inb.write(d)

    # protocol ------------------------------------------------------------
    def line(self):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                ln, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return ln
            d = self.recv()
            if not d:
                return None
            self.buf += d

    def reply(self, text):
        self.out.append(text.encode() + b"\r\n")
        # Answer when the client has nothing more buffered (PIPELINING).
        if not self.buf:
            self.send(b"".join(self.out))
            self.out = []

    def read_data(self):
        """DATA content up to CRLF.CRLF; counts unstuffed bytes."""
        tail = b"\r\n"
        n = 0
        buf = self.buf
        self.buf = b""
        while True:
            j = (tail + buf).find(b"\r\n.\r\n")
            if j >= 0:
                j -= len(tail)
                n += j + 2
                self.buf = buf[j + 5:]
                break
            n += len(buf)
            tail = (tail + buf)[-4:]
            buf = self.recv()
            if not buf:
                raise ConnectionError("eof in data")
        self.data += n
        self.messages += 1

    def read_bdat(self, size):
        have = min(size, len(self.buf))
        self.buf = self.buf[have:]
        left = size - have
        while left > 0:
            d = self.recv()
            if not d:
                raise ConnectionError("eof in bdat")
            if len(d) > left:
                self.buf = d[left:]
                d = d[:left]
            left -= len(d)
        self.data += size

    def serve(self):
        self.send(b"220 sink.test ESMTP bench sink\r\n")
        while True:
            ln = self.line()
            if ln is None:
                return
            cmd = ln.strip().upper()
            verb = cmd.split(b" ", 1)[0]
            if verb in (b"EHLO", b"HELO"):
                caps = CAPS_TLS if self.tls else CAPS_PLAIN
                lines = [b"sink.test"] + caps
                txt = b"".join(b"250-" + c + b"\r\n" for c in lines[:-1])
                self.out.append(txt + b"250 " + lines[-1] + b"\r\n")
                if not self.buf:
                    self.send(b"".join(self.out))
                    self.out = []
            elif verb == b"STARTTLS":
                self.send(b"".join(self.out) + b"220 2.0.0 go ahead\r\n")
                self.out = []
                self.starttls()
            elif verb == b"AUTH":
                if len(cmd.split()) < 3:
                    self.reply("334 ")
                    if self.line() is None:
                        return
                self.reply("235 2.7.0 accepted")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 2.0.0 ok")
            elif verb == b"DATA":
                self.send(b"".join(self.out) + b"354 go ahead\r\n")
                self.out = []
                self.read_data()
                self.reply("250 2.0.0 ok: thrown away")
            elif verb == b"BDAT":
                parts = cmd.split()
                self.read_bdat(int(parts[1]))
                if len(parts) > 2:
                    self.messages += 1
                    self.reply("250 2.0.0 ok: thrown away")
                else:
                    self.reply("250 2.0.0 chunk ok")
            elif verb == b"QUIT":
                self.send(b"".join(self.out) + b"221 2.0.0 bye\r\n")
                self.out = []
                return
            else:
                self.reply("502 5.5.2 not here")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--certs", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--timeout", type=float, default=3600)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(a.certs, "server.pem"),
                        os.path.join(a.certs, "server-key.pem"))
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(0))
    signal.alarm(int(a.timeout))
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(tmp, a.port_file)
    stats = open(a.stats, "a")
    while True:
        s, _ = ls.accept()
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = Conn(s, ctx)
        try:
            c.serve()
        except (OSError, ssl.SSLError, ConnectionError, ValueError):
            pass
        finally:
            s.close()
        stats.write(json.dumps({"raw_in": c.raw_in, "raw_out": c.raw_out,
                                "data": c.data,
                                "messages": c.messages}) + "\n")
        stats.flush()


if __name__ == "__main__":
    main()
