#!/usr/bin/env python3
"""An independent 429 server: every chat request gets 429 with Retry-After: 2 until its 3rd attempt (by
X-Bench-Request-Id), which gets a small JSON completion. Logs (monotonic time, request id, attempt header) per request
to log.tsv so the gaps between attempts are measured on the server's side."""
import http.server, json, sys, time, threading
seen = {}
lock = threading.Lock()
log = open(sys.argv[2] if len(sys.argv) > 2 else 'log.tsv', 'w', buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def parse_request(self):
        # Arrival: the moment the request line has been read, before headers and body are parsed.
        self.arrived = time.monotonic()
        return super().parse_request()
    def _send(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for k, v in headers: self.send_header(k, v)
        self.end_headers(); self.wfile.write(data)
    def _send_then_log(self, rid, att, status, body, headers=()):
        self._send(status, body, headers)
        self.wfile.flush()
        # Answered: the 429 has been handed to the socket; the client can only start its wait after this.
        log.write(f"answered\t{time.monotonic():.6f}\t{rid}\t{att}\n")
    def do_GET(self):
        self._send(200, {"object": "list", "data": [{"id": "m429", "object": "model", "owned_by": "test"}]})
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0)); req = json.loads(self.rfile.read(n) or b'{}')
        rid = self.headers.get('X-Bench-Request-Id'); att = self.headers.get('X-Bench-Attempt', '1')
        t = self.arrived
        with lock:
            k = seen.get(rid, 0) + 1; seen[rid] = k
        log.write(f"{t:.6f}\t{rid}\t{att}\t{k}\n")
        if k < 3:
            self._send_then_log(rid, att, 429, {"error": {"message": "Rate limit reached. Please try again in 2s.", "type": "requests", "param": None, "code": "rate_limit_exceeded"}}, [('Retry-After', '2')])
        elif req.get('stream'):
            events = [{"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m429", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "hello"}, "finish_reason": None}]},
                      {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m429", "choices": [{"index": 0, "delta": {"content": " there"}, "finish_reason": "stop"}]}]
            body = b''.join(b'data: ' + json.dumps(e).encode() + b'\n\n' for e in events) + b'data: [DONE]\n\n'
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers(); self.wfile.write(body)
        else:
            self._send(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "m429",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello there"}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}})
srv = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)
srv.serve_forever()
