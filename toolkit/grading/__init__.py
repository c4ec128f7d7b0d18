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
