"""Start-up of ``atelier --help`` against a bare ``python -c pass``, side by side.

Usage: python benchmarks/cli_startup.py [--runs 21] [--tree PATH]

Runs both commands alternately (so machine noise hits both alike) as fresh processes, with
the same interpreter and ``PYTHONPATH`` (``--tree`` picks another checkout, e.g. ``main``,
for a before/after comparison), and prints the medians and their ratio.  Target: at most 5x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=env["PYTHONPATH"])
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout to import toolkit from")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    env.update(PYTHONPATH=str(args.tree.resolve()), ATELIER_ENV_FILE=os.devnull)
    bare = [sys.executable, "-c", "pass"]
    atelier = [sys.executable, "-m", "toolkit.cli", "--help"]
    _time(bare, env), _time(atelier, env)  # warm the file cache
    times: dict[str, list[float]] = {"bare": [], "atelier": []}
    for _ in range(args.runs):
        times["bare"].append(_time(bare, env))
        times["atelier"].append(_time(atelier, env))
    b, a = statistics.median(times["bare"]), statistics.median(times["atelier"])
    print(f"tree              {args.tree.resolve()}")
    print(f"python -c pass    median {b * 1000:7.1f} ms ({args.runs} runs)")
    print(f"atelier --help    median {a * 1000:7.1f} ms")
    print(f"ratio             {a / b:.1f}x (target <= 5x)")


if __name__ == "__main__":
    main()
