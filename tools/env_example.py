"""Write ``.env.example`` from the settings declared in ``toolkit/config.py``.

Usage: ``python tools/env_example.py`` (rewrites the file) or ``--check [FILE]`` (exit 1 when
the committed file, or FILE, differs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.config import env_example  # noqa: E402

TARGET = ROOT / ".env.example"


def main(argv: list[str]) -> int:
    text = env_example()
    if argv[:1] == ["--check"]:
        target = Path(argv[1]) if len(argv) > 1 else TARGET
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run python tools/env_example.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
