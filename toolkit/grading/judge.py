"""Grades computed in a second, clean interpreter that has never run participant code.

nbgrader's ``Execute`` runs the submission in its sandboxed kernel
(:class:`toolkit.grading.execute.GuardedExecute`); the graded test cells are not run there.
A *judge* (:mod:`toolkit.grading._judge`), started in its own sandbox, runs the trainer's
locked cells and graded test cells, taken from nbgrader's gradebook (hidden tests included),
never from the submission. When the kernel reaches a test cell's place, the judge asks it
(through :class:`JudgeSession`) only for data: the values of the names the test reads (text,
numbers, lists, tuples, sets, dicts), and, for a function the participant wrote, the data it
returns for the arguments the test passes (the call runs in the kernel,
:mod:`toolkit.grading._serve`). Whatever the participant's code rewrote in its interpreter
(``exec``, IPython's ``run_cell`` or input transformers, ``showtraceback``, import hooks, the
helpers...), it controls only data values, the same power as writing an answer. The test
cells' outputs in the autograded notebook are the judge's verdicts, set before nbgrader's
``SaveAutoGrades`` reads them: nbgrader's own scoring, gradebook and feedback flow are kept.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from traitlets import Bool, Integer
from traitlets.config import Configurable

from toolkit.errors import AtelierError
from toolkit.grading import sandbox
from toolkit.grading._wire import Channel, WireError

#: Seconds allowed for the judge to start and for the kernel to reach its first test.
START_SECONDS = 30


class JudgeFailed(AtelierError):
    """The clean judge could not give a verdict (it crashed or ran past its time)."""


def plan_for(cells: list[dict], tests: dict[str, str], trusted: dict[str, str],
             timeout: int) -> tuple[dict, list[int]]:
    """The judge's plan for a notebook's ``cells`` and the indices of its test cells.

    ``tests`` and ``trusted`` map grade ids of graded test cells and locked cells to their
    source in the gradebook.
    """
    steps: list[dict] = []
    indices: list[int] = []
    since = 0
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            steps.append({"kind": "test", "index": len(indices), "source": tests[grade_id],
                          "wait": timeout * (since + 1) + START_SECONDS})
            indices.append(i)
            since = 0
        elif grade_id in trusted:
            steps.append({"kind": "trusted", "source": trusted[grade_id]})
            since += 1
        else:
            since += 1
    preload = imported_modules([s["source"] for s in steps])
    return {"steps": steps, "timeout": timeout, "preload": preload}, indices


def imported_modules(sources: list[str]) -> list[str]:
    """Modules the trainer's cells import (``import a.b``, ``from a.b import c``), in order."""
    import ast

    seen: dict[str, None] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    seen.setdefault(alias.name, None)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                seen.setdefault(node.module, None)
    return list(seen)


def _close(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


class JudgeServer:
    """The judge's fork server of this grading process, started once in its own sandbox.

    Starting Python and importing the check helpers is most of a judge's cost; the server
    (:func:`toolkit.grading._judge.serve_forks`) does it once, then forks a judge per
    notebook. The server never runs a plan nor sees participant data.
    """

    def __init__(self):
        self.key = _server_key()
        self._tmp = tempfile.TemporaryDirectory(prefix="atelier-judge-")
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        work = Path(self._tmp.name)
        cmd = [sys.executable, "-s", "-m", "toolkit.grading._judge", str(theirs.fileno())]
        if sandbox.settings.enabled:
            cmd = sandbox.bwrap_command(cmd, workdir=work, work_copy=work,
                                        hide=list(sandbox.settings.hide),
                                        course_root=sandbox.settings.course_root,
                                        limits=sandbox.settings.limits)
            env, cwd = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, None
        else:  # --no-sandbox: still a fresh interpreter, with the sandbox's clean environment
            env, cwd = sandbox.sandbox_env({"HOME": str(work)}), str(work)
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         env=env, cwd=cwd, pass_fds=(theirs.fileno(),))
        finally:
            theirs.close()
        self._token = 0

    def alive(self) -> bool:
        return self.proc.poll() is None and self.key == _server_key()

    def start(self, fds: tuple[int, int, int, int], preload: list[str]) -> int:
        """Fork a judge on ``fds`` (plan, channel in, channel out, verdicts); its token."""
        self._token += 1
        message = json.dumps({"token": self._token, "preload": preload}).encode("utf-8")
        socket.send_fds(self.sock, [message], list(fds))
        return self._token

    def kill(self, token: int) -> None:
        with contextlib.suppress(OSError):
            self.sock.send(json.dumps({"kill": token}).encode("utf-8"))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=2)
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        self._tmp.cleanup()


_SERVER: JudgeServer | None = None


def _server_key() -> tuple:
    s = sandbox.settings
    return (os.getpid(), s.enabled, str(s.course_root), tuple(map(str, s.hide)), s.limits)


def judge_server() -> JudgeServer:
    """This process's judge server, (re)started when missing, dead or set up differently."""
    global _SERVER
    if _SERVER is None or not _SERVER.alive():
        if _SERVER is not None and _SERVER.key[0] == os.getpid():
            _SERVER.close()
        _SERVER = JudgeServer()
    return _SERVER


def shutdown_server() -> None:
    """Stop this process's judge server (at the end of a grading run)."""
    global _SERVER
    if _SERVER is not None and _SERVER.key[0] == os.getpid():
        _SERVER.close()
    _SERVER = None


atexit.register(shutdown_server)


#: What answers the judge's requests for one test: a request in, a reply out, or WireError.
Answerer = Callable[[dict], dict]


class JudgeSession:
    """One notebook's judge, forked by the server before the kernel runs the notebook.

    :meth:`serve` answers the judge's requests at a test's place with ``answer`` (the
    kernel's data), :meth:`finish` returns the verdicts, one per test step.
    """

    def __init__(self, plan: dict, *, limit: float):
        self.limit, self.started = limit, time.monotonic()
        plan_r, plan_w = os.pipe()
        to_worker_r, to_worker_w = os.pipe()
        to_judge_r, to_judge_w = os.pipe()
        self.result_r, result_w = os.pipe()
        self.channel = Channel(to_worker_r, to_judge_w)
        theirs = (plan_r, to_judge_r, to_worker_w, result_w)
        self.server, self.token, self._ended = None, 0, False
        try:
            for attempt in range(2):  # a server found dead is started again once
                self.server = judge_server()
                try:
                    self.token = self.server.start(theirs, plan.get("preload", []))
                    break
                except OSError:
                    shutdown_server()
                    if attempt:
                        raise JudgeFailed("la correction propre n'a pas pu démarrer",
                                          "Relancez la correction ; vérifiez que « bwrap » "
                                          "fonctionne (atelier doctor).") from None
        except BaseException:
            _close(plan_w, self.result_r, to_worker_r, to_judge_w)
            raise
        finally:
            _close(*theirs)
        with contextlib.suppress(OSError), os.fdopen(plan_w, "wb") as stream:
            stream.write(json.dumps(plan).encode("utf-8"))

    def _left(self) -> float:
        return max(0.0, self.limit - (time.monotonic() - self.started))

    def hang_up(self) -> None:
        """Tell the judge nothing more will answer (the kernel is given up)."""
        if not self.channel.dead:
            self.channel.dead = True
            _close(self.channel.read_fd, self.channel.write_fd)

    def serve(self, index: int, answer: Answerer) -> None:
        """Answer the judge's requests for test ``index`` until it says ``resume``."""
        try:
            self.channel.send({"paused": index})
            while True:
                request = self.channel.receive(timeout=self._left())
                if "get" not in request and "call" not in request:
                    return  # resume
                try:
                    message = answer(request)
                except WireError:  # the kernel did not answer in time: nothing more is
                    self.hang_up()  # trusted from it
                    return
                self.channel.send(message)
        except WireError:
            self.hang_up()

    def _read_result(self) -> bytes | None:
        data = b""
        while True:
            left = self._left()
            if left <= 0 or not select.select([self.result_r], [], [], left)[0]:
                return None
            chunk = os.read(self.result_r, 1 << 20)
            if not chunk:
                self._ended = True  # the judge closed its end: it has finished
                return data
            data += chunk

    def finish(self) -> list[dict]:
        """The judge's verdicts; :class:`JudgeFailed` if it gave none in time."""
        self.hang_up()
        try:
            out = self._read_result()
            if out is None:
                raise JudgeFailed(
                    f"la correction propre a dépassé {self.limit:.0f} s",
                    "Relancez la correction de ce rendu ; s'il échoue encore, corrigez-le "
                    "à la main.")
            if not out:
                raise JudgeFailed(
                    f"la correction propre s'est arrêtée sans verdict (après "
                    f"{time.monotonic() - self.started:.1f} s)",
                    "Relancez la correction ; vérifiez que « bwrap » fonctionne "
                    "(atelier doctor).")
            try:
                return json.loads(out)["verdicts"]
            except (ValueError, KeyError, TypeError):
                raise JudgeFailed("la correction propre n'a pas rendu de verdict lisible",
                                  "Relancez la correction de ce rendu.") from None
        finally:
            self.close()

    def close(self) -> None:
        """Hang up and stop this notebook's judge if it still runs."""
        self.hang_up()
        if self.result_r >= 0:
            _close(self.result_r)
            self.result_r = -1
            if not self._ended and self.server is not None and self.server.alive():
                self.server.kill(self.token)


def verdict_outputs(verdict: dict) -> list:
    """The outputs of a test cell as nbgrader will score them (an error output is a 0)."""
    from nbformat.v4 import new_output

    outputs = []
    if verdict.get("stdout"):
        outputs.append(new_output("stream", name="stdout", text=verdict["stdout"]))
    if verdict.get("ok"):
        if "value" in verdict:
            outputs.append(new_output("execute_result", data={"text/plain": repr(
                verdict["value"])}, execution_count=None))
        return outputs
    ename, evalue = verdict.get("ename", "Erreur"), verdict.get("evalue", "")
    traceback = [f"Cell In[1], line {verdict['line']}"] if verdict.get("line") else []
    outputs.append(new_output("error", ename=ename, evalue=evalue,
                              traceback=[*traceback, f"{ename}: {evalue}"]))
    return outputs


def gradebook_sources(resources: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Graded test cells and trusted locked code cells of the notebook, from the gradebook."""
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        graded = {c.name for c in notebook.grade_cells}
        solutions = {c.name for c in notebook.solution_cells}
        tests, trusted = {}, {}
        for cell in notebook.source_cells:
            if cell.cell_type != "code" or cell.name in solutions:
                continue
            if cell.name in graded:
                tests[cell.name] = cell.source or ""
            elif cell.locked:
                trusted[cell.name] = cell.source or ""
    return tests, trusted


class JudgeTests(Configurable):
    """Settings of the clean judge (``c.JudgeTests.*`` in ``nbgrader_config.py``)."""

    enabled = Bool(True, help="Compute the grades in a clean interpreter.").tag(config=True)
    judge_limit = Integer(600, help="Seconds for the whole clean run of one notebook."
                          ).tag(config=True)
