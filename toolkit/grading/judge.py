"""Grades computed in a second, clean interpreter that has never run participant code.

After nbgrader's ``Execute`` has run the submission in its kernel, :class:`JudgeTests` runs
two more sandboxed processes:

- the *answer process* (:mod:`toolkit.grading._answers`) runs the submission's code cells
  again, test cells left out, the trainer's locked cells taken from the gradebook;
- the *judge* (:mod:`toolkit.grading._judge`) runs the trainer's locked cells and graded
  test cells, taken from the gradebook (hidden tests included), never from the submission.

At each test the judge takes from the answer process only data: the values of the names the
test reads (text, numbers, lists, tuples, sets, dicts), and, for a function the participant
wrote, the data it returns for the arguments the test passes (the call runs in the answer
process). Whatever the participant's code rewrote in its interpreter (``exec``, IPython's
``run_cell`` or input transformers, ``showtraceback``, import hooks, the helpers...), it
controls only data values, the same power as writing an answer. The test cells' outputs in
the autograded notebook are replaced by the judge's, before nbgrader's ``SaveAutoGrades``
reads them: nbgrader's own scoring, gradebook and feedback flow are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from toolkit.errors import AtelierError
from toolkit.grading import sandbox

#: Seconds allowed for each sandboxed process to start (Python, IPython and the toolkit).
START_SECONDS = 30


class JudgeFailed(AtelierError):
    """The clean judge could not give a verdict (it crashed or ran past its time)."""


def plan_for(cells: list[dict], tests: dict[str, str], trusted: dict[str, str],
             timeout: int) -> tuple[dict, dict, list[int]]:
    """The answer process's and the judge's plans for a notebook's ``cells``.

    ``tests`` and ``trusted`` map grade ids of graded test cells and locked cells to their
    source in the gradebook. Returns ``(answers_plan, judge_plan, test_cell_indices)``.
    """
    answer_cells: list[dict] = []
    steps: list[dict] = []
    indices: list[int] = []
    since = 0
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            k = len(indices)
            answer_cells.append({"pause": k})
            steps.append({"kind": "test", "index": k, "source": tests[grade_id],
                          "wait": timeout * (since + 1) + START_SECONDS})
            indices.append(i)
            since = 0
        elif grade_id in trusted:
            answer_cells.append({"run": trusted[grade_id]})
            steps.append({"kind": "trusted", "source": trusted[grade_id]})
            since += 1
        else:
            source = cell.get("source", "")
            answer_cells.append({"run": "".join(source) if isinstance(source, list)
                                 else source})
            since += 1
    return ({"cells": answer_cells, "timeout": timeout},
            {"steps": steps, "timeout": timeout}, indices)


def _start(module: str, *, workdir: Path | None, fds: tuple[int, ...], tmp: Path,
           stdout: int):
    """Start ``python -m module`` in a sandbox (or, sandbox turned off, a clean process)."""
    cmd = [sys.executable, "-s", "-m", module, *map(str, fds)]
    work = tmp / module.rsplit(".", 1)[-1]
    work.mkdir()
    seen = workdir.resolve() if workdir is not None and workdir.is_dir() else work
    if workdir is not None and workdir.is_dir():
        sandbox.copy_folder(workdir, work)
    if sandbox.settings.enabled:
        cmd = sandbox.bwrap_command(cmd, workdir=seen, work_copy=work,
                                    hide=list(sandbox.settings.hide),
                                    course_root=sandbox.settings.course_root,
                                    limits=sandbox.settings.limits)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        cwd = None
    else:  # --no-sandbox: still a fresh interpreter, with the sandbox's clean environment
        env = sandbox.sandbox_env({"HOME": str(work)})
        cwd = str(work)
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=stdout,
                            stderr=subprocess.DEVNULL, env=env, cwd=cwd, pass_fds=fds,
                            start_new_session=True)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def run_clean(answers_plan: dict, judge_plan: dict, *, workdir: Path | None,
              limit: float) -> list[dict]:
    """Run the answer process and the judge; the judge's verdicts (one per test step)."""
    with tempfile.TemporaryDirectory(prefix="atelier-judge-") as tmp:
        to_answers_r, to_answers_w = os.pipe()
        to_judge_r, to_judge_w = os.pipe()
        answers = judge = None
        try:
            answers = _start("toolkit.grading._answers", workdir=workdir,
                             fds=(to_answers_r, to_judge_w), tmp=Path(tmp),
                             stdout=subprocess.DEVNULL)  # what the answers print is dropped
            judge = _start("toolkit.grading._judge", workdir=None,
                           fds=(to_judge_r, to_answers_w), tmp=Path(tmp),
                           stdout=subprocess.PIPE)
            for fd in (to_answers_r, to_judge_w, to_judge_r, to_answers_w):
                os.close(fd)
            if answers.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    answers.stdin.write(json.dumps(answers_plan).encode("utf-8"))
                    answers.stdin.close()
            start = time.monotonic()
            try:
                out, _ = judge.communicate(json.dumps(judge_plan).encode("utf-8"),
                                           timeout=limit)
            except subprocess.TimeoutExpired:
                raise JudgeFailed(
                    f"la correction propre a dépassé {limit:.0f} s",
                    "Relancez la correction de ce rendu ; s'il échoue encore, corrigez-le "
                    "à la main.") from None
            if judge.returncode != 0:
                raise JudgeFailed(
                    f"la correction propre s'est arrêtée (code {judge.returncode}, "
                    f"après {time.monotonic() - start:.1f} s)",
                    "Relancez la correction ; vérifiez que « bwrap » fonctionne "
                    "(atelier doctor).")
            try:
                verdicts = json.loads(out)["verdicts"]
            except (ValueError, KeyError, TypeError):
                raise JudgeFailed("la correction propre n'a pas rendu de verdict lisible",
                                  "Relancez la correction de ce rendu.") from None
        finally:
            for fd in (to_answers_r, to_judge_w, to_judge_r, to_answers_w):
                with contextlib.suppress(OSError):
                    os.close(fd)
            _stop(judge)
            _stop(answers)
    return verdicts


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


def _gradebook_sources(resources: dict) -> tuple[dict[str, str], dict[str, str]]:
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


class JudgeTests(Preprocessor):
    """Replace the test cells' outputs by the verdicts of a clean interpreter."""

    enabled = Bool(True, help="Compute the grades in a clean interpreter.").tag(config=True)
    timeout = Integer(30, help="Seconds per cell and per call to a participant's function."
                      ).tag(config=True)
    judge_limit = Integer(600, help="Seconds for the whole clean run of one notebook."
                          ).tag(config=True)

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        timeout = int(self.config.get("Execute", {}).get("timeout", self.timeout) or 30)
        tests, trusted = _gradebook_sources(resources)
        answers_plan, judge_plan, indices = plan_for(nb.cells, tests, trusted, timeout)
        if not indices:
            return nb, resources
        path = resources.get("metadata", {}).get("path")
        verdicts = run_clean(answers_plan, judge_plan,
                             workdir=Path(path) if path else None, limit=self.judge_limit)
        by_index = {v.get("index"): v for v in verdicts}
        for k, i in enumerate(indices):
            verdict = by_index.get(k, {"ok": False, "ename": "JudgeFailed",
                                       "evalue": "un test a échoué"})
            nb.cells[i].outputs = verdict_outputs(verdict)
        return nb, resources
