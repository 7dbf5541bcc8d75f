"""A REST service that keeps todo items in memory (Python standard library only).

GET /todos lists the items, POST /todos {"title": "...", "priority": n} adds one (201, ids count
up from 1; priority is optional, 0 when left out), GET /todos/{id} returns one, DELETE /todos/{id}
removes one (204); an unknown id answers 404, a title that is not a non-empty string or a
priority that is not an integer 400. GET /healthz answers 200. Listens on $PORT (8080).

This is the program the demo model answers with (hack/demo-model/model.py) and the end-to-end
suite's REST scenario builds: what a model that understood examples/todo-rest-api.yaml writes.
"""
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEM_PATH = re.compile(r"^/todos/(\d+)$")
MAX_BODY = 64 * 1024


class Todos:
    """The items, guarded by a lock: the server answers each request on its own thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}
        self._next_id = 1

    def all(self):
        with self._lock:
            return list(self._items.values())

    def get(self, item_id):
        with self._lock:
            return self._items.get(item_id)

    def add(self, title, priority):
        with self._lock:
            item = {"id": self._next_id, "title": title, "done": False, "priority": priority}
            self._items[item["id"]] = item
            self._next_id += 1
            return item

    def remove(self, item_id):
        with self._lock:
            return self._items.pop(item_id, None) is not None


TODOS = Todos()


class Handler(BaseHTTPRequestHandler):
    server_version = "todo-api/1"

    def do_GET(self):
        if self.path == "/healthz":
            self._send(200, {"status": "ok"})
        elif self.path == "/todos":
            self._send(200, TODOS.all())
        else:
            item = self._item_id()
            found = TODOS.get(item) if item is not None else None
            if found is None:
                self._send(404, {"error": "no such todo: " + self.path})
            else:
                self._send(200, found)

    def do_POST(self):
        if self.path != "/todos":
            self._send(404, {"error": "no such resource: " + self.path})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"error": "body larger than %d bytes" % MAX_BODY})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            self._send(400, {"error": "the body is not JSON"})
            return
        title = body.get("title") if isinstance(body, dict) else None
        if not isinstance(title, str) or not title.strip():
            self._send(400, {"error": "title must be a non-empty string"})
            return
        priority = body.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool):
            self._send(400, {"error": "priority must be an integer"})
            return
        self._send(201, TODOS.add(title, priority))

    def do_DELETE(self):
        item = self._item_id()
        if item is not None and TODOS.remove(item):
            self._send(204, None)
        else:
            self._send(404, {"error": "no such todo: " + self.path})

    def _item_id(self):
        match = ITEM_PATH.match(self.path)
        return int(match.group(1)) if match else None

    def _send(self, status, value):
        payload = b"" if value is None else json.dumps(value).encode()
        self.send_response(status)
        if value is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print("todo-api listening on :%d" % port, flush=True)
    ThreadingHTTPServer(("", port), Handler).serve_forever()
