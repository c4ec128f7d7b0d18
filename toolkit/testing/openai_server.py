"""A small OpenAI-compatible HTTP server (standard library only) for tests and demos.

It listens on 127.0.0.1 and answers ``GET /v1/models``, ``POST /v1/chat/completions``
(with and without streaming) and ``POST /v1/images/generations``.  Answers are deterministic
and follow the structure asked for (same rules as offline mode), labelled
``[Serveur de test]``.  Failures can be injected for the next requests
(:meth:`FakeOpenAIServer.inject`: an HTTP status, ``hang``, or a faulty reply of
:data:`FAULTS`) or by the model name (``"missing-model"`` answers 404, ``"fault-html"``
gives the ``html`` fault, and so on for every fault).  ``max_tokens`` is
honoured: a longer answer is cut there with ``finish_reason: length``.

Run it alone with ``python -m toolkit.testing.openai_server --port 8765``.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import socket
import struct
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from toolkit.llm import offline, tokens

__all__ = ["FakeOpenAIServer"]

MODELS = ("gpt-4o-mini", "gpt-image-1", "atelier-test")
LABEL = "[Serveur de test]"

#: Faulty replies :meth:`FakeOpenAIServer.inject` can make (each streamed or not, as asked).
FAULTS = {
    "drip": "a valid reply sent one byte (or one stream event) per drip_interval",
    "slow429": "429 with Retry-After: 5, after slow_seconds",
    "slow500": "500 after slow_seconds",
    "badjson": "200 application/json whose body is cut JSON",
    "nonutf8": "200 application/json whose body is not UTF-8",
    "html": "200 text/html: a proxy's login page, streamed or not",
    "empty": "200 with choices: [] (a stream with no choice)",
    "nomessage": "200 with a choice but no message",
    "nodata": "200 text/event-stream that ends without a data line",
    "huge": "a valid reply of huge_bytes (10 MB by default)",
    "reset": "headers and part of the body, then a TCP reset",
    "streamerror": "a stream that starts, then sends an error event",
    "hang": "no answer at all for hang_seconds",
}


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

    def _injected(self, body: dict | None = None) -> bool:
        owner = self.server.owner
        with owner.lock:
            fault = owner.faults.popleft() if owner.faults else None
        if fault is None:
            return False
        if fault in FAULTS:
            getattr(self, f"_fault_{fault}")(body or {})
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

    # -- faults (see FAULTS) ---------------------------------------------------------------
    def _raw(self, status: int, content_type: str, payload: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(payload)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _sse_head(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _sse(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.wfile.write(b"data: " + data + b"\n\n")
        self.wfile.flush()

    @staticmethod
    def _chunk(text: str, finish: str | None = None) -> dict:
        delta = {"content": text} if text else {}
        return {
            "id": "chatcmpl-fault",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    @staticmethod
    def _completion(text: str) -> dict:
        return {
            "id": "chatcmpl-fault",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text},
                }
            ],
        }

    def _fault_drip(self, body: dict) -> None:
        owner = self.server.owner
        if body.get("stream"):
            self._sse_head()
            for i in range(owner.drip_count):
                self._sse(self._chunk(f"mot{i} "))
                if owner.stop_event.wait(owner.drip_interval):
                    return
            self._sse(b"[DONE]")
            return
        payload = json.dumps(self._completion("goutte à goutte")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        for byte in payload:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if owner.stop_event.wait(owner.drip_interval):
                return

    def _fault_hang(self, body: dict) -> None:
        self.server.owner.stop_event.wait(self.server.owner.hang_seconds)
        self.close_connection = True

    def _fault_slow429(self, body: dict) -> None:
        self.server.owner.stop_event.wait(self.server.owner.slow_seconds)
        self._error(429, "Rate limit reached.", "rate_limit_exceeded", {"Retry-After": "5"})

    def _fault_slow500(self, body: dict) -> None:
        self.server.owner.stop_event.wait(self.server.owner.slow_seconds)
        self._error(500, "Internal error.", "server_error")

    def _fault_badjson(self, body: dict) -> None:
        self._raw(200, "application/json", b'{"id": "chatcmpl-x", "choices": [{"message": ')

    def _fault_nonutf8(self, body: dict) -> None:
        self._raw(200, "application/json", b'{"choices": "\xff\xfe\xfa\xe9t\xe9"}')

    def _fault_html(self, body: dict) -> None:
        page = (
            b"<!DOCTYPE html><html><head><title>Connexion au proxy</title></head><body>"
            b"<form action='/login'><input name='user'><input type='password' name='pw'>"
            b"</form></body></html>"
        )
        self._raw(200, "text/html; charset=utf-8", page)

    def _fault_empty(self, body: dict) -> None:
        if body.get("stream"):
            self._sse_head()
            self._sse({**self._chunk(""), "choices": []})
            self._sse(b"[DONE]")
            return
        self._send_json(200, {**self._completion(""), "choices": []})

    def _fault_nomessage(self, body: dict) -> None:
        reply = self._completion("")
        reply["choices"] = [{"index": 0, "finish_reason": "stop"}]
        self._send_json(200, reply)

    def _fault_nodata(self, body: dict) -> None:
        self._sse_head()
        self.wfile.write(b": keep-alive\n\n")
        self.wfile.flush()

    def _fault_huge(self, body: dict) -> None:
        size = self.server.owner.huge_bytes
        if body.get("stream"):
            self._sse_head()
            piece = ("Lorem ipsum dolor sit amet. " * 40)[:1000]
            sent = 0
            while sent < size:
                self._sse(self._chunk(piece))
                sent += len(piece)
            self._sse(self._chunk("", "stop"))
            self._sse(b"[DONE]")
            return
        self._send_json(200, self._completion("x" * size))

    def _fault_reset(self, body: dict) -> None:
        self.send_response(200)
        self.send_header(
            "Content-Type", "text/event-stream" if body.get("stream") else "application/json"
        )
        if not body.get("stream"):
            self.send_header("Content-Length", "5000")
        self.end_headers()
        if body.get("stream"):
            self._sse(self._chunk("début de réponse "))
        else:
            self.wfile.write(b'{"id": "chatcmpl-x", "choices": [')
        self.wfile.flush()
        # SO_LINGER 0: the close sends a TCP reset, as a crashed proxy would.
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()
        self.close_connection = True

    def _fault_streamerror(self, body: dict) -> None:
        if not body.get("stream"):
            self._send_json(
                200, {"error": {"message": "The model is overloaded.", "type": "server_error"}}
            )
            return
        self._sse_head()
        self._sse(self._chunk("Voici le début "))
        self._sse({"error": {"message": "The model is overloaded.", "type": "server_error"}})

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
        if not self._authorised() or self._injected(body):
            return
        model = str(body.get("model") or "")
        if model.startswith("fault-") and model[6:] in FAULTS:
            # Chosen by the model name: a separate process (atelier ask, a kernel) can ask
            # for a fault without reaching into this server.
            getattr(self, f"_fault_{model[6:]}")(body)
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
        finish = "stop"
        limit = body.get("max_tokens")
        if isinstance(limit, int) and completion_tokens > limit:
            text, completion_tokens, finish = tokens.truncate(text, limit), limit, "length"
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
                            "finish_reason": finish,
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
        event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
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

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up on a faulty reply (the point of most faults) is not news.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | OSError):
            super().handle_error(request, client_address)


class FakeOpenAIServer:
    """Start with :meth:`start` (or as a context manager); ``base_url`` ends in ``/v1``."""

    def __init__(self, port: int = 0, api_key: str | None = None, hang_seconds: float = 30.0):
        self.api_key = api_key
        self.hang_seconds = hang_seconds
        self.stream_delay = 0.0
        #: ``drip``: seconds between two bytes (or two stream events), and how many events.
        self.drip_interval = 1.0
        self.drip_count = 60
        #: ``slow429`` / ``slow500``: seconds before the error is sent.
        self.slow_seconds = 2.0
        #: ``huge``: size of the answer's text in bytes.
        self.huge_bytes = 10_000_000
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
        """Make the next requests fail: an HTTP status, ``hang``, or a name of :data:`FAULTS`."""
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
