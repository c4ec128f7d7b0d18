"""The evidence documents: attendance sheets, attestations, AI-literacy register, Qualiopi 11.

Each ``write_*`` function reads ``curriculum.yml`` (titles, objectives, durations, the
``day: J+N`` of each session), renders HTML from ``toolkit/data/preuves`` and, unless
``pdf=False``, prints it to PDF with chromium.  The CLI ``atelier preuves`` is a thin layer
over these functions.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from toolkit.errors import InputError
from toolkit.fr import pluriel
from toolkit.preuves.evaluation import Evaluation, SurveyResults, load_survey
from toolkit.preuves.render import french_error, print_all, render
from toolkit.preuves.roster import Person

__all__ = [
    "NATURE",
    "Written",
    "attestation_context",
    "session_dates",
    "write_attestations",
    "write_emargement",
    "write_qualiopi",
    "write_registre",
]

#: The category of the action (Code du travail, art. L.6313-1, 1°).
NATURE = ("Action de formation (article L.6313-1, 1°, du Code du travail) : atelier pratique "
          "en présentiel, alternant apports, démonstrations et exercices sur notebooks.")
#: Half-days split at this clock time (minutes after midnight): a module starting later is
#: on the afternoon sheet.
AFTERNOON = 13 * 60
REGISTER_COLUMNS = ["personne", "fonction", "service", "session", "intitulé", "date",
                    "durée (h)", "thèmes", "outils autorisés", "prochaine mise à jour"]
UNSET_TOOLS = "(à renseigner\u00a0: ATELIER_AUTHORISED_TOOLS)"
_DAY_RE = re.compile(r"^\s*J\s*([+-]\s*\d+)?\s*$", re.IGNORECASE)


@dataclass
class Written:
    """The files a command wrote (shown by the CLI, one per line)."""

    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"  {p}" for p in self.files] + [f"  ! {n}" for n in self.notes]
        return f"{pluriel(len(self.files), 'fichier écrit')} :\n" + "\n".join(lines)


def _curriculum(root=None):
    from toolkit.course.curriculum import load

    return load(root)


def _settings():
    from toolkit.config import settings

    return settings()


def session_dates(cur, start: date) -> dict[str, date]:
    """Each session's date from the first one and the ``day: J+N`` of ``curriculum.yml``."""
    out = {}
    for s in cur.sessions:
        m = _DAY_RE.match(s.day or "J")
        if not m:
            raise french_error(InputError, f"Session {s.id} de curriculum.yml : « day: {s.day} » "
                               "n'est pas de la forme J+N.", "Écrivez par exemple « day: J+15 ».")
        out[s.id] = start + timedelta(days=int((m.group(1) or "0").replace(" ", "")))
    return out


def _sessions_of(cur, person: Person | None, only: list[str] | None = None):
    known = {s.id: s for s in cur.sessions}
    wanted = list(only or (person.sessions if person and person.sessions else known))
    for sid in wanted:
        if sid not in known:
            where = f"{person.where()} ({person.name}) : " if person and not only else ""
            raise french_error(InputError,
                               f"{where}Session « {sid} » inconnue dans curriculum.yml.",
                               f"Sessions connues : {', '.join(known)}.")
    return [known[sid] for sid in wanted]


def _out(folder) -> Path:
    out = Path(folder or "preuves")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise french_error(InputError, f"Impossible de créer le dossier {out} ({exc.strerror}).",
                         "Choisissez un dossier où vous avez le droit d'écrire (--out).") from exc
    return out


def _write(html: str, path: Path, written: Written) -> None:
    path.write_text(html, encoding="utf-8")
    written.files.append(path)


def _print(written: Written, pdf: bool) -> Written:
    """Print the HTML pages written to PDF (each PDF listed after its page)."""
    if pdf:
        pages = [p for p in written.files if p.suffix == ".html"]
        pdfs = dict(zip(pages, print_all(pages), strict=True))
        written.files = [f for p in written.files for f in (p, pdfs.get(p)) if f is not None]
    return written


# -- attendance sheets -----------------------------------------------------------------------
def half_days(session, start: str = "9:00") -> list[dict]:
    """The session's timetable cut into half-days: label, clock range, modules."""
    from toolkit.course.curriculum import format_clock, timetable

    halves: dict[str, list] = {}
    for slot in timetable(session, start):
        halves.setdefault("après-midi" if slot.start >= AFTERNOON else "matin", []).append(slot)
    return [
        {"label": label, "start": format_clock(slots[0].start), "end": format_clock(slots[-1].end),
         "minutes": slots[-1].end - slots[0].start,
         "modules": [s.module.title for s in slots if s.module]}
        for label, slots in halves.items()
    ]


def write_emargement(session_id: str, people: list[Person], *, day: date | None = None,
                     start: str = "9:00", out=None, pdf: bool = True, trainer: str | None = None,
                     root=None) -> Written:
    """One printable attendance sheet per half-day of *session_id* (HTML, and PDF)."""
    cur = _curriculum(root)
    session = cur.session(session_id)
    s = _settings()
    attendees = [p for p in people if not p.sessions or session_id in p.sessions]
    html = render("emargement.html.j2", title=cur.title, session=session,
                  day=day, halves=half_days(session, start), people=attendees,
                  trainer=trainer or s.trainer, place=s.training_place)
    written = Written()
    _write(html, _out(out) / f"emargement-{session_id}.html", written)
    return _print(written, pdf)


# -- attestations ----------------------------------------------------------------------------
def _grades_by_person(grades) -> dict[str, list[dict]]:
    """``{username: [{exercise, points, max, status}]}`` from a GradesTable."""
    out: dict[str, list[dict]] = {}
    if grades is None:
        return out
    for row in grades.tidy.to_dict("records"):
        points = row["points"]
        out.setdefault(str(row["participant"]).lower(), []).append({
            "exercise": row["exercice"],
            "points": None if points is None or points != points else float(points),
            "max": row["points_max"],
            "status": row["statut"],
        })
    return out


def attestation_context(person: Person, cur, evaluation: Evaluation | None, *,
                        dates: dict[str, date], grades: list[dict] | None = None) -> dict:
    """Every field of the attestation (Code du travail L.6353-1) for *person*."""
    sessions = _sessions_of(cur, person)
    # Session 2's higher level is for volunteers: the level every participant aims at is
    # the lowest target of the sessions followed.
    target = min(s.target_level for s in sessions)
    days = sorted(dates[s.id] for s in sessions)
    return {
        "person": person,
        "title": cur.title,
        "nature": NATURE,
        "sessions": [{"session": s, "date": dates[s.id]} for s in sessions],
        "first_day": days[0],
        "last_day": days[-1],
        "duration_min": sum(s.duration_min for s in sessions),
        "objectives": [{"session": s, "modules": s.modules} for s in sessions],
        "evaluation": evaluation or Evaluation(),
        "levels": cur.levels,
        "target_level": target,
        "grades": grades,
    }


def write_attestations(people: list[Person], survey: str | Path | SurveyResults | None, *,
                       start: date, out=None, grades=None, pdf: bool = True,
                       trainer: str | None = None, root=None) -> Written:
    """One attestation per person of the roster (HTML, PDF), and a zip of them all.

    *survey* is the folder of the before/after exports; a roster code found in neither is a
    French error naming its row.  *grades* is a :class:`~toolkit.grading.export.GradesTable`
    (the ``--grades`` option) matched on the roster's ``identifiant``.
    """
    cur = _curriculum(root)
    results = survey if isinstance(survey, SurveyResults) or survey is None else load_survey(survey)
    if results is not None:
        results.check_roster(people)
    dates = session_dates(cur, start)
    by_person = _grades_by_person(grades)
    s = _settings()
    folder = _out(out) / "attestations"
    folder.mkdir(exist_ok=True)
    written = Written()
    seen: dict[str, int] = {}
    for person in people:
        evaluation = results.evaluation(person.code) if results and person.code else None
        context = attestation_context(
            person, cur, evaluation, dates=dates,
            grades=by_person.get(person.username, []) if grades is not None else None)
        html = render("attestation.html.j2", trainer=trainer or s.trainer,
                      place=s.training_place, **context)
        slug = person.slug
        seen[slug] = seen.get(slug, 0) + 1
        name = f"attestation-{slug}" + (f"-{seen[slug]}" if seen[slug] > 1 else "")
        _write(html, folder / f"{name}.html", written)
        if not (evaluation and evaluation.taken):
            written.notes.append(f"{person.name} : pas d'évaluation (l'attestation le dit).")
    _print(written, pdf)
    archive = folder.parent / "attestations.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in written.files:
            z.write(path, path.name)
    written.files.append(archive)
    return written


# -- AI-literacy register --------------------------------------------------------------------
def register_rows(people: list[Person], *, start: date, anonymous: bool = False,
                  root=None) -> list[dict]:
    """One row per person and session attended (AI Act art. 4 internal record)."""
    cur = _curriculum(root)
    s = _settings()
    dates = session_dates(cur, start)
    rows = []
    for person in people:
        for session in _sessions_of(cur, person):
            day = dates[session.id]
            rows.append({
                "personne": (person.role or "(fonction non renseignée)") if anonymous
                else person.name,
                "fonction": person.role,
                "service": person.department,
                "session": session.id,
                "intitulé": session.title,
                "date": day.isoformat(),
                "durée (h)": round(session.duration_min / 60, 2),
                "thèmes": " · ".join(m.title for m in session.modules),
                "outils autorisés": s.authorised_tools or UNSET_TOOLS,
                "prochaine mise à jour": _add_months(day, s.refresher_months).isoformat(),
            })
    return rows


def _add_months(day: date, months: int) -> date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def read_register(path: str | Path):
    """An existing register (CSV ``;`` or Excel) as a DataFrame with the register's columns."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise french_error(InputError, f"Le registre {path} est introuvable.",
                         "Vérifiez le chemin donné à --registre, ou omettez l'option pour en "
                         "créer un nouveau.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str)
    else:
        frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    missing = [c for c in REGISTER_COLUMNS if c not in frame.columns]
    if missing:
        raise french_error(InputError, f"Le registre {path} n'a pas la colonne « {missing[0]} ».",
                         "Donnez un registre écrit par « atelier preuves registre ».")
    return frame[REGISTER_COLUMNS]


def write_registre(people: list[Person], *, start: date, out=None, merge=None,
                   anonymous: bool = False, root=None) -> Written:
    """Write ``registre-ia.csv`` and ``.xlsx``, merged with the register *merge* if given."""
    import pandas as pd

    frame = pd.DataFrame(register_rows(people, start=start, anonymous=anonymous, root=root),
                         columns=REGISTER_COLUMNS)
    if merge:
        old = read_register(merge)
        frame = pd.concat([old, frame.astype(str)], ignore_index=True)
        # The CSV writes a decimal comma, Excel a number: read both back as numbers.
        frame["durée (h)"] = frame["durée (h)"].astype(str).str.replace(",", ".").astype(float)
    frame = frame.drop_duplicates(subset=["personne", "service", "session", "date"], keep="last")
    frame = frame.sort_values(["date", "session", "service", "personne"], kind="stable")
    folder = _out(out)
    csv_path, xlsx_path = folder / "registre-ia.csv", folder / "registre-ia.xlsx"
    frame.to_csv(csv_path, sep=";", index=False, encoding="utf-8-sig", decimal=",")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Registre", index=False)
        sheet = writer.sheets["Registre"]
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    return Written([csv_path, xlsx_path], [f"{pluriel(len(frame), 'ligne')} au registre."])


# -- Qualiopi indicator 11 -------------------------------------------------------------------
def _evaluation_means(module, quiz_module: bool) -> list[str]:
    means = []
    if module.exercises:
        means.append("exercices notés automatiquement (nbgrader) : " + ", ".join(module.exercises))
    if quiz_module:
        means.append("quiz de connaissances du questionnaire, avant et après")
    return means or ["mise en pratique observée par l'animateur ou l'animatrice"]


def qualiopi_context(results: SurveyResults | None, grades=None, root=None) -> dict:
    """Objectives per module, how each is evaluated, and aggregate results (groups ≥ 5 only)."""
    from toolkit.survey.analysis import MIN_GROUP, analyse

    cur = _curriculum(root)
    sessions = []
    for s in cur.sessions:
        # The survey's quiz is taken in the module whose objectives say so (« ... un quiz »).
        sessions.append({"session": s, "modules": [
            {"module": m, "means": _evaluation_means(
                m, any("quiz" in o.lower() for o in m.objectives))}
            for m in s.modules]})
    aggregate = None
    departments = []
    if results is not None:
        analysis = analyse(results.pre_loaded, results.post_loaded, None, results.instrument,
                           min_group=MIN_GROUP)
        summary = analysis.summary
        if summary["n_matched"] >= MIN_GROUP:
            aggregate = summary
            dep = analysis.tables["departments"]
            departments = [r for r in dep.to_dict("records") if not r["masque"]]
    exercise_rows = []
    if grades is not None:
        tidy = grades.tidy
        for name, group in tidy.groupby("exercice", sort=True):
            graded = group["points"].dropna()
            row = {"exercise": name, "n": len(graded), "shown": len(graded) >= MIN_GROUP}
            if row["shown"]:
                row["mean"] = float(graded.mean())
                row["max"] = float(group["points_max"].dropna().max())
            exercise_rows.append(row)
    return {"title": cur.title, "sessions": sessions, "summary": aggregate,
            "min_group": MIN_GROUP, "levels": cur.levels, "departments": departments,
            "exercises": exercise_rows,
            "n_matched": None if results is None else _matched(results)}


def _matched(results: SurveyResults) -> int:
    return len(results.pre.index.intersection(results.post.index))


def write_qualiopi(survey=None, *, grades=None, out=None, pdf: bool = True,
                   root=None) -> Written:
    """Write ``qualiopi-indicateur-11.html`` (and PDF)."""
    results = survey if isinstance(survey, SurveyResults) or survey is None else load_survey(survey)
    html = render("qualiopi.html.j2", **qualiopi_context(results, grades, root))
    written = Written()
    _write(html, _out(out) / "qualiopi-indicateur-11.html", written)
    return _print(written, pdf)
