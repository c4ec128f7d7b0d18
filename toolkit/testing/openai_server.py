"""A small OpenAI-compatible HTTP server (standard library only) for tests and demos.

It listens on 127.0.0.1 and answers ``GET /v1/models``, ``POST /v1/chat/completions``
(with and without streaming) and ``POST /v1/images/generations``.  Answers are deterministic
and follow the structure asked for (same rules as offline mode), labelled
``[Serveur de test]``.  Failures can be injected for the next requests
(:meth:`FakeOpenAIServer.inject`: ``401``, ``403``, ``404``, ``429``, ``500``, ``hang``) or by
the model name (``"missing-model"`` answers 404).

Run it alone with ``python -m toolkit.testing.openai_server --port 8765``.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from toolkit.llm import offline, tokens

__all__ = ["FakeOpenAIServer"]

MODELS = ("gpt-4o-mini", "gpt-image-1", "atelier-test")
LABEL = "[Serveur de test]"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
        # and delayed ACKs add ~40 ms to every other request on a kept-alive connection.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # quiet
        pass

    # -- helpers -----------------------------------------------------------------------
    def _send_json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str, code: str, headers: dict | None = None) -> None:
        self._send_json(
            status, {"error": {"message": message, "type": code, "code": code}}, headers
        )

    def _authorised(self) -> bool:
        expected = self.server.owner.api_key
        if expected is None:
            return True
        got = self.headers.get("Authorization", "")
        if got == f"Bearer {expected}" or self.headers.get("api-key") == expected:
            return True
        self._error(401, "Incorrect API key provided.", "invalid_api_key")
        return False

    def _injected(self) -> bool:
        owner = self.server.owner
        with owner.lock:
            fault = owner.faults.popleft() if owner.faults else None
        if fault is None:
            return False
        if fault == "hang":
            owner.stop_event.wait(owner.hang_seconds)
            self.close_connection = True
            return True
        status = int(fault)
        messages = {
            401: ("Incorrect API key provided.", "invalid_api_key"),
            403: ("Permission denied.", "permission_denied"),
            404: ("The model does not exist.", "model_not_found"),
            429: ("Rate limit reached.", "rate_limit_exceeded"),
            500: ("Internal error.", "server_error"),
            503: ("Service unavailable.", "server_error"),
        }
        msg, code = messages.get(status, ("Error.", "error"))
        headers = {"Retry-After": "0"} if status == 429 else None
        self._error(status, msg, code, headers)
        return True

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        return json.loads(raw or b"{}")

    # -- routes ------------------------------------------------------------------------
    def do_GET(self):
        if not self._authorised() or self._injected():
            return
        if self.path.split("?", 1)[0].rstrip("/").endswith("/models"):
            now = int(time.time())
            data = [
                {"id": m, "object": "model", "created": now, "owned_by": "atelier"} for m in MODELS
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._error(404, f"Unknown path {self.path}", "not_found")

    def do_POST(self):
        body = self._body()
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(
                {"path": self.path, "body": body, "headers": dict(self.headers.items())}
            )
        if not self._authorised() or self._injected():
            return
        path = self.path.split("?", 1)[0]
        if path.endswith("/chat/completions"):
            self._chat(body)
        elif path.endswith("/images/generations"):
            self._image(body)
        else:
            self._error(404, f"Unknown path {self.path}", "not_found")

    def _chat(self, body: dict) -> None:
        model = body.get("model", "")
        if model not in MODELS:
            self._error(404, f"The model `{model}` does not exist.", "model_not_found")
            return
        messages = body.get("messages") or []
        has_image = any(
            isinstance(m.get("content"), list)
            and any(p.get("type") == "image_url" for p in m["content"])
            for m in messages
        )
        if has_image:
            text = f"{LABEL} J'ai bien reçu une image ; voici une description de test."
        else:
            text = offline.simulate_chat(messages).replace(offline.LABEL, LABEL)
        prompt_tokens = tokens.count_messages(messages)
        completion_tokens = tokens.count_tokens(text)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        created = int(time.time())
        if not body.get("stream"):
            self._send_json(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "usage": usage,
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text},
                        }
                    ],
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        words = text.split(" ")
        step = max(1, len(words) // 6)
        pieces = [
            " ".join(words[i : i + step]) + (" " if i + step < len(words) else "")
            for i in range(0, len(words), step)
        ]

        def event(payload: dict) -> None:
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
            self.wfile.flush()

        base = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
        }
        event(
            {
                **base,
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": ""},
                        "finish_reason": None,
                    }
                ],
            }
        )
        for piece in pieces:
            time.sleep(self.server.owner.stream_delay)
            event(
                {
                    **base,
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
            )
        event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            event({**base, "choices": [], "usage": usage})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _image(self, body: dict) -> None:
        from PIL import Image

        img = Image.new("RGB", (64, 64), (30, 120, 200))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        b64 = base64.b64encode(buf.getvalue()).decode("ascii")
        self._send_json(200, {"created": int(time.time()), "data": [{"b64_json": b64}]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FakeOpenAIServer


class FakeOpenAIServer:
    """Start with :meth:`start` (or as a context manager); ``base_url`` ends in ``/v1``."""

    def __init__(self, port: int = 0, api_key: str | None = None, hang_seconds: float = 30.0):
        self.api_key = api_key
        self.hang_seconds = hang_seconds
        self.stream_delay = 0.0
        self.faults: deque[str] = deque()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def inject(self, *faults: str | int) -> None:
        """Make the next requests fail: ``401``, ``403``, ``404``, ``429``, ``500``, ``hang``."""
        with self.lock:
            self.faults.extend(str(f) for f in faults)

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.requests.clear()

    def start(self) -> FakeOpenAIServer:
        tokens.count_tokens("prêt")  # load the BPE tables now, not inside the first request
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> None:  # pragma: no cover - manual use
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(args.port, args.api_key).start()
    print(f"OPENAI_BASE_URL={server.base_url}", flush=True)  # noqa: T201
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
