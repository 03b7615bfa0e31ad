#!/usr/bin/env python3
"""A local OAuth2 token endpoint over HTTPS, for mailhop's tests.

Usage: tokenserver.py --cert CERT --key KEY --record FILE [--port N]

Listens on 127.0.0.1 (port 0 = any free port), prints the port number on
one line on stdout once it accepts connections, and serves until killed.
Every POST is appended to the record file as one line:

    PATH CONTENT-TYPE BODY

(the body is application/x-www-form-urlencoded, so it holds no blank or
newline), flushed before the reply is sent, so a test can check exactly
what mailhop sent and how many requests it made.

The path chooses the behaviour (any other path: 404 with an error JSON):
    /ok        200, access token "at/N" (JSON-escaped as "at\\/N"; N counts
               the requests the server has answered), expires_in 3600
    /short     200, expires_in 30 (inside mailhop's 60 s reuse margin)
    /strexp    200, expires_in given as the string "3599"
    /noexp     200, no expires_in at all
    /error     400, {"error": "invalid_grant", "error_description": ...}
               (the description holds a control byte to be sanitised)
    /unavail   503, an HTML page
    /slow      sleeps 5 s, then answers like /ok
    /garbage   200, a body that is not JSON
    /big       200, a 100 KiB JSON body (over mailhop's response cap)
    /notoken   200, JSON without access_token

Only the Python standard library is used.  Prints nothing else; request
logging is off so the tests' stderr stays clean.
"""
import argparse
import http.server
import json
import ssl
import sys
import threading
import time

SLOW_SECONDS = 5
BIG_BYTES = 100 * 1024


class State:
    lock = threading.Lock()
    count = 0
    record = None


def next_token():
    with State.lock:
        State.count += 1
        return 'at/%d' % State.count


def ok_body(extra):
    body = {'access_token': next_token(), 'token_type': 'Bearer'}
    body.update(extra)
    # json.dumps does not escape '/', so write it the escaped way that
    # some providers use, to exercise the client's unescaping.
    return json.dumps(body).replace('/', '\\/').encode()


def reply_for(path):
    """(status, content type, body) for a path."""
    js = 'application/json'
    if path == '/ok':
        return 200, js, ok_body({'expires_in': 3600})
    if path == '/short':
        return 200, js, ok_body({'expires_in': 30})
    if path == '/strexp':
        return 200, js, ok_body({'expires_in': '3599'})
    if path == '/noexp':
        return 200, js, ok_body({})
    if path == '/slow':
        time.sleep(SLOW_SECONDS)
        return 200, js, ok_body({'expires_in': 3600})
    if path == '/error':
        return 400, js, json.dumps({
            'error': 'invalid_grant',
            'error_description': 'Token has been expired or revoked.\u0007'
        }).encode()
    if path == '/unavail':
        return 503, 'text/html', b'<html><body>busy</body></html>'
    if path == '/garbage':
        return 200, js, b'this is not JSON'
    if path == '/big':
        pad = 'x' * BIG_BYTES
        return 200, js, json.dumps({'pad': pad, 'access_token': 'big'}).encode()
    if path == '/notoken':
        return 200, js, b'{"token_type": "Bearer", "expires_in": 3600}'
    return 404, js, b'{"error": "not_found"}'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):  # keep stderr quiet
        pass

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length).decode('latin-1')
        ctype = self.headers.get('Content-Type', '-')
        with State.lock:
            State.record.write('%s %s %s\n' % (self.path, ctype.replace(' ', ''), body))
            State.record.flush()
        status, rtype, out = reply_for(self.path)
        self.send_response(status)
        self.send_header('Content-Type', rtype)
        self.send_header('Content-Length', str(len(out)))
        self.send_header('Cache-Control', 'no-store')
        self.end_headers()
        try:
            self.wfile.write(out)
        except OSError:
            pass  # the client gave up (timeouts, size cap)

    def do_GET(self):
        self.send_error(405)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # failed handshakes are expected (the wrong-CA tests)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cert', required=True)
    ap.add_argument('--key', required=True)
    ap.add_argument('--record', required=True)
    ap.add_argument('--port', type=int, default=0)
    args = ap.parse_args()
    State.record = open(args.record, 'a', encoding='latin-1')
    httpd = Server(('127.0.0.1', args.port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    # The handshake happens in the handler thread, not in accept().
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True,
                                   do_handshake_on_connect=False)
    sys.stdout.write('%d\n' % httpd.server_address[1])
    sys.stdout.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
