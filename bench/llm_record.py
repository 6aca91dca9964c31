#!/usr/bin/env python3
"""A recording proxy between Sparky and a real Ollama-API server (bench/real_llm.sh).

Forwards every request to UPSTREAM unchanged; for each non-streamed `/api/chat` it records
the answer under the request's hash (sha256 of the messages, `role\\ncontent` joined by NUL:
the key tests/suite/llm_real.rs replays by), with the section, prompt and answer tokens and
seconds (model time from the server's timings, and wall time). Writes OUT (JSON) after every answer.

    llm_record.py UPSTREAM OUT   (prints its base URL on stdout)
"""
import hashlib
import http.server
import json
import sys
import threading
import time
import urllib.request

UPSTREAM, OUT = sys.argv[1].rstrip("/"), sys.argv[2]
LOCK = threading.Lock()
RECORDS = {}


def key(messages):
    joined = "\0".join(f"{m['role']}\n{m['content']}" for m in messages)
    return hashlib.sha256(joined.encode()).hexdigest()


def section(body):
    task = next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
    if "opening" in task:
        return "summary"
    fmt = body.get("format") or {}
    try:
        repo = fmt["properties"]["sentences"]["items"]["properties"]["repo"]["enum"][0]
    except (KeyError, IndexError, TypeError):
        repo = "?"
    return f"repos/{repo}"


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self, data):
        req = urllib.request.Request(UPSTREAM + self.path, data=data, method=self.command)
        for h in ("Content-Type", "Authorization"):
            if self.headers.get(h):
                req.add_header(h, self.headers[h])
        try:
            with urllib.request.urlopen(req, timeout=900) as r:
                return r.status, r.read(), r.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), "application/json"

    def reply(self, status, payload, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        self.reply(*self.forward(None))

    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        started = time.time()
        status, payload, ctype = self.forward(data)
        seconds = time.time() - started
        body = json.loads(data or b"{}")
        if self.path == "/api/chat" and status == 200 and body.get("stream") is False:
            answer = json.loads(payload)
            record = {
                "section": section(body),
                "items": [
                    line
                    for m in body["messages"]
                    if m["role"] == "system"
                    for line in m["content"].split("Items of the period")[-1].splitlines()
                    if "[" in line
                ],
                "retry": len(body["messages"]) > 2,
                # What Sparky said of the answer before (a retry's last message).
                "told": body["messages"][-1]["content"] if len(body["messages"]) > 2 else "",
                "content": answer["message"]["content"],
                "truncated": answer.get("done_reason") == "length",
                "prompt_tokens": answer.get("prompt_eval_count", 0),
                "answer_tokens": answer.get("eval_count", 0),
                "wall_seconds": round(seconds, 1),
                "seconds": round(
                    (answer.get("prompt_eval_duration", 0) + answer.get("eval_duration", 0)) / 1e9, 1
                ),
            }
            with LOCK:
                RECORDS[key(body["messages"])] = record
                with open(OUT, "w") as f:
                    json.dump(RECORDS, f, indent=1, sort_keys=True)
                    f.write("\n")
        self.reply(status, payload, ctype)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
