"""Shared-folder appends under concurrency: throughput, lost records, half-written files.

Run: ``.venv/bin/python benchmarks/sharedfolder_concurrency.py [writers] [records_each]``.
Simulates a room of participants saving round-table answers at the same instant, with a
reader aggregating at the same time (as the trainer's notebook does).
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

from toolkit.course import sharedfolder


def _writer(folder: str, worker: int, count: int, start) -> None:
    start.wait()
    for i in range(count):
        sharedfolder.append_record(
            "tour-de-table",
            {"tache": f"usage {worker}-{i}", "service": "RH", "minutes_gagnees": 10,
             "problemes": "x" * 300, "worker": worker, "i": i},
            folder,
        )


def _reader(folder: str, ready, start, stop, out) -> None:
    sharedfolder.read_records("tour-de-table", folder)  # warm up, like a running notebook
    ready.set()
    start.wait()
    reads = skipped = 0
    while not stop.is_set():
        _, report = sharedfolder.read_records("tour-de-table", folder, report=True)
        reads += 1
        skipped += len(report.skipped)
    out.put((reads, skipped))


def main() -> None:
    writers = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    each = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        ready, start, stop, out = ctx.Event(), ctx.Event(), ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_writer, args=(tmp, w, each, start)) for w in range(writers)]
        reader = ctx.Process(target=_reader, args=(tmp, ready, start, stop, out))
        for p in [*procs, reader]:
            p.start()
        ready.wait(120)
        time.sleep(2)  # let the writers import the toolkit before the start signal
        t0 = time.perf_counter()
        start.set()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t0
        stop.set()
        reads, skipped = out.get(timeout=60)
        reader.join()
        frame = sharedfolder.read_records("tour-de-table", tmp)
        keys = set(zip(frame["worker"], frame["i"], strict=True))
        leftovers = list((Path(tmp) / "tour-de-table").glob(".tmp-*"))
        expected = writers * each
        print(f"writers={writers} records_each={each} expected={expected}")
        print(f"written={len(frame)} unique={len(keys)} lost={expected - len(keys)}")
        print(f"elapsed={elapsed:.2f}s throughput={expected / elapsed:.0f} records/s")
        print(f"concurrent reads={reads} half-written files seen={skipped} "
              f"temporary files left={len(leftovers)}")


if __name__ == "__main__":
    main()
