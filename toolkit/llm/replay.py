"""Replay mode: answers recorded from a live endpoint, stored as cassettes.

A cassette is a plain JSON file ``<cassette_dir>/<notebook>/<key>.json`` holding the
normalised request and the answer (never a key or an HTTP header).  The key is the SHA-256
of the normalised request: message texts (Unicode NFC, trailing spaces and blank lines
removed), the temperature and the model when the caller chose them, and the images' hashes.
Lookups search every notebook folder, so a request recorded in one notebook is found in any.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

from toolkit._version import __version__

__all__ = ["CassetteStore", "normalise_request", "request_key"]

FORMAT = 1


def _norm_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _norm_content(content: Any) -> Any:
    if isinstance(content, str):
        return _norm_text(content)
    parts = []
    for part in content or ():
        if part.get("type") == "text":
            parts.append({"type": "text", "text": _norm_text(part.get("text", ""))})
        elif part.get("type") == "image_url":
            url = part.get("image_url", {}).get("url", "")
            parts.append({"type": "image", "sha256": hashlib.sha256(url.encode()).hexdigest()})
    return parts


def normalise_request(
    kind: str,
    messages: list[dict] | None = None,
    *,
    model: str | None = None,
    temperature: float | None = None,
    prompt: str | None = None,
    size: str | None = None,
) -> dict:
    """The request as keyed: only what changes the answer, nothing secret."""
    request: dict[str, Any] = {"kind": kind}
    if messages is not None:
        request["messages"] = [
            {"role": m.get("role", "user"), "content": _norm_content(m.get("content", ""))}
            for m in messages
        ]
    if prompt is not None:
        request["prompt"] = _norm_text(prompt)
    if size is not None:
        request["size"] = size
    if model is not None:
        request["model"] = model
    if temperature is not None:
        request["temperature"] = round(float(temperature), 3)
    return request


def request_key(request: dict) -> str:
    blob = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class CassetteStore:
    """Cassettes under one folder; the index of keys is built once, lazily."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._index: dict[str, Path] | None = None
        self._mtime: float | None = None

    def _build_index(self) -> dict[str, Path]:
        index: dict[str, Path] = {}
        if self.root.is_dir():
            for path in self.root.glob("*/*.json"):
                index[path.stem] = path
        return index

    def _current_index(self) -> dict[str, Path]:
        # Rebuild when a folder was added or changed (a recording in another process).
        try:
            mtime = max(
                [self.root.stat().st_mtime]
                + [p.stat().st_mtime for p in self.root.iterdir() if p.is_dir()]
            )
        except (FileNotFoundError, ValueError):
            mtime = None
        if self._index is None or mtime != self._mtime:
            self._index = self._build_index()
            self._mtime = mtime
        return self._index

    def get(self, key: str) -> dict | None:
        path = self._current_index().get(key)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return data.get("response")

    def put(self, name: str, key: str, request: dict, response: dict) -> Path:
        folder = self.root / _safe_name(name)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{key}.json"
        record = {
            "format": FORMAT,
            "key": key,
            "recorded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "toolkit_version": __version__,
            "request": request,
            "response": response,
        }
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
        if self._index is not None:
            self._index[key] = path
        return path

    def __len__(self) -> int:
        return len(self._current_index())


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-.")
    return cleaned or "default"
