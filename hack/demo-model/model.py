"""The demo model: a small OpenAI-compatible chat-completions server (Python standard library
only) that `make demo` runs in the cluster when no real model is configured.

It is not a language model. Whatever the prompt, it answers with the source tree of the todo
REST API of examples/todo-rest-api.yaml (todo_api.py beside this file) and an app manifest that
runs it on the Python base image named by $DEMO_BASE_IMAGE. Every answer says "demo model", in
the model name and in this server's log, so nobody mistakes it for generated code.

  POST /v1/chat/completions   the answer (any path ending in /chat/completions works)
  GET  /healthz               200
Listens on $PORT (8080); reads the app from $DEMO_APP_FILE (todo_api.py beside this file).
"""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
APP_FILE = os.environ.get("DEMO_APP_FILE", os.path.join(HERE, "todo_api.py"))
BASE_IMAGE = os.environ["DEMO_BASE_IMAGE"]
MODEL_NAME = "darkfactory-demo-model"


def answer():
    with open(APP_FILE, encoding="utf-8") as source:
        app = source.read()
    tree = {
        "files": [{"path": "todo_api.py", "content": app}],
        "manifest": {"baseImage": BASE_IMAGE,
                     "entrypoint": ["/usr/bin/python3", "/app/todo_api.py"],
                     "port": 8080},
    }
    return {
        "id": "chatcmpl-demo", "object": "chat.completion", "model": MODEL_NAME,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(tree)}}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "darkfactory-demo-model/1"

    def do_GET(self):
        self._send(200 if self.path == "/healthz" else 404, {"model": MODEL_NAME})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)  # the prompt: the demo model answers the same whatever it says
        if not self.path.endswith("/chat/completions"):
            self._send(404, {"error": "the demo model answers POST /v1/chat/completions"})
            return
        print("demo model: answering with the todo REST API (not a real model)", flush=True)
        self._send(200, answer())

    def _send(self, status, value):
        payload = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print("demo model (not a real model) listening on :%d, apps on %s" % (port, BASE_IMAGE), flush=True)
    ThreadingHTTPServer(("", port), Handler).serve_forever()
