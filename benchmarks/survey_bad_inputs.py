"""Survey analyser on malformed exports: every class run through the CLI, exit status, message.

Target (issue 17): each class is refused with exit status 1, or accepted with a warning on the
terminal and in the report's summary, naming file, row and column. The exports are built by
``tests/survey/make_bad_exports.py`` (one set per class) into a temporary folder.

    .venv/bin/python benchmarks/survey_bad_inputs.py [--width 150]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _builder():
    spec = importlib.util.spec_from_file_location(
        "make_bad_exports", ROOT / "tests" / "survey" / "make_bad_exports.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(text: str) -> str:
    """Text with French no-break spaces as plain ones and HTML apostrophes decoded."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("&#39;", "'")


def run_class(folder: Path, name: str, spec, out: Path) -> dict:
    pre, post, expected, needle, what = spec
    cmd = [sys.executable, "-m", "toolkit.cli", "survey", "analyse", str(folder / pre)]
    cmd += [str(folder / post), "--out", str(out / name), "--salt", "bench"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    text = proc.stderr if proc.returncode else proc.stdout
    lines = [ln for ln in text.splitlines() if ln.startswith(("Erreur", "ATTENTION"))]
    lines.sort(key=lambda ln: needle not in _plain(ln))
    summary_file = out / name / "summary.json"
    in_report, report = False, ""
    if summary_file.exists():
        warnings = json.loads(summary_file.read_text(encoding="utf-8")).get("warnings", [])
        report = _plain((out / name / "report.html").read_text(encoding="utf-8"))
        in_report = any(needle in _plain(w) for w in warnings) or needle in report
    return {
        "class": name,
        "what": what,
        "status": proc.returncode,
        "expected": expected,
        "message": lines[0] if lines else (text.strip().splitlines() or ["—"])[0],
        "found": needle in _plain(text) or needle in report,
        "in_report": in_report,
        "traceback": "Traceback" in proc.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=150, help="message width in the table")
    args = parser.parse_args()
    builder = _builder()
    with tempfile.TemporaryDirectory() as tmp:
        folder = builder.main(Path(tmp) / "bad")
        rows = [run_class(folder, n, s, Path(tmp) / "out") for n, s in builder.CLASSES.items()]
    print(f"{'class':22} {'exit':>4} {'ok':>3}  message (first line)")
    for r in rows:
        ok = r["status"] == r["expected"] and r["found"] and not r["traceback"]
        if r["status"] == 0:
            ok = ok and r["in_report"]
        msg = r["message"].replace("\u202f", " ").replace("\u00a0", " ")
        if len(msg) > args.width:
            msg = msg[: args.width - 1] + "…"
        print(f"{r['class']:22} {r['status']:>4} {'yes' if ok else 'NO':>3}  {msg}")
    good = sum(r["status"] == r["expected"] and r["found"] and not r["traceback"] for r in rows)
    print(f"\n{good}/{len(rows)} classes handled as expected (refused with 1, or warned).")


if __name__ == "__main__":
    main()
