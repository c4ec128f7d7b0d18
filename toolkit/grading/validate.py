"""Let a participant check a notebook before handing it in (nbgrader's validator, in French).

Runs offline: the notebook is executed in a local kernel and its visible tests are checked.
Hidden tests are not in the participant's copy, so passing here does not guarantee full marks.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import InputError
from toolkit.grading._render import block
from toolkit.grading.precheck import read_notebook_json
from toolkit.prompts.failures import short_failure


@dataclass
class CellProblem:
    cell: str
    detail: str


@dataclass
class ValidationReport:
    """Result of checking one notebook: ``ok`` when every visible test passes."""

    notebook: str
    passed: int = 0
    failed: list[CellProblem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    type_changed: list[str] = field(default_factory=list)
    no_tests: bool = False

    @property
    def ok(self) -> bool:
        return not (self.failed or self.changed or self.type_changed or self.no_tests)

    def _lines(self) -> list[str]:
        lines = []
        if self.no_tests:
            lines.append("Aucune cellule de test nbgrader : ce n'est pas un notebook d'exercice, "
                         "ou ses métadonnées ont été effacées. Repartez de la version "
                         "distribuée et recopiez-y vos réponses.")
        if self.type_changed:
            lines.append("Des cellules ont changé de type (code ↔ texte) : "
                         + ", ".join(self.type_changed)
                         + ". Remettez leur type d'origine (menu Cellule → Type).")
        if self.changed:
            lines.append("Des cellules de test ont été modifiées : " + ", ".join(self.changed)
                         + ". Elles seront remplacées par l'original à la correction.")
        for p in self.failed:
            lines.append(f"Cellule « {p.cell} » : {p.detail}")
        return lines

    def __str__(self) -> str:
        if self.ok:
            tests = ("le test visible passe" if self.passed == 1
                     else f"les {self.passed} tests visibles passent")
            head = (f"✓ {self.notebook} : {tests}. Vous pouvez rendre votre travail "
                    "(des tests cachés peuvent compléter la note).")
        else:
            head = f"✗ {self.notebook} : à revoir avant de rendre."
        return "\n".join([head, *(f"  - {line}" for line in self._lines())])

    def _repr_html_(self) -> str:
        return block(str(self).splitlines()[0], self._lines())


def _cell_name(cell, index: int) -> str:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return gid or f"n° {index + 1}"


def _short_error(cell) -> str:
    """One or two French lines (what is wrong — what to do), never a traceback."""
    if cell.get("cell_type") == "markdown":
        return "réponse non rédigée : écrivez votre réponse dans cette cellule"
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return " — ".join(short_failure(output.get("ename", ""), output.get("evalue", "")))
    return "le test ne donne pas tous les points : relisez la consigne de la question"


def validate(notebook: str | Path, *, timeout: float = 30, sandbox: bool = True
             ) -> ValidationReport:
    """Execute ``notebook`` and report its failing, edited or retyped test cells in French.

    The kernel runs in the bubblewrap sandbox (``sandbox=False`` only for trusted notebooks)
    and the test cells are guarded, as at grading time.
    """
    from toolkit.grading import sandbox as sandbox_mod

    if sandbox:
        sandbox_mod.require("vérifier ce notebook")
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
    from nbgrader.validator import Validator
    from traitlets.config import Config

    from toolkit.grading.execute import GuardedExecute

    path = Path(notebook).resolve()
    nb_json, reason = read_notebook_json(path)
    if nb_json is None:
        raise InputError(f"Le notebook « {path} » ne peut pas être vérifié : {reason}.",
                         "Téléchargez à nouveau votre notebook depuis JupyterLab "
                         "(Fichier → Télécharger).")
    cfg = Config()
    cfg.Execute.timeout = timeout
    cfg.Execute.interrupt_on_timeout = True
    cfg.Execute.shutdown_kernel = "immediate"
    validator = Validator(config=cfg)
    validator.preprocessors = [CheckCellMetadata, ClearOutput, GuardedExecute]
    sandbox_mod.configure(enabled=sandbox)
    report = ValidationReport(path.name)
    import nbformat

    nb = nbformat.reads(json.dumps(nb_json), as_version=4)
    if not any(c.get("metadata", {}).get("nbgrader", {}).get("grade") for c in nb.cells):
        report.no_tests = True
        return report
    type_changed = validator._get_type_changed_cells(nb)
    if type_changed:
        report.type_changed = [_cell_name(c, i) for i, c in enumerate(type_changed)]
        return report
    cwd = os.getcwd()
    os.chdir(path.parent)
    saved_stderr = os.dup(2)
    try:
        # The kernel inherits stderr and prints English transport warnings: hide them.
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        nb = validator._preprocess(nb)
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.chdir(cwd)
    names = {id(c): _cell_name(c, i) for i, c in enumerate(nb.cells)}
    report.changed = [names.get(id(c), "?") for c in validator._get_changed_cells(nb)]
    report.failed = [CellProblem(names.get(id(c), "?"), _short_error(c))
                     for c in validator._get_failed_cells(nb)]
    report.passed = len(validator._get_passed_cells(nb))
    return report
