"""Benchmark: `atelier grade autograde` against plain `nbgrader autograde`, same submissions.

Usage: .venv/bin/python benchmarks/grading_autograde.py [--n 40] [--course exercises]
                                                        [--assignment ID] [--workers N]

Builds N submissions (the source notebook, i.e. fully answered work) in a released copy of
the course, then grades fresh copies with:
  1. `nbgrader autograde ID --force` (the course's configuration, one at a time);
  2. when the course does not set it, the same with the immediate kernel shutdown that
     atelier applies by default;
  3. `atelier grade autograde ID` (process pool, every kernel in its bubblewrap sandbox);
  4. the same with `--no-sandbox`, to show what the sandbox costs per submission;
  5. the same sandboxed run with the clean judge turned off (``JudgeTests.enabled``; the
     kernel then runs the test cells behind the guard that reloads the check helpers), to
     show what computing the grades in a second, clean interpreter costs per submission;
and prints wall time, time per submission, a bare kernel start + stop (plain and inside
the sandbox) for comparison, and whether the grades are identical. Uses the fixture course
when exercises/ has no source.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIXTURE = REPO / "tests" / "grading" / "fixtures" / "course"


def kernel_start_stop(repeat: int = 5, sandboxed: bool = False) -> tuple[float, float]:
    """Median seconds for a bare kernel start (until ready) and an immediate shutdown,
    with jupyter_client's AsyncKernelManager or the sandboxed one nbgrader uses here."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from toolkit.grading import sandbox

    cls = sandbox.SandboxKernelManager if sandboxed else AsyncKernelManager

    async def once() -> tuple[float, float]:
        km = cls(kernel_name="python3")
        t0 = time.perf_counter()
        await km.start_kernel(stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        t1 = time.perf_counter()
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        return t1 - t0, time.perf_counter() - t1

    # A bare kernel in an empty working folder (the sandbox copies the folder it starts in).
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as empty:
        os.chdir(empty)
        try:
            times = [asyncio.run(once()) for _ in range(repeat)]
        finally:
            os.chdir(here)
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def prepare(course: Path, assignment: str, n: int, workdir: Path) -> Path:
    """A released copy of the course with ``n`` submissions of ``assignment``."""
    template = workdir / "template"
    shutil.copytree(course, template, ignore=shutil.ignore_patterns(
        "submitted", "autograded", "feedback", "release", "gradebook.db", ".atelier"))
    subprocess.run([BIN / "atelier", "grade", "release", assignment, "--course", template],
                   check=True, stdout=subprocess.DEVNULL)
    for src in sorted((template / "source" / assignment).glob("*.ipynb")):
        for i in range(n):
            dest = template / "submitted" / f"participant_{i:03d}" / assignment / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dest)
    return template


def timed(cmd: list, cwd: Path, log: Path) -> tuple[float, int]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdout=out,
                              stderr=subprocess.STDOUT)
    return time.perf_counter() - t0, proc.returncode


def scores(course: Path) -> dict[str, float | None]:
    from toolkit.grading.export import grades_table

    tidy = grades_table(course).tidy
    return {f"{r.participant}/{r.exercice}": r.points for r in tidy.itertuples()
            if r.statut != "non rendu"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--course", default=str(REPO / "exercises"))
    parser.add_argument("--assignment", default=None)
    from toolkit.grading.autograde import default_workers

    parser.add_argument("--workers", default=str(default_workers()),
                        help="atelier worker counts to try, comma-separated (e.g. 2,3); "
                        "default: atelier's own (cores + 1)")
    args = parser.parse_args()

    course = Path(args.course)
    if not (course / "source").is_dir() or not any((course / "source").glob("*/*.ipynb")):
        course = FIXTURE
    assignment = args.assignment or sorted(
        p.parent.name for p in (course / "source").glob("*/*.ipynb"))[0]
    print(f"Cours : {course}  exercice : {assignment}  rendus : {args.n}  "
          f"cœurs : {os.cpu_count()}  processus atelier : {args.workers}  "
          f"charge : {os.getloadavg()[0]:.1f}")

    # Every run below, nbgrader's included, then loads the same up-to-date bytecode.
    from toolkit.grading.sandbox import byte_compile_toolkit

    byte_compile_toolkit()
    start, stop = kernel_start_stop()
    print(f"Noyau nu (jupyter_client) : démarrage {start:.2f} s, "
          f"arrêt immédiat {stop:.2f} s, total {start + stop:.2f} s")
    sb_start, sb_stop = kernel_start_stop(sandboxed=True)
    print(f"Noyau nu dans bubblewrap : démarrage {sb_start:.2f} s, arrêt immédiat "
          f"{sb_stop:.2f} s, total {sb_start + sb_stop:.2f} s "
          f"(isolement : {sb_start + sb_stop - start - stop:+.2f} s par noyau)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = prepare(course, assignment, args.n, tmp)
        from toolkit.grading.course import Course, load_config

        immediate = load_config(Course(template)).Execute.get("shutdown_kernel") == "immediate"
        runs = {"nbgrader autograde": ["nbgrader", "autograde", assignment, "--force"]}
        if not immediate:  # atelier sets it by default: show what that alone brings
            runs["nbgrader autograde (arrêt immédiat)"] = [
                "nbgrader", "autograde", assignment, "--force",
                "--Execute.shutdown_kernel=immediate"]
        for workers in args.workers.split(","):
            runs[f"atelier grade autograde ({workers} processus)"] = [
                "atelier", "grade", "autograde", assignment, "--course", ".",
                "--workers", workers, "--no-progress"]
            runs[f"atelier … --no-sandbox ({workers} processus)"] = [
                "atelier", "grade", "autograde", assignment, "--course", ".",
                "--workers", workers, "--no-progress", "--no-sandbox"]
            runs[f"atelier … sans juge propre ({workers} processus)"] = [
                "atelier", "grade", "autograde", assignment, "--course", ".",
                "--workers", workers, "--no-progress"]
        results = {}
        for i, (label, cmd) in enumerate(runs.items()):
            copy = tmp / f"run{i}"
            shutil.copytree(template, copy)
            if "sans juge propre" in label:  # the grades then come from the kernel's run
                with open(copy / "nbgrader_config.py", "a", encoding="utf-8") as cfg:
                    cfg.write("\nc.JudgeTests.enabled = False\n")
            log = Path(tempfile.gettempdir()) / f"grading_benchmark_run{i}.log"
            elapsed, code = timed([BIN / cmd[0], *cmd[1:]], copy, log)
            results[label] = (elapsed, code, scores(copy), log)
        print()
        print(f"{'commande':42s} {'total':>8s} {'par rendu':>10s} {'/ noyau nu':>11s} "
              f"{'notés':>6s} {'code':>5s}")
        for label, (elapsed, code, got, _) in results.items():
            per = elapsed / args.n
            graded = sum(v is not None for v in got.values())
            print(f"{label:42s} {elapsed:7.1f}s {per:9.2f}s {per / (start + stop):10.1f}x "
                  f"{graded:6d} {code:5d}")
        labels = list(results)
        nbgrader_runs = [lb for lb in labels if lb.startswith("nbgrader")]
        print()
        for ours_label in labels[len(nbgrader_runs):]:  # side by side with each nbgrader run
            for label in nbgrader_runs:
                print(f"Accélération {ours_label} / {label} : "
                      f"{results[label][0] / results[ours_label][0]:.2f}x")
        for workers in args.workers.split(","):
            boxed = results[f"atelier grade autograde ({workers} processus)"][0]
            bare = results[f"atelier … --no-sandbox ({workers} processus)"][0]
            print(f"Coût de l'isolement ({workers} processus) : {(boxed - bare) / args.n:+.2f} s "
                  f"par rendu en temps écoulé ({boxed / bare:.2f}x)")
            unjudged = results[f"atelier … sans juge propre ({workers} processus)"][0]
            print(f"Coût du juge propre ({workers} processus) : "
                  f"{(boxed - unjudged) / args.n:+.2f} s par rendu en temps écoulé "
                  f"({boxed / unjudged:.2f}x)")
        sandboxed = [lb for lb in labels if lb.startswith("atelier grade")]
        reference, ours = results[labels[0]][2], results[sandboxed[-1]][2]
        differ = sorted(k for k in reference if reference.get(k) != ours.get(k))
        print(f"Notes identiques : {'oui' if not differ else 'NON'} "
              f"({len(reference) - len(differ)}/{len(reference)} rendus)")
        for key in differ[:5]:
            print(f"  {key} : nbgrader {reference.get(key)} / atelier {ours.get(key)}")
        print("Journaux : " + ", ".join(str(r[3]) for r in results.values()))


if __name__ == "__main__":
    main()
