"""The trainer guide (HTML, printable), generated from ``curriculum.yml`` and the trainer notes.

Per session: agenda with start times, objectives, materials, a checklist for before the
session, then each module's trainer notes and the expected answers (``animateur`` cells that
speak of « réponse attendue »), with the participant cell they answer. PDF is produced only
when Debian's chromium is installed (``--print-to-pdf``); otherwise the HTML prints well.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from toolkit.course.curriculum import (
    TRAINER_TAG,
    Curriculum,
    Module,
    Session,
    format_clock,
    parse_clock,
)
from toolkit.course.curriculum import load as load_curriculum
from toolkit.publish._sources import read_notebook, session_sources

__all__ = ["GuideReport", "build_guide", "expected_answers", "guide_html", "guide_pdf"]

GUIDE_NAME = "guide-animateur.html"
_EXPECTED = re.compile(r"r[ée]ponses?\s+attendues?", re.I)

CHECKLIST = (
    ("Salle", [
        "Vidéoprojecteur testé avec le diaporama (touche F : plein écran ; S : vue présentateur "
        "avec les notes) ; texte lisible depuis le fond de la salle.",
        "Un poste par participant (ou un pour deux), prises électriques, tables en îlots pour "
        "les travaux de groupe.",
        "Tableau blanc ou paperboard pour le tour de table et la carte des tâches.",
    ]),
    ("Réseau", [
        "Wifi invité disponible pour les participants, ou séance prévue hors ligne (mode "
        "« rejoué » ou « simulé »).",
        "Ports et pare-feu : JupyterLab (ou JupyterHub) joignable depuis les postes.",
    ]),
    ("Point d'accès au modèle", [
        "« atelier doctor » lancé la veille sur le poste de l'animateur·rice : mode, adresse "
        "du serveur (OPENAI_BASE_URL), modèle (ATELIER_MODEL), clé présente (masquée).",
        "Outil autorisé par l'organisation (serveur interne, passerelle LiteLLM, Albert, Azure "
        "OpenAI…) : aucune donnée réelle confidentielle dans les exercices.",
        "Budget de jetons par participant fixé (ATELIER_BUDGET_TOKENS).",
    ]),
    ("Clés ou réponses enregistrées", [
        "Clés distribuées (une par participant via la passerelle, jamais la clé de "
        "l'animateur·rice partagée), ou…",
        "…réponses enregistrées à l'avance : « atelier record notebooks/<session>/*.ipynb » "
        "depuis un point d'accès réel, puis ATELIER_MODE=replay le jour J.",
        "Sans clé ni enregistrement, le mode simulé fonctionne : les réponses sont étiquetées "
        "« réponse simulée » ; prévenez les participants.",
    ]),
    ("Questionnaires", [
        "Questionnaires avant / après créés (modèles : « atelier survey template ») et leurs "
        "liens renseignés dans .env : ATELIER_SURVEY_PRE_URL, ATELIER_SURVEY_POST_URL.",
        "Le QR code du questionnaire s'affiche dans le premier et le dernier notebook.",
    ]),
    ("Supports", [
        "Éditions participant (sans notes ni solutions) copiées sur les postes ou le hub.",
        "Exercices publiés : « atelier grade release » (versions sans solutions ni tests "
        "cachés).",
        "Dossier partagé (ATELIER_SHARED_DIR) accessible en écriture pour le tour de table et "
        "le top 3 des tâches (session 2).",
    ]),
)


@dataclass(frozen=True)
class ExpectedAnswer:
    """A trainer note giving the expected answer, and the participant cell just before it."""

    module: str
    note_html: str
    context: str  # source of the nearest participant cell before the note


@dataclass
class GuideReport:
    path: Path
    pdf: Path | None = None
    pdf_note: str = ""
    modules: int = 0
    notes: int = 0
    answers: int = 0
    missing: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"Guide de l'animateur·rice : {self.path} ({self.modules} modules, {self.notes} "
            f"notes, {self.answers} réponses attendues)"
        ]
        lines.append(f"  PDF : {self.pdf}" if self.pdf else f"  PDF non produit : {self.pdf_note}")
        lines += [f"  ⚠ notebook pas encore écrit : {m}" for m in self.missing]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + escape(str(self)) + "</pre>"


def _markdown():
    import mistune

    return mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)


def _module_notes(cur: Curriculum, module: Module):
    """(notes html list, expected answers) of one module; None when the notebook is missing."""
    path = cur.root / module.file
    if not path.is_file():
        return None
    md = _markdown()
    nb = read_notebook(path)
    notes, answers = [], []
    for i, cell in enumerate(nb.cells):
        if TRAINER_TAG not in cell.metadata.get("tags", []):
            continue
        html = md(cell.source)
        expected = bool(_EXPECTED.search(cell.source))
        notes.append((html, expected))
        if expected:
            context = ""
            for prev in reversed(nb.cells[:i]):
                if TRAINER_TAG not in prev.metadata.get("tags", []) and prev.source.strip():
                    context = prev.source.strip()
                    break
            answers.append(ExpectedAnswer(module.title, html, context))
    return notes, answers


def expected_answers(cur: Curriculum | None = None) -> list[ExpectedAnswer]:
    """Every expected answer of the course, in manifest order."""
    cur = cur or load_curriculum()
    out = []
    for s in cur.sessions:
        for m in s.modules:
            found = _module_notes(cur, m)
            if found:
                out += found[1]
    return out


_CSS = """
body { font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; font-size: 12pt;
       color: #1b1b1b; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1, h2, h3 { color: #12355b; } h2 { border-bottom: 3px solid #12355b; page-break-before: always; }
h2.first { page-break-before: auto; }
table { border-collapse: collapse; margin: .5em 0; } th { background: #12355b; color: #fff; }
th, td { border: 1px solid #b8c4d2; padding: .25em .5em; vertical-align: top; text-align: left; }
td:first-child, td:nth-child(3) { white-space: nowrap; }
.note { border-left: 5px solid #b8c4d2; padding: .2em .8em; margin: .6em 0; background: #f7f9fb; }
.note.expected { border-left-color: #1f7a3a; background: #eef7f0; }
.context { background: #f3f5f8; padding: .4em; white-space: pre-wrap; font-size: 10pt; }
.missing { color: #8a4b00; } ul.checklist { list-style: none; padding-left: .5em; }
ul.checklist li::before { content: "☐ "; font-size: 1.2em; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def guide_html(cur: Curriculum | None = None, *, start: str = "9:00",
               organisation: str | None = None) -> tuple[str, GuideReport]:
    """The guide's HTML text and counts (the report's path is not set yet)."""
    from toolkit.publish.slides import organisation as default_org

    cur = cur or load_curriculum()
    org = organisation or default_org()
    t0 = parse_clock(start)
    report = GuideReport(path=Path(GUIDE_NAME))
    body = [
        f"<h1>Guide de l'animateur·rice — {escape(cur.title)}</h1>",
        f"<p><strong>{escape(org)}</strong> · version du cours <strong>{escape(cur.version)}"
        "</strong> · généré depuis curriculum.yml et les notes des notebooks (ne pas modifier à "
        "la main : « atelier guide »).</p>",
        "<nav><ul>",
    ]
    body += [f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in cur.sessions]
    body += ['<li><a href="#avant">Avant la séance : liste de vérification</a></li>', "</ul></nav>"]
    body += ['<h2 id="avant" class="first">Avant la séance : liste de vérification</h2>']
    for title, items in CHECKLIST:
        body.append(f"<h3>{escape(title)}</h3><ul class='checklist'>")
        body += [f"<li>{escape(i)}</li>" for i in items]
        body.append("</ul>")
    for s in cur.sessions:
        body += _session_html(cur, s, t0, report)
    page = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"/>'
        f"<title>Guide de l'animateur·rice — {escape(cur.title)} {escape(cur.version)}</title>"
        f'<meta name="atelier-version" content="{escape(cur.version)}"/>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    return page, report


def _session_html(cur: Curriculum, s: Session, t0: int, report: GuideReport) -> list[str]:
    level = cur.levels.get(s.target_level, "")
    out = [
        f'<h2 id="{escape(s.id)}">{escape(s.title)}</h2>',
        f"<p>{escape(s.day)} · {s.duration_min} min · niveau visé : {s.target_level} "
        f"({escape(level)})</p><p><strong>Objectif :</strong> {escape(s.objective)}</p>",
        "<h3>Déroulé</h3><table><tr><th>début</th><th>module</th><th>durée</th><th>niveau</th>"
        "<th>objectifs</th></tr>",
    ]
    from toolkit.course.curriculum import timetable

    slots = timetable(s, format_clock(t0).replace(" h ", ":"))
    for slot in slots:
        m = slot.module
        if m is None:  # the break, from curriculum.yml like the modules
            out.append(f"<tr><td>{format_clock(slot.start)}</td><td><em>Pause</em></td>"
                       f"<td>{slot.minutes} min</td><td></td><td></td></tr>")
            continue
        objectives = "<br/>".join(escape(o) for o in m.objectives)
        out.append(
            f"<tr><td>{format_clock(slot.start)}</td><td>{m.position}. {escape(m.title)}</td>"
            f"<td>{m.duration_min} min</td><td>{m.level}</td><td>{objectives}</td></tr>"
        )
    end = slots[-1].end if slots else t0
    out.append(
        f"<tr><td>{format_clock(end)}</td><td>fin (pause comprise)</td><td>"
        f"{end - t0} min</td><td></td><td></td></tr></table>"
    )
    out.append("<h3>Matériel</h3><ul>")
    out.append(f"<li>Diaporama : <code>slides/build/{escape(s.id)}.html</code> "
               f"(« atelier slides {escape(s.id)} »)</li>")
    for src in session_sources(cur, s):
        state = "" if src.exists else " <span class='missing'>(pas encore écrit)</span>"
        out.append(f"<li>Notebook : <code>{escape(src.rel)}</code>{state}</li>")
    for m in s.modules:
        for ex in m.exercises:
            exists = (cur.root / "exercises" / "source" / ex).is_dir()
            state = "" if exists else " <span class='missing'>(absent de exercises/source)</span>"
            out.append(f"<li>Exercice noté : <code>{escape(ex)}</code> (module {m.position})"
                       f"{state}</li>")
    out.append("<li>Questionnaires avant / après : liens dans .env, modèles dans le dossier "
               "<code>enquetes/</code> de la livraison</li></ul>")
    answers: list[ExpectedAnswer] = []
    out.append("<h3>Notes module par module</h3>")
    for m in s.modules:
        report.modules += 1
        out.append(f"<h4>{m.position}. {escape(m.title)} — {m.duration_min} min</h4><ul>")
        out += [f"<li>{escape(o)}</li>" for o in m.objectives]
        out.append("</ul>")
        found = _module_notes(cur, m)
        if found is None:
            report.missing.append(m.file)
            out.append("<p class='missing'>Notebook pas encore écrit : pas de notes.</p>")
            continue
        notes, mod_answers = found
        answers += mod_answers
        report.notes += len(notes)
        for html, expected in notes:
            out.append(f"<div class='note{' expected' if expected else ''}'>{html}</div>")
    out.append(f"<h3>Réponses attendues — {escape(s.title)}</h3>")
    if not answers:
        out.append("<p>Aucune note « réponse attendue » dans les notebooks de cette session.</p>")
    for a in answers:
        report.answers += 1
        out.append(f"<h4>{escape(a.module)}</h4>")
        if a.context:
            out.append(f"<div class='context'>{escape(a.context[:800])}</div>")
        out.append(f"<div class='note expected'>{a.note_html}</div>")
    return out


def guide_pdf(html_path: Path, chromium: str | None = None) -> tuple[Path | None, str]:
    """Print *html_path* to PDF with Debian's chromium when installed; (None, reason) otherwise."""
    exe = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        return None, ("chromium n'est pas installé (le PDF est imprimé par chromium) ; "
                      "imprimez le HTML depuis un navigateur")
    pdf = html_path.with_suffix(".pdf")
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_path.resolve().as_uri()]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        return None, f"chromium n'a pas pu imprimer le PDF ({type(exc).__name__})"
    if not pdf.is_file() or pdf.stat().st_size == 0:
        return None, "chromium n'a pas produit de PDF"
    return pdf, ""


def build_guide(out_dir: str | os.PathLike | None = None, *, cur: Curriculum | None = None,
                start: str = "9:00", pdf: bool = False) -> GuideReport:
    """Write ``guide-animateur.html`` (default in ``editions/animateur/``); PDF if asked."""
    cur = cur or load_curriculum()
    out = Path(out_dir) if out_dir else cur.root / "editions" / "animateur"
    out.mkdir(parents=True, exist_ok=True)
    page, report = guide_html(cur, start=start)
    report.path = out / GUIDE_NAME
    report.path.write_text(page, encoding="utf-8")
    if pdf:
        report.pdf, report.pdf_note = guide_pdf(report.path)
    else:
        report.pdf_note = "non demandé (option --pdf)"
    return report
