"""nbgrader wrappers for administrators: release, collect, parallel autograde, feedback, export.

Plain functions returning small result objects with a French text form and an HTML form::

    from toolkit.grading import release, collect, autograde, generate_feedback, export_grades
    release()                                 # release/ for every exercise
    collect("rendus.zip")                     # submitted/<participant>/<exercice>/
    report = autograde(workers=4)             # each submission graded or flagged
    generate_feedback(); export_grades()

Participants: ``verifier_mon_travail()`` or the ``bouton_verifier()`` button.

nbgrader itself is imported only when a function runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

# name -> submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    "AutogradeReport": "toolkit.grading.autograde",
    "SubmissionResult": "toolkit.grading.autograde",
    "autograde": "toolkit.grading.autograde",
    "CollectReport": "toolkit.grading.collect",
    "collect": "toolkit.grading.collect",
    "Course": "toolkit.grading.course",
    "normalise_student_id": "toolkit.grading.course",
    "GradesTable": "toolkit.grading.export",
    "export_grades": "toolkit.grading.export",
    "grades_table": "toolkit.grading.export",
    "FeedbackReport": "toolkit.grading.feedback",
    "generate_feedback": "toolkit.grading.feedback",
    "bouton_verifier": "toolkit.grading.participant",
    "verifier_mon_travail": "toolkit.grading.participant",
    "PrecheckResult": "toolkit.grading.precheck",
    "precheck": "toolkit.grading.precheck",
    "ReleaseReport": "toolkit.grading.release",
    "release": "toolkit.grading.release",
    "ValidationReport": "toolkit.grading.validate",
    "validate": "toolkit.grading.validate",
}

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.grading.autograde import AutogradeReport, SubmissionResult, autograde
    from toolkit.grading.collect import CollectReport, collect
    from toolkit.grading.course import Course, normalise_student_id
    from toolkit.grading.export import GradesTable, export_grades, grades_table
    from toolkit.grading.feedback import FeedbackReport, generate_feedback
    from toolkit.grading.participant import bouton_verifier, verifier_mon_travail
    from toolkit.grading.precheck import PrecheckResult, precheck
    from toolkit.grading.release import ReleaseReport, release
    from toolkit.grading.validate import ValidationReport, validate

__all__ = [
    "AutogradeReport",
    "CollectReport",
    "Course",
    "FeedbackReport",
    "GradesTable",
    "PrecheckResult",
    "ReleaseReport",
    "SubmissionResult",
    "ValidationReport",
    "autograde",
    "bouton_verifier",
    "collect",
    "export_grades",
    "generate_feedback",
    "grades_table",
    "normalise_student_id",
    "precheck",
    "release",
    "validate",
    "verifier_mon_travail",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
