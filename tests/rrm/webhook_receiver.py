"""A real HTTP server on a free local port that records webhook deliveries and answers as told."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: Message  # case-insensitive, as HTTP header names are
    body: bytes
    answered: int


class WebhookReceiver:
    """Answers 200 unless `answer_next` queued other codes; `delay` makes every answer late."""

    def __init__(self) -> None:
        self.received: list[ReceivedRequest] = []
        self.delay = 0.0
        self._answers: deque[int] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/rrm"

    def answer_next(self, *codes: int) -> None:
        with self._lock:
            self._answers.extend(codes)

    def successful(self) -> list[ReceivedRequest]:
        with self._lock:
            return [request for request in self.received if 200 <= request.answered < 300]

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_answer(self) -> int:
        with self._lock:
            return self._answers.popleft() if self._answers else 200

    def _record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self.received.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = receiver._next_answer()
                if receiver.delay:
                    time.sleep(receiver.delay)
                receiver._record(ReceivedRequest(self.path, self.headers, body, answer))
                self.send_response(answer)
                if 300 <= answer < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
