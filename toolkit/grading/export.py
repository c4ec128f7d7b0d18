"""Export grades (CSV and Excel, or Moodle's gradebook import CSV) per exercise, flags included.

A flagged submission (not graded, see ``autograde``) has an empty score and the status
``signalé`` with its reason: it never looks like a plain 0. Statuses: ``corrigé``,
``correction manuelle à faire``, ``signalé``, ``non corrigé`` (submitted, not graded yet),
``non rendu``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.fr import pluriel
from toolkit.grading.course import Course
from toolkit.grading.flags import load_flags

if TYPE_CHECKING:  # pandas is imported when a table is built, not with the module
    import pandas as pd

STATUS_GRADED = "corrigé"
STATUS_MANUAL = "correction manuelle à faire"
STATUS_FLAGGED = "signalé"
STATUS_PENDING = "non corrigé"
STATUS_MISSING = "non rendu"
FORMATS = ("excel", "moodle", "xapi")
#: Base IRI of the activities and accounts of the xAPI statements (override with base=...).
XAPI_BASE = "https://atelier-ia.local"
XAPI_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
#: The identifier columns of the Moodle file; at import, « Map from » one of them to the
#: matching « Map to » field (username / useremail).
MOODLE_ID = "Username"
MOODLE_EMAIL = "Email address"
MOODLE_QUIZ = "Quiz (après la formation)"


@dataclass
class GradesTable:
    """Tidy grades (one row per participant and exercise) and the wide per-participant form.

    ``tidy`` columns: participant, exercice, points, points_max, statut, raison.
    ``wide`` columns: participant, then per exercise ``<exercice>`` (points) and
    ``<exercice> statut``, then total (empty when an exercise is flagged), total_corrigé
    (graded exercises only), total_max, signalements, raisons (why each flagged exercise
    was not graded, e.g. « 01-demo : ... »).
    """

    tidy: pd.DataFrame
    wide: pd.DataFrame
    files: tuple[Path, ...] = ()

    def __str__(self) -> str:
        counts = self.tidy["statut"].value_counts()
        parts = ", ".join(f"{n} {s}" for s, n in counts.items())
        who = pluriel(self.wide.shape[0], "participant")
        lines = [f"Notes de {who}\u00a0: {parts or 'aucune'}"]
        lines += [f"  fichier : {f}" for f in self.files]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        title = str(self).splitlines()[0]
        return f"<div><strong>{title}</strong>{self.wide.to_html(index=False)}</div>"


def grades_table(course: Course | str | None = None) -> GradesTable:
    """Read the gradebook and the flags into a :class:`GradesTable`."""
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    course = course if isinstance(course, Course) else Course.open(course)
    flags = load_flags(course.flags_path)
    db_url = course.db_url()
    rows = []
    submitted = set(course.submissions())
    with Gradebook(db_url) as gb:
        assignments = sorted({a.name for a in gb.assignments} | set(course.assignments())
                             | {a for a, students in flags.items() if students})
        max_scores = {a.name: a.max_score for a in gb.assignments}
        students = sorted({s.id for s in gb.students} | {s for s, _ in submitted}
                          | {s for a in flags.values() for s in a})
        for a in assignments:
            for s in students:
                flag = flags.get(a, {}).get(s)
                row = {"participant": s, "exercice": a, "points": None,
                       "points_max": max_scores.get(a), "statut": STATUS_MISSING, "raison": ""}
                if flag:
                    row.update(statut=STATUS_FLAGGED, raison=flag.get("reason", ""))
                else:
                    try:
                        sub = gb.find_submission(a, s)
                    except MissingEntry:
                        sub = None
                    graded = (course.root / "autograded" / s / a).is_dir()
                    if sub is not None and graded:
                        row.update(points=float(sub.score), points_max=float(sub.max_score),
                                   statut=STATUS_MANUAL if sub.needs_manual_grade
                                   else STATUS_GRADED)
                    elif (s, a) in submitted:
                        row["statut"] = STATUS_PENDING
                rows.append(row)
    tidy = pd.DataFrame(rows, columns=["participant", "exercice", "points", "points_max",
                                       "statut", "raison"])
    return GradesTable(tidy, _widen(tidy, assignments))


def _widen(tidy, assignments):
    import pandas as pd

    records = []
    for student, group in tidy.groupby("participant", sort=True):
        rec = {"participant": student}
        by = group.set_index("exercice")
        for a in assignments:
            rec[a] = by.at[a, "points"] if a in by.index else None
            rec[f"{a} statut"] = by.at[a, "statut"] if a in by.index else STATUS_MISSING
        graded = float(group["points"].fillna(0).sum())
        rec["signalements"] = int((group["statut"] == STATUS_FLAGGED).sum())
        # With a flagged exercise the total is unknown, not a low grade: leave it empty.
        rec["total"] = None if rec["signalements"] else graded
        rec["total_corrigé"] = graded
        rec["total_max"] = float(group["points_max"].fillna(0).sum())
        flagged = group[group["statut"] == STATUS_FLAGGED]
        rec["raisons"] = " | ".join(f"{r.exercice} : {r.raison}" for r in flagged.itertuples())
        records.append(rec)
    columns = ["participant"] + [c for a in assignments for c in (a, f"{a} statut")]
    return pd.DataFrame(records, columns=[*columns, "total", "total_corrigé", "total_max",
                                          "signalements", "raisons"])


def export_grades(output: str | Path | None = None, *, course: Course | str | None = None,
                  excel: bool = True) -> GradesTable:
    """Write ``<output>.csv`` (``;``, decimal comma, UTF-8 with BOM for Excel) and ``.xlsx``.

    ``output`` defaults to ``<course>/exports/notes``; the suffix given is ignored.
    """
    course = course if isinstance(course, Course) else Course.open(course)
    table = grades_table(course)
    stem = Path(output).with_suffix("") if output else course.root / "exports" / "notes"
    stem.parent.mkdir(parents=True, exist_ok=True)
    csv_path = stem.with_suffix(".csv")
    table.wide.to_csv(csv_path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    files = [csv_path]
    if excel:
        xlsx_path = stem.with_suffix(".xlsx")
        _write_excel(table, xlsx_path)
        files.append(xlsx_path)
    table.files = tuple(files)
    return table


def _write_excel(table: GradesTable, path: Path) -> None:
    import pandas as pd
    from openpyxl.styles import Font, PatternFill

    orange = PatternFill("solid", fgColor="F8CBAD")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        table.wide.to_excel(writer, sheet_name="Notes", index=False)
        table.tidy.to_excel(writer, sheet_name="Détail", index=False)
        for name in ("Notes", "Détail"):
            sheet = writer.sheets[name]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.value == STATUS_FLAGGED:
                        cell.fill = orange
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)


def moodle_rows(table: GradesTable, *, emails: dict[str, str] | None = None,
                quiz: dict[str, float | None] | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the Moodle grade import CSV (Grades > Import > CSV file).

    One row per participant: the identifier columns, then one column per grade item (each
    exercise, then the survey's quiz when *quiz* maps participants to their score).  A grade
    Moodle must not record (flagged, not graded, not handed in) is an empty cell: Moodle
    leaves that grade untouched.  Decimal point, as Moodle reads numbers.
    """
    emails = emails or {}
    exercises = list(dict.fromkeys(table.tidy["exercice"]))
    header = [MOODLE_ID, MOODLE_EMAIL, *exercises] + ([MOODLE_QUIZ] if quiz is not None else [])
    graded = (STATUS_GRADED,)
    by = {(r["participant"], r["exercice"]): r for r in table.tidy.to_dict("records")}
    rows = []
    for student in sorted(dict.fromkeys(table.tidy["participant"])):
        row = [student, emails.get(student, "")]
        for a in exercises:
            r = by.get((student, a))
            if r is not None and r["statut"] in graded and r["points"] == r["points"]:
                row.append(_moodle_number(r["points"]))
            else:
                row.append("")
        if quiz is not None:
            row.append(_moodle_number(quiz.get(student)))
        rows.append(row)
    return header, rows


def _moodle_number(value) -> str:
    if value is None or value != value:
        return ""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def export_moodle(output: str | Path | None = None, *, course: Course | str | None = None,
                  quiz: dict[str, float | None] | None = None) -> GradesTable:
    """Write ``<output>-moodle.csv`` (comma, UTF-8) for Moodle's gradebook CSV import."""
    import csv

    course = course if isinstance(course, Course) else Course.open(course)
    table = grades_table(course)
    stem = Path(output).with_suffix("") if output else course.root / "exports" / "notes"
    stem.parent.mkdir(parents=True, exist_ok=True)
    path = stem.with_name(stem.name + "-moodle.csv")
    header, rows = moodle_rows(table, emails=_emails(course), quiz=quiz)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    table.files = (path,)
    return table


def _emails(course: Course) -> dict[str, str]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url()) as gb:
        return {s.id: s.email for s in gb.students if s.email}


def xapi_statements(table: GradesTable, *, emails: dict[str, str] | None = None,
                    base: str = XAPI_BASE) -> list:
    """xAPI 1.0.3 « completed » statements (``tincan.Statement``), one per graded exercise.

    Only exercises with the status ``corrigé`` are completions; a flagged, pending or missing
    exercise has no statement.  The actor is the participant's e-mail when the gradebook has
    one, otherwise their hub account under *base*.
    """
    from tincan import (
        Activity,
        ActivityDefinition,
        Agent,
        AgentAccount,
        LanguageMap,
        Result,
        Score,
        Statement,
        Verb,
    )

    emails = emails or {}
    base = base.rstrip("/")
    verb = Verb(id=XAPI_COMPLETED, display=LanguageMap({"fr-FR": "a terminé"}))
    statements = []
    for r in table.tidy.to_dict("records"):
        if r["statut"] != STATUS_GRADED or r["points"] != r["points"]:
            continue
        student = str(r["participant"])
        email = emails.get(student)
        actor = (Agent(name=student, mbox=f"mailto:{email}") if email else
                 Agent(name=student, account=AgentAccount(name=student, home_page=base)))
        top = float(r["points_max"] or 0)
        score = Score(raw=float(r["points"]), min=0.0, max=top,
                      scaled=round(float(r["points"]) / top, 4) if top else None)
        statements.append(Statement(
            actor=actor, verb=verb,
            object=Activity(id=f"{base}/exercices/{r['exercice']}", definition=ActivityDefinition(
                name=LanguageMap({"fr-FR": str(r["exercice"])}),
                type="http://adlnet.gov/expapi/activities/assessment")),
            result=Result(score=score, completion=True, success=None)))
    return statements


def export_xapi(output: str | Path | None = None, *, course: Course | str | None = None,
                base: str = XAPI_BASE) -> GradesTable:
    """Write ``<output>-xapi.json``: the completions as a JSON list of xAPI statements."""
    import json

    course = course if isinstance(course, Course) else Course.open(course)
    table = grades_table(course)
    stem = Path(output).with_suffix("") if output else course.root / "exports" / "notes"
    stem.parent.mkdir(parents=True, exist_ok=True)
    path = stem.with_name(stem.name + "-xapi.json")
    statements = xapi_statements(table, emails=_emails(course), base=base)
    path.write_text(json.dumps([json.loads(s.to_json()) for s in statements],
                               ensure_ascii=False, indent=2), encoding="utf-8")
    table.files = (path,)
    return table
