"""PDF printing of attestations by chromium: one process at a time against two, side by side.

Usage: python benchmarks/preuves_pdf.py [--pages 6]

Renders the sample roster's attestations (HTML, from the sample survey), then prints the same
pages with ``workers=1`` and ``workers=2`` (``toolkit.preuves.render.print_all``) and prints
the seconds per page and the ratio.  Chromium's start-up dominates; two processes use both
cores of a small trainer laptop.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()

    from toolkit.preuves.documents import write_attestations
    from toolkit.preuves.render import print_all
    from toolkit.preuves.roster import read_roster

    people = read_roster(REPO / "toolkit/data/preuves/exemple-participants.csv")[: args.pages]
    with tempfile.TemporaryDirectory() as tmp:
        written = write_attestations(people, REPO / "toolkit/data/survey", start=date(2026, 11, 17),
                                     out=tmp, pdf=False, root=REPO)
        pages = [p for p in written.files if p.suffix == ".html"]
        timings = {}
        for workers in (1, 2):
            start = time.perf_counter()
            print_all(pages, workers=workers)
            timings[workers] = time.perf_counter() - start
    n = len(pages)
    print(f"{n} attestations")
    for workers, seconds in timings.items():
        print(f"  workers={workers}: {seconds:6.1f} s  ({seconds / n:.2f} s/page)")
    print(f"  speed-up 2 vs 1: {timings[1] / timings[2]:.2f}x")


if __name__ == "__main__":
    main()
