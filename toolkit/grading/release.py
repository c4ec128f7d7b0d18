"""Generate the student versions of the exercises (``nbgrader generate_assignment``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import InputError
from toolkit.grading._render import block
from toolkit.grading.course import Course, load_config, make_api, nbgrader_error_summary

#: Cells nbgrader's ``IncludeHeaderFooter`` appends to every released notebook: the
#: « ✅ Vérifier mon travail » button (the participant's check, sandboxed, in French).
FOOTER = Path(__file__).with_name("templates") / "verifier-mon-travail.ipynb"


def release_api(course: Course):
    """nbgrader's API for releasing: the check button as footer and French stubs, unless
    the course configures its own."""
    # nbgrader's own stubs are English (« YOUR ANSWER HERE »): the course's French markers.
    from toolkit.publish.pipeline import CODE_STUB, TEXT_STUB

    cfg = load_config(course)
    overrides: dict[str, object] = {}
    if not cfg.IncludeHeaderFooter.get("footer"):
        overrides["IncludeHeaderFooter.footer"] = str(FOOTER)
    if "code_stub" not in cfg.ClearSolutions:
        overrides["ClearSolutions.code_stub"] = {
            "python": f"{CODE_STUB}\nraise NotImplementedError()"}
    if "text_stub" not in cfg.ClearSolutions:
        overrides["ClearSolutions.text_stub"] = TEXT_STUB
    return make_api(course, overrides)


@dataclass
class ReleaseReport:
    """Which assignments were released, and which failed with what reason."""

    released: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        lines = [f"Versions participant générées : {len(self.released)}"]
        lines += [f"  ✓ {a}" for a in self.released]
        lines += [f"  ✗ {a} : {reason}" for a, reason in self.failed.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return block(
            f"Versions participant générées : {len(self.released)}",
            [f"✓ {a}" for a in self.released]
            + [f"✗ {a} : {r}" for a, r in self.failed.items()],
        )


def release(assignment: str | None = None, *, course: Course | str | None = None,
            api=None) -> ReleaseReport:
    """Generate ``release/<assignment>/`` (every assignment when ``assignment`` is None).

    Solutions and hidden tests are removed, the « ✅ Vérifier mon travail » cells appended
    (:data:`FOOTER`) and the assignment is recorded in the gradebook.
    """
    course = course if isinstance(course, Course) else Course.open(course)
    names = [course.check_assignment(assignment)] if assignment else course.assignments()
    if not names:
        raise InputError(f"Aucun exercice dans {course.root / 'source'}.",
                         "Ajoutez source/NN-sujet/NN-sujet.ipynb.")
    api = api or release_api(course)
    report = ReleaseReport()
    for name in names:
        result = api.generate_assignment(name, force=True, create=True)
        if result.get("success"):
            report.released.append(name)
        else:
            report.failed[name] = nbgrader_error_summary(result)
    return report
