"""Parallel, hostile-proof autograding on nbgrader's Python API.

A pool of worker processes (nbgrader imported once, in a forkserver) grades one submission
each at a time. Submissions are pre-checked first (unreadable files flagged, deleted test
cells restored); a submission that exceeds its time limit has its worker and kernels killed
and is flagged. Every submission ends graded or flagged; flags persist for ``export``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import sqlite3
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing.connection import wait
from pathlib import Path

from toolkit.errors import InputError
from toolkit.grading import sandbox as sandbox_mod
from toolkit.grading._render import table
from toolkit.grading.course import Course, load_config, nbgrader_error_summary
from toolkit.grading.flags import load_flags, save_flags
from toolkit.grading.sandbox import DEFAULT_LIMITS, Limits
from toolkit.grading.submission import STAGING, execution_notes

GRADED = "corrigé"
FLAGGED = "signalé"

#: Execution settings applied unless the course configuration sets them.
DEFAULT_EXECUTE = {
    "Execute.timeout": 30,
    "Execute.interrupt_on_timeout": True,
    "Execute.raise_on_iopub_timeout": True,
    "Execute.shutdown_kernel": "immediate",
    "LimitOutput.max_lines": 1000,
}


@dataclass
class SubmissionResult:
    """Outcome of one submission: ``status`` is ``corrigé`` or ``signalé`` (with ``reason``)."""

    student: str
    assignment: str
    status: str
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def graded(self) -> bool:
        return self.status == GRADED

    def __str__(self) -> str:
        text = f"{self.student}/{self.assignment} : {self.status}"
        if self.reason:
            text += f" ({self.reason})"
        return text + "".join(f"\n    - {n}" for n in self.notes)


@dataclass
class AutogradeReport:
    """All submissions of a run, each graded or flagged, plus timing."""

    results: list[SubmissionResult] = field(default_factory=list)
    elapsed: float = 0.0
    workers: int = 1
    sandboxed: bool = True

    @property
    def graded(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.graded]

    @property
    def flagged(self) -> list[SubmissionResult]:
        return [r for r in self.results if not r.graded]

    def get(self, student: str, assignment: str | None = None) -> SubmissionResult:
        for r in self.results:
            if r.student == student and (assignment is None or r.assignment == assignment):
                return r
        raise KeyError(student)

    def summary(self) -> str:
        n = len(self.results)
        text = (f"{n} rendu{'s' * (n > 1)} : {len(self.graded)} corrigé"
                f"{'s' * (len(self.graded) > 1)}, {len(self.flagged)} signalé"
                f"{'s' * (len(self.flagged) > 1)} — {self.elapsed:.1f} s avec "
                f"{self.workers} processus")
        if not self.sandboxed:
            text += (" — ⚠ SANS ISOLEMENT (--no-sandbox) : le code des participants a "
                     "tourné avec les droits et l'environnement du correcteur")
        return text

    def __str__(self) -> str:
        lines = [self.summary()]
        if self.flagged:
            lines.append("Signalés (non notés, à vérifier) :")
            lines += [f"  ✗ {r.student}/{r.assignment} : {r.reason}" for r in self.flagged]
        noted = [r for r in self.graded if r.notes]
        if noted:
            lines.append("Corrigés avec remarques :")
            for r in noted:
                lines += [f"  • {r.student}/{r.assignment} : {n}" for n in r.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [[r.student, r.assignment, r.status, r.reason, "; ".join(r.notes),
                 f"{r.duration:.1f} s"] for r in self.results]
        return (f"<div><strong>{self.summary()}</strong>"
                + table(["participant", "exercice", "statut", "raison", "remarques", "durée"],
                        rows) + "</div>")


# ---- nbgrader failure reasons in French ----------------------------------------------------
_FIX_RELEASE = ("repartez de la version distribuée du notebook et recopiez-y les réponses, "
                "puis rendez-le à nouveau")
_REASONS = [
    ("CellTimeoutError", "délai dépassé : une cellule ne rend pas la main même interrompue "
                         "(boucle qui intercepte KeyboardInterrupt ?) ; corrigez la boucle puis "
                         "relancez la correction de ce rendu"),
    ("Timeout waiting for", "délai dépassé : le noyau ne répond plus ; relancez la correction "
                            "de ce rendu, puis corrigez à la main s'il échoue encore"),
    ("DeadKernelError", "le noyau Python s'est arrêté pendant l'exécution "
                        "(os._exit, mémoire épuisée ?) ; corrigez ce rendu à la main"),
    ("Kernel died", "le noyau Python s'est arrêté pendant l'exécution ; corrigez ce rendu à la "
                    "main"),
    ("NotJSONError", "ce n'est pas un notebook (JSON invalide) ; demandez le fichier .ipynb"),
    ("may be corrupted", "métadonnées nbgrader invalides (cellule d'exercice modifiée ou "
                         "copiée d'un autre notebook) ; " + _FIX_RELEASE),
    ("SchemaTooOldError", "métadonnées nbgrader d'une ancienne version ; " + _FIX_RELEASE),
    ("SchemaTooNewError", "métadonnées nbgrader d'une version plus récente ; " + _FIX_RELEASE),
    ("MissingEntry", "une cellule du rendu n'existe pas dans la base de notes (notebook d'un "
                     "autre exercice ?) ; " + _FIX_RELEASE),
    ("JudgeFailed", "la correction dans l'interpréteur propre n'a pas abouti ; relancez "
                    "la correction de ce rendu, puis corrigez-le à la main s'il échoue encore"),
    ("database is locked", "base de notes SQLite verrouillée : relancez la correction"),
]

#: nbgrader lines that only point elsewhere ("see the above traceback").
_BOILERPLATE = ("Please see the", "There was an error processing", "Removing failed",
                "Traceback (most recent call last)")
_EXC_LINE = re.compile(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception|Entry)): (.+)$")


def nbgrader_cause(result: dict) -> str:
    """nbgrader's own explanation: its last error line that is not a pointer elsewhere."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines):
        match = _EXC_LINE.match(line)
        if match and not any(b in match.group(2) for b in _BOILERPLATE):
            return f"{match.group(1)}: {match.group(2)}"[:300]
    for line in reversed(lines):
        if not any(b in line for b in _BOILERPLATE) and not line.startswith(("File ", "^", "~")):
            return line[:300]
    return nbgrader_error_summary(result)


def explain_failure(result: dict, notebooks: list[str] | None = None) -> str:
    """French reason naming the notebook and the fix, nbgrader's own message in detail."""
    text = (result.get("error") or "") + (result.get("log") or "")
    where = f"{', '.join(notebooks)} : " if notebooks else ""
    cause = nbgrader_cause(result)
    for needle, reason in _REASONS:
        if needle in text:
            return f"{where}{reason} (détail nbgrader : « {cause} »)"
    return (f"{where}nbgrader a échoué ; corrigez ce rendu à la main "
            f"(détail nbgrader : « {cause} »)")


# ---- worker pool ---------------------------------------------------------------------------
def _serve(conn, course_root, overrides, sandbox_options):  # pragma: no cover - in a worker
    from toolkit.grading._worker import serve

    serve(conn, course_root, overrides, sandbox_options)


def _kill_tree(pid: int) -> None:
    """Kill a worker, its kernels and whatever they started (each kernel is its own group)."""
    try:
        import psutil

        proc = psutil.Process(pid)
        family = [*proc.children(recursive=True), proc]
    except ImportError:  # pragma: no cover - psutil ships with ipykernel
        family = []
    except Exception:  # noqa: BLE001 - process already gone
        family = []
    own_group = os.getpgrp()
    for p in family:
        try:
            if os.getpgid(p.pid) == p.pid != own_group:
                os.killpg(p.pid, signal.SIGKILL)  # the kernel and anything it started
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.kill(p.pid, signal.SIGKILL)
    if not family:
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def _main_hidden():
    """Start workers without re-importing ``__main__`` (a script without a main guard
    would otherwise run again in every worker)."""
    main = sys.modules.get("__main__")
    spec, file = getattr(main, "__spec__", None), getattr(main, "__file__", None)
    if main is not None:
        main.__spec__ = None
        if file is not None:
            del main.__file__
    try:
        yield
    finally:
        if main is not None:
            main.__spec__ = spec
            if file is not None:
                main.__file__ = file


class _Worker:
    def __init__(self, ctx, course_root: str, overrides: dict, sandbox_options: dict):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve,
                                   args=(child, course_root, overrides, sandbox_options),
                                   daemon=True)
        with _main_hidden():
            self.process.start()
        child.close()  # so the parent sees EOF when the worker dies
        self.task: tuple[str, str] | None = None
        self.started = 0.0

    def send(self, task: tuple[str, str]) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        _kill_tree(self.process.pid)
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()


def _forkserver():
    """The forkserver context, started now so that it imports nbgrader while the parent
    is still busy (each worker is then a cheap fork of it)."""
    from multiprocessing import forkserver

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["toolkit.grading._worker"])
    with _main_hidden():
        forkserver.ensure_running()
    return ctx


def _run_pool(tasks, course, overrides, sandbox_options, workers, limit, on_result):
    ctx = _forkserver()
    root = str(course.root)
    pending = deque(tasks)

    def new_worker() -> _Worker:
        return _Worker(ctx, root, overrides, sandbox_options)

    idle = [new_worker() for _ in range(min(workers, len(tasks)))]
    busy: list[_Worker] = []
    try:
        while pending or busy:
            while idle and pending:
                w = idle.pop()
                w.send(pending.popleft())
                busy.append(w)
            ready = wait([w.conn for w in busy], timeout=0.5)
            now = time.monotonic()
            for w in list(busy):
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = {"success": False, "crashed": True,
                                  "duration": now - w.started}
                    busy.remove(w)
                    on_result(w.task, result)
                    if result.get("crashed"):
                        w.kill()
                        if pending:
                            idle.append(new_worker())
                    else:
                        idle.append(w)
                elif now - w.started > limit:
                    busy.remove(w)
                    w.kill()
                    on_result(w.task, {"success": False, "killed": True,
                                       "duration": now - w.started})
                    if pending:
                        idle.append(new_worker())
    finally:
        for w in busy:
            w.kill()
        for w in idle:
            w.stop()


# ---- public API ----------------------------------------------------------------------------
def _sqlite_path(course: Course):
    url = course.db_url()
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def _in_gradebook(course: Course, assignment: str) -> bool:
    path = _sqlite_path(course)
    if path is not None:  # plain sqlite3: the parent never needs to import nbgrader
        if not path.exists():
            return False
        with contextlib.closing(sqlite3.connect(path)) as db:
            try:
                row = db.execute("SELECT 1 FROM assignment WHERE name = ?",
                                 (assignment,)).fetchone()
            except sqlite3.Error:
                return False
        return row is not None
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url()) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def _create_students(course: Course, students: set[str]) -> None:
    """Create students up front: two workers creating the same one for two assignments at
    once would hit the gradebook's unique constraint (workers also retry on it)."""
    from toolkit.grading.roster import names

    path = _sqlite_path(course)
    if path is None or not path.exists():
        return
    known = names(course, students)
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as db, db:
        db.executemany("INSERT OR IGNORE INTO student (id) VALUES (?)",
                       [(s,) for s in sorted(students)])
        # Names for the formgrader (it shows "None, None" otherwise); never overwrite a
        # name a trainer typed in the formgrader.
        db.executemany("UPDATE student SET first_name = ?, last_name = ? "
                       "WHERE id = ? AND first_name IS NULL AND last_name IS NULL",
                       [(known[s][0] or None, known[s][1] or None, s)
                        for s in sorted(students)])


def _ensure_released(course: Course, assignments: set[str]) -> None:
    from toolkit.grading.release import release, release_api

    api = None
    for a in sorted(assignments):
        missing = any(not course.release_notebook(a, p.name).exists()
                      for p in course.source_notebooks(a)) or not _in_gradebook(course, a)
        if missing:
            api = api or release_api(course)
            report = release(a, course=course, api=api)
            if not report.ok:
                raise InputError(
                    f"La version participant de « {a} » n'a pas pu être générée : "
                    f"{report.failed[a]}",
                    "Corrigez le notebook source puis lancez « atelier grade release ».")


def _unknown(student: str, folder: str) -> SubmissionResult:
    return SubmissionResult(student, folder, FLAGGED,
                            f"exercice inconnu : pas de dossier source/{folder} "
                            "(dossier mal nommé ?)")


def default_submission_limit(course: Course, assignments: set[str], cell_timeout: float) -> float:
    """30 s plus the per-cell limit for every code cell (plus two) of the longest assignment."""
    n_code = max((
        sum(c.get("cell_type") == "code" for p in course.source_notebooks(a)
            for c in json.loads(p.read_text("utf-8"))["cells"])
        for a in assignments), default=0)
    return 30 + cell_timeout * (n_code + 2)


def default_workers() -> int:
    """Grading processes by default: one more than the cores. Each process spends part of
    a submission waiting on its kernel and its judge, so one extra keeps every core busy
    (``benchmarks/grading_autograde.py --workers 2,3`` on 2 cores: 1.95x vs 2.16x nbgrader).
    """
    return (os.cpu_count() or 1) + 1


def autograde(assignment: str | None = None, *, course: Course | str | None = None,
              students: list[str] | None = None, workers: int | None = None,
              cell_timeout: float | None = None, submission_timeout: float | None = None,
              progress: bool = True, sandbox: bool = True,
              memory_mb: int | None = DEFAULT_LIMITS.memory_mb) -> AutogradeReport:
    """Grade every submission in ``submitted/`` (of ``assignment`` when given) in parallel.

    ``cell_timeout`` is nbgrader's per-cell limit (``Execute.timeout``); ``submission_timeout``
    is the outer limit for a whole submission, after which its worker and kernels are killed
    and it is flagged. Each kernel runs in a bubblewrap sandbox (:mod:`toolkit.grading.sandbox`)
    limited to ``memory_mb``; ``sandbox=False`` (``--no-sandbox``) runs kernels unconfined,
    for a trusted laptop only, and says so in the report. Raises
    :class:`~toolkit.errors.SandboxUnavailableError` when bubblewrap is missing. Returns a
    report where each submission is ``corrigé`` or ``signalé``.
    """
    if sandbox:
        sandbox_mod.require()
    course = course if isinstance(course, Course) else Course.open(course)
    if assignment:
        course.check_assignment(assignment)
    start = time.perf_counter()
    pairs = [p for p in course.submissions(assignment) if not students or p[0] in students]
    unknown = [] if assignment else [
        p for p in course.unknown_submissions() if not students or p[0] in students]
    report = AutogradeReport(workers=workers or default_workers(), sandboxed=sandbox)
    if not pairs and not unknown:
        return report
    if pairs:
        _forkserver()
    cfg = load_config(course)
    overrides = {}
    for key, value in DEFAULT_EXECUTE.items():
        cls, trait = key.split(".")
        if trait not in cfg[cls]:
            overrides[key] = value
    if cell_timeout is not None:
        overrides["Execute.timeout"] = cell_timeout
    configured = overrides.get("Execute.timeout", cfg.Execute.get("timeout", 30))
    timeout = float(configured) if isinstance(configured, (int, float, str)) else 30.0
    _ensure_released(course, {a for _, a in pairs})

    flags = load_flags(course.flags_path)
    results: dict[tuple[str, str], SubmissionResult] = {}

    def record(res: SubmissionResult) -> None:
        results[(res.student, res.assignment)] = res
        entry = flags.setdefault(res.assignment, {})
        if res.graded:
            entry.pop(res.student, None)
        else:
            entry[res.student] = {
                "reason": res.reason, "notes": res.notes,
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        save_flags(course.flags_path, flags)

    limit = submission_timeout or default_submission_limit(
        course, {a for _, a in pairs}, timeout)
    hide = []
    db = _sqlite_path(course)
    if db is not None:
        hide.append(str(db))
    sandbox_options = {"enabled": sandbox, "course_root": str(course.root), "hide": tuple(hide),
                       "limits": Limits(memory_mb=memory_mb,
                                        cpu_seconds=int(limit) + 60)}
    for student, folder in unknown:
        record(_unknown(student, folder))
    tasks = list(pairs)

    from tqdm.auto import tqdm

    bar = tqdm(total=len(pairs), desc="Correction", unit="rendu", disable=not progress)

    def on_result(task, result):
        student, a = task
        kept = result.get("notes", [])
        shutil.rmtree(course.root / STAGING / student / a, ignore_errors=True)
        with contextlib.suppress(OSError):  # only when no other exercise is staged
            (course.root / STAGING / student).rmdir()
        if result.get("precheck"):
            shutil.rmtree(course.root / "autograded" / student / a, ignore_errors=True)
            res = SubmissionResult(student, a, FLAGGED, result["precheck"], kept,
                                   duration=result.get("duration", 0.0))
        elif result.get("success"):
            res = SubmissionResult(student, a, GRADED, notes=kept + execution_notes(
                course, student, a), duration=result["duration"])
        else:
            if result.get("killed"):
                reason = (f"temps maximal par rendu dépassé ({limit:.0f} s) : "
                          "exécution arrêtée de force (boucle infinie qui ignore les "
                          "interruptions ?)")
            elif result.get("crashed"):
                reason = "le processus de correction s'est arrêté brutalement"
            else:
                reason = explain_failure(result, [p.name for p in course.source_notebooks(a)])
            shutil.rmtree(course.root / "autograded" / student / a, ignore_errors=True)
            res = SubmissionResult(student, a, FLAGGED, reason, kept,
                                   duration=result.get("duration", 0.0))
        record(res)
        bar.update(1)
        if not res.graded:
            bar.write(f"signalé : {student}/{a} — {res.reason}")

    if tasks:
        _create_students(course, {s for s, _ in tasks})
        if sandbox_options.get("enabled", True):
            sandbox_mod.byte_compile_toolkit()
        try:
            _run_pool(tasks, course, overrides, sandbox_options, report.workers, limit,
                      on_result)
        finally:
            bar.close()
    else:
        bar.close()
    report.results = [results[p] for p in pairs + unknown if p in results]
    report.elapsed = time.perf_counter() - start
    return report
