"""nbgrader's ``Execute`` preprocessor, sandboxed, with capped outputs and guarded test cells.

Used by ``atelier grade autograde`` (``Autograde.autograde_preprocessors``), ``atelier grade
validate`` and ``atelier grade check``:

- the kernel runs inside bubblewrap (:mod:`toolkit.grading.sandbox`) unless the sandbox was
  explicitly turned off;
- a cell's outputs are capped in the kernel (printed text, :mod:`toolkit.grading._kernel_ext`)
  and in the grader as they arrive (``max_output_bytes``): a cell that prints 200 MB keeps
  its first megabyte and a French note, whatever the machine's load;
- with the clean judge (``judge=True``, set by autograde): the graded test cells are not run
  in the kernel; at each one's place the judge (:mod:`toolkit.grading.judge`), which has
  never run participant code, asks the kernel for data only (:mod:`toolkit.grading._serve`,
  evaluated as an IPython user expression) and its verdicts become the cells' outputs;
- without it (``atelier grade validate`` and ``check``, where the participant checks their
  own work): every graded test cell first runs :mod:`toolkit.grading._guard`, which reloads
  the check helpers (``verifier_*``) from the installed files, so helpers the participant
  replaced in the notebook, in ``toolkit``'s modules or in ``builtins`` are not the ones that
  check.
"""

from __future__ import annotations

import base64
import inspect
import json
import re
from pathlib import Path

from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from toolkit.grading import sandbox
from toolkit.grading._kernel_ext import TRUNCATED
from toolkit.grading._wire import MAX_MESSAGE, WireError

GUARD_PATH = str(Path(__file__).with_name("_guard.py"))

#: One line put before the source of each graded test cell while it runs (never saved).
#: ``exec(compile(open(...)))`` reads the guard from its file: a module planted in
#: ``sys.modules`` cannot stand in for it.
PRELUDE = (f"exec(compile(open({GUARD_PATH!r}, 'rb').read(), {GUARD_PATH!r}, 'exec'), "
           "{'__name__': '__atelier_guard__', '__ns__': globals()})\n")


_CELL_LINE = re.compile(r"(Cell In\[\d+\], line )(\d+)")

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _minus_one(match: re.Match) -> str:
    return f"{match.group(1)}{max(1, int(match.group(2)) - 1)}"


def _renumber(frame: str) -> str:
    """A traceback frame of the guarded cell, as if the prelude line were not there."""
    plain = _ANSI.sub("", frame)
    if not _CELL_LINE.search(plain):
        return frame
    lines = [ln for ln in plain.splitlines() if GUARD_PATH not in ln]
    return _CELL_LINE.sub(_minus_one, "\n".join(lines))


def _size(content: dict) -> int:
    if "text" in content:
        return len(content["text"])
    size = sum(len(str(v)) for v in content.get("data", {}).values())
    return size + sum(len(line) for line in content.get("traceback", []))


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.get("cell_type") == "code" and bool(meta.get("grade"))
            and not meta.get("solution"))


class GuardedExecute(Execute):
    """nbgrader's Execute in the sandbox, with per-cell output cap and guarded test cells."""

    max_output_bytes = Integer(
        1_000_000, help="Characters of output kept per cell; the rest is dropped on arrival."
    ).tag(config=True)
    guard_tests = Bool(True, help="Reload the check helpers at the top of test cells.").tag(
        config=True)
    judge = Bool(False, help="Have the clean judge decide the graded test cells "
                 "(needs nbgrader's gradebook in the resources; JudgeTests.enabled).").tag(
        config=True)

    def __init__(self, *args, **kwargs):
        if sandbox.settings.enabled:
            kwargs.setdefault("kernel_manager_class", sandbox.SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._output_sizes: dict[int, int] = {}
        self._session = None
        self._tests: dict[int, int] = {}
        self._kernel_lost = False
        if "--ext=toolkit.grading._kernel_ext" not in self.extra_arguments:
            self.extra_arguments = [*self.extra_arguments, "--ext=toolkit.grading._kernel_ext"]

    def preprocess(self, nb, resources=None, km=None):
        from toolkit.grading.judge import (
            JudgeSession,
            JudgeTests,
            gradebook_sources,
            plan_for,
            verdict_outputs,
        )

        settings = JudgeTests(config=self.config)
        self._session, self._tests, self._kernel_lost = None, {}, False
        if self.judge and settings.enabled:
            tests, trusted = (resources.get("atelier_judge_sources")
                              or gradebook_sources(resources))
            plan, indices = plan_for(nb.cells, tests, trusted, int(self.timeout or 30))
            if indices:  # started now: the judge's start overlaps the kernel's
                self._session = JudgeSession(plan, limit=settings.judge_limit)
                self._tests = {i: k for k, i in enumerate(indices)}
        try:
            nb, resources = super().preprocess(nb, resources, km)
            if self._session is not None:
                verdicts = {v.get("index"): v for v in self._session.finish()}
                resources["judge_verdicts"] = [verdicts.get(k) for k in range(len(self._tests))]
                for i, k in self._tests.items():
                    nb.cells[i].outputs = verdict_outputs(verdicts.get(k, {
                        "ok": False, "ename": "JudgeFailed", "evalue": "un test a échoué"}))
            return nb, resources
        finally:
            if self._session is not None:
                self._session.close()
            self._session = None

    def _kernel_answer(self, request: dict) -> dict:
        """One request of the judge, answered by the kernel: data only, or WireError."""
        payload = base64.b64encode(json.dumps(request).encode("utf-8")).decode("ascii")
        expression = (f"__import__('toolkit.grading._serve', fromlist=['reply'])"
                      f".reply(globals(), {payload!r}, {int(self.timeout or 30)})")
        msg_id = self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"r": expression})
        if inspect.isawaitable(msg_id):  # pragma: no cover - depends on jupyter_client
            raise WireError("asynchronous client")
        try:
            reply = self.wait_for_reply(msg_id)  # the cell limit; on timeout, interrupted
        except Exception:  # noqa: BLE001 - a dead or stuck kernel answers nothing
            reply = None
        if reply is None:  # stuck (a call that never returns) or dead: the kernel is lost
            self._kernel_lost = True
            raise WireError("the kernel did not answer")
        value = reply.get("content", {}).get("user_expressions", {}).get("r", {})
        text = value.get("data", {}).get("text/plain", "") if isinstance(value, dict) else ""
        if (not isinstance(text, str) or len(text) > MAX_MESSAGE * 4 // 3 + 2
                or not re.fullmatch(r"'[A-Za-z0-9+/=]*'", text)):
            raise WireError("not a reply")
        try:
            message = json.loads(base64.b64decode(text[1:-1], validate=True))
        except (ValueError, RecursionError):
            raise WireError("not JSON") from None
        if type(message) is not dict:
            raise WireError("not a message")
        return message

    def preprocess_cell(self, cell, resources, index):
        if self._kernel_lost and cell.get("cell_type") == "code":
            # Nothing the kernel does now can change a grade (the judge no longer asks it):
            # the rest is not run, so a stuck kernel costs one time limit, not one per cell.
            cell.outputs, cell.execution_count = [], None
            return cell, resources
        if self._session is not None and index in self._tests:
            # Not run here: the judge runs the gradebook's test with the kernel's data.
            cell.outputs, cell.execution_count = [], None
            self._session.serve(self._tests[index], self._kernel_answer)
            return cell, resources
        if not (self.guard_tests and is_test_cell(cell)):
            return super().preprocess_cell(cell, resources, index)
        original = cell.source
        cell.source = PRELUDE + original
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = original
            # Line numbers in tracebacks refer to the source as the participant sees it.
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [_renumber(line)
                                           for line in output.get("traceback", [])]

    def output(self, outs, msg, display_id, cell_index):
        used = self._output_sizes.get(cell_index, 0)
        if used > self.max_output_bytes:
            return None
        used += _size(msg.get("content", {}))
        self._output_sizes[cell_index] = used
        if used > self.max_output_bytes:
            from nbformat.v4 import new_output

            note = new_output("stream", name="stderr",
                              text=TRUNCATED.format(mb=max(1, self.max_output_bytes // 10**6)))
            outs.append(note)
            return None
        return super().output(outs, msg, display_id, cell_index)
