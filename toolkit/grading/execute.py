"""nbgrader's ``Execute`` preprocessor, sandboxed, with capped outputs and guarded test cells.

Used by ``atelier grade autograde`` (``Autograde.autograde_preprocessors``), ``atelier grade
validate`` and ``atelier grade check``:

- the kernel runs inside bubblewrap (:mod:`toolkit.grading.sandbox`) unless the sandbox was
  explicitly turned off;
- a cell's outputs are capped in the kernel (printed text, :mod:`toolkit.grading._kernel_ext`)
  and in the grader as they arrive (``max_output_bytes``): a cell that prints 200 MB keeps
  its first megabyte and a French note, whatever the machine's load;
- every graded test cell first runs :mod:`toolkit.grading._guard`, which reloads the check
  helpers (``verifier_*``) from the installed files, so helpers the participant replaced in
  the notebook, in ``toolkit``'s modules or in ``builtins`` are not the ones that judge.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from toolkit.grading import sandbox
from toolkit.grading.submission import TRUNCATED

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

    def __init__(self, *args, **kwargs):
        if sandbox.settings.enabled:
            kwargs.setdefault("kernel_manager_class", sandbox.SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._output_sizes: dict[int, int] = {}
        if "--ext=toolkit.grading._kernel_ext" not in self.extra_arguments:
            self.extra_arguments = [*self.extra_arguments, "--ext=toolkit.grading._kernel_ext"]

    def preprocess_cell(self, cell, resources, index):
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
