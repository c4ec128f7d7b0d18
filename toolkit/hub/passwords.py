"""Participants' passwords, kept only as scrypt hashes in ``<state>/hub/passwords.json`` (0600)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def load_hashes(path: Path) -> dict[str, str]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def save_private_json(path: Path, data: dict[str, str]) -> None:
    """Write *data* to *path* as JSON readable by its owner only (0600), atomically."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
    os.replace(tmp, path)


def store_passwords(path: Path, passwords: dict[str, str]) -> None:
    """Add or replace the hashes of ``{username: password}`` (the file stays 0600)."""
    path = Path(path)
    hashes = load_hashes(path)
    hashes.update({name: hash_password(pw) for name, pw in passwords.items()})
    save_private_json(path, hashes)


def forget_passwords(path: Path, usernames: list[str]) -> None:
    path = Path(path)
    hashes = load_hashes(path)
    if any(name in hashes for name in usernames):
        save_private_json(path, {k: v for k, v in hashes.items() if k not in usernames})
