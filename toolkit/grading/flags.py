"""Persisted flags: submissions that could not be graded, with the French reason.

Stored in ``<course>/.atelier/flags.json`` as ``{assignment: {student: {...}}}`` so that
``export`` shows a flagged submission as flagged, never as a plain 0.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def load_flags(path: Path) -> dict[str, dict[str, dict]]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def save_flags(path: Path, flags: dict[str, dict[str, dict]]) -> None:
    """Write atomically (temp file + rename) so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(flags, ensure_ascii=False, indent=1, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)
