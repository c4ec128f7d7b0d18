"""Survey analyser at scale: 10,000 matched participants loaded, analysed and reported.

Targets (issue 6): load + analyse + report of 10,000 matched participants in at most 10 s on
a 2-core machine; analysis time at 100,000 at most 12 times the time at 10,000.

    .venv/bin/python benchmarks/survey_scale.py [--big 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from toolkit.survey.analysis import analyse
from toolkit.survey.instrument import load_instrument
from toolkit.survey.loaders import load_export
from toolkit.survey.report import write_report
from toolkit.survey.sample import synthetic_answers, write_google_csv, write_plain_csv


def make_files(n: int, directory: Path, inst) -> tuple[Path, Path]:
    import pandas as pd

    frames = synthetic_answers(n, seed=11, instrument=inst)
    base = pd.Timestamp("2026-11-12 09:00")
    for k, df in enumerate(frames.values()):
        df["_time"] = base + pd.Timedelta(hours=3 * k) + pd.to_timedelta(range(n), unit="s")
    pre = write_google_csv(frames["pre"], directory / f"pre-{n}.csv", "pre", inst, lang="fr")
    post = write_plain_csv(frames["post"], directory / f"post-{n}.csv", "post", inst)
    return pre, post


def run(n: int, directory: Path, inst, report: bool) -> dict[str, float]:
    pre_path, post_path = make_files(n, directory, inst)
    t0 = time.perf_counter()
    pre = load_export(pre_path, "pre", inst)
    post = load_export(post_path, "post", inst)
    t1 = time.perf_counter()
    result = analyse(pre, post, instrument=inst, salt="bench")
    t2 = time.perf_counter()
    if report:
        write_report(result, directory / f"out-{n}")
    t3 = time.perf_counter()
    assert result.summary["n_matched"] == n, result.summary["n_matched"]
    return {"load": t1 - t0, "analyse": t2 - t1, "report": t3 - t2, "total": t3 - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    inst = load_instrument()
    # Warm-up: imports (pandas, scipy, matplotlib) and caches, not part of the figures.
    with tempfile.TemporaryDirectory() as tmp:
        run(200, Path(tmp), inst, report=True)
    with tempfile.TemporaryDirectory() as tmp:
        small = run(args.small, Path(tmp), inst, report=True)
        big = run(args.big, Path(tmp), inst, report=False)
    print(
        f"{args.small:>7} participants: load {small['load']:.2f} s, analyse "
        f"{small['analyse']:.2f} s, "
        f"report {small['report']:.2f} s, total {small['total']:.2f} s (target <= 10 s)"
    )
    print(f"{args.big:>7} participants: load {big['load']:.2f} s, analyse {big['analyse']:.2f} s")
    ratio = big["analyse"] / small["analyse"]
    print(f"analysis time ratio {args.big}/{args.small}: {ratio:.1f} (target <= 12)")
    ok = small["total"] <= 10 and ratio <= 12
    print("OK" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
