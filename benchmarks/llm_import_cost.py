"""Cost of ``import toolkit`` over a bare interpreter (target: at most 150 ms more).

Runs both side by side, alternating, in fresh interpreters; prints medians. Also checks that
heavy libraries (openai, pandas, matplotlib) are not imported by ``import toolkit``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def _time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    bare, with_toolkit = [], []
    for _ in range(RUNS):
        bare.append(_time("pass"))
        with_toolkit.append(_time("import toolkit"))
    b, t = statistics.median(bare), statistics.median(with_toolkit)
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, toolkit; print(sorted(m for m in "
            "('openai','pandas','matplotlib','numpy','spacy','nbformat') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"bare interpreter      median {b * 1000:7.1f} ms  ({RUNS} runs)")
    print(f"import toolkit        median {t * 1000:7.1f} ms")
    print(f"cost of import        {(t - b) * 1000:7.1f} ms  (target <= 150 ms)")
    print(f"heavy modules loaded by import toolkit: {heavy}")


if __name__ == "__main__":
    main()
