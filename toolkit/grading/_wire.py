"""Data-only messages between the clean judge and the participant's grading kernel.

Values cross as tagged JSON (never pickle): ``None``, ``bool``, ``int``, ``float``, ``str``,
lists as JSON lists, and ``{"~t": [...]}`` tuples, ``{"~s": [...]}`` sets, ``{"~f": [...]}``
frozensets, ``{"~d": [[key, value], ...]}`` dicts, ``{"~b": "base64"}`` bytes. Decoding
builds only these types, so whatever the participant's process sends, the judge receives
data: the same power as writing an answer.
"""

from __future__ import annotations

import base64
import json
import os
import select
import time

#: Largest message accepted from the other side (bytes).
MAX_MESSAGE = 32 * 1024 * 1024
#: Deepest nesting of a value.
MAX_DEPTH = 64

_SCALARS = (type(None), bool, int, float, str)


class Unencodable(Exception):
    """The value is not plain data (a function, an object of a class of the participant...)."""


class WireError(Exception):
    """The other side sent something that is not a valid message, or nothing in time."""


def encode(value: object, depth: int = 0) -> object:
    """``value`` as tagged JSON data, or :class:`Unencodable`."""
    if depth > MAX_DEPTH:
        raise Unencodable("too deep")
    kind = type(value)
    if kind in _SCALARS:
        return value
    # Exact types only (``kind is``): a subclass may carry its own ``__eq__``.
    if kind is list and isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if kind is tuple and isinstance(value, tuple):
        return {"~t": [encode(v, depth + 1) for v in value]}
    if kind in (set, frozenset) and isinstance(value, (set, frozenset)):
        return {"~s" if kind is set else "~f": [encode(v, depth + 1) for v in value]}
    if kind is dict and isinstance(value, dict):
        return {"~d": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is bytes and isinstance(value, bytes):
        return {"~b": base64.b64encode(value).decode("ascii")}
    raise Unencodable(kind.__name__)


def decode(data: object, depth: int = 0) -> object:
    """The value that :func:`encode` gave ``data``; :class:`WireError` for anything else."""
    if depth > MAX_DEPTH:
        raise WireError("too deep")
    if type(data) in _SCALARS:
        return data
    if type(data) is list:
        return [decode(v, depth + 1) for v in data]
    if type(data) is dict and len(data) == 1:
        (tag, items), = data.items()
        try:
            if tag == "~b" and type(items) is str:
                return base64.b64decode(items, validate=True)
            if type(items) is not list:
                raise WireError(f"bad {tag}")
            if tag == "~t":
                return tuple(decode(v, depth + 1) for v in items)
            if tag == "~s":
                return {decode(v, depth + 1) for v in items}
            if tag == "~f":
                return frozenset(decode(v, depth + 1) for v in items)
            if tag == "~d":
                return {decode(k, depth + 1): decode(v, depth + 1) for k, v in items}
        except (TypeError, ValueError) as exc:  # unhashable key, bad pair, bad base64
            raise WireError(f"bad {tag}: {exc}") from None
    raise WireError(f"not a value: {type(data).__name__}")


class Channel:
    """Newline-delimited JSON messages over two file descriptors, with a deadline on reads."""

    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd, self.write_fd = read_fd, write_fd
        self._buffer = b""
        self.dead = False

    def send(self, message: dict) -> None:
        data = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            while data:
                data = data[os.write(self.write_fd, data):]
        except OSError as exc:
            self.dead = True
            raise WireError(f"closed: {exc}") from None

    def receive(self, timeout: float) -> dict:
        """The next message, or :class:`WireError` if none comes within ``timeout`` s."""
        if self.dead:
            raise WireError("closed")
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready = select.select([self.read_fd], [], [], max(0.0, left))[0] if left > 0 else []
            if not ready:
                self.dead = True
                raise WireError("timeout")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                self.dead = True
                raise WireError("closed")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE:
                self.dead = True
                raise WireError("message too large")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            self.dead = True
            raise WireError("not JSON") from None
        if type(message) is not dict:
            self.dead = True
            raise WireError("not a message")
        return message
