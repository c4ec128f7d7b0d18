"""The versioned release bundle ``dist/atelier-ia-<version>.zip``, built only when it is clean.

The bundle holds the participant editions, the nbgrader release of the exercises, the slide
decks, the trainer editions and guide, the survey templates and the CHANGELOG, with a manifest
(``livraison.json``: version, contents with SHA-256, what was skipped and why). The build is
refused, with a French message naming the file and the cell, when a source notebook was saved
with outputs, when a solution, a hidden test or a trainer note would reach participants, or
when the curriculum version has no CHANGELOG entry (``--unreleased`` builds a pre-release from
the ``[Unreleased]`` section).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from toolkit.course.curriculum import Curriculum
from toolkit.course.curriculum import load as load_curriculum
from toolkit.errors import InputError, ReleaseRefused
from toolkit.publish._sources import (
    LEAK_MARKERS,
    Problem,
    all_sources,
    output_problems,
    read_notebook,
)
from toolkit.publish.pipeline import build_edition, secret_hidden_lines

__all__ = ["ReleaseRefused", "ReleaseReport", "build_release", "changelog_section",
           "check_sources"]

DIST_DIR = "dist"
EXERCISES_DIR = "exercises"
#: Generated or private parts of the nbgrader course never copied for the release.
_COURSE_IGNORE = ("release", "submitted", "autograded", "feedback", "exchange", "gradebook.db",
                  ".atelier", ".ipynb_checkpoints", "__pycache__")

#: Folders of the bundle (French: the people receiving it read them).
PART_PARTICIPANT = "participant"
PART_EXERCISES = "exercices"
PART_SLIDES = "diaporamas"
PART_TRAINER = "animateur"
PART_SURVEYS = "enquetes"


@dataclass
class ReleaseReport:
    path: Path
    version: str
    unreleased: bool
    files: int = 0
    size: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        kind = "pré-version, section Unreleased" if self.unreleased else "version publiée"
        lines = [
            f"Livraison {self.version} ({kind}) : {self.path}",
            f"  {self.files} fichiers, {self.size / 1e6:.1f} Mo, {self.seconds:.0f} s",
        ]
        lines += [f"  ℹ {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(str(self)) + "</pre>"


# ---- CHANGELOG ---------------------------------------------------------------------------

_SECTION = re.compile(r"^## \[([^\]]+)\][^\n]*$", re.M)


def changelog_section(text: str, version: str) -> str | None:
    """Body of the ``## [version]`` section of a Keep-a-Changelog text (None when absent)."""
    matches = list(_SECTION.finditer(text))
    for i, m in enumerate(matches):
        if m.group(1).strip().lower() == version.lower():
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            # stop at the link references block, if any
            body = re.split(r"^\[[^\]]+\]:\s", text[m.end():end], flags=re.M)[0]
            return body.strip()
    return None


def _changelog(cur: Curriculum, unreleased: bool) -> tuple[str, str]:
    path = cur.root / "CHANGELOG.md"
    if not path.is_file():
        raise ReleaseRefused(
            [f"{path.name} est introuvable à la racine du cours"],
            "Créez CHANGELOG.md (format Keep a Changelog) avec une section pour la version.",
        )
    text = path.read_text(encoding="utf-8")
    section = changelog_section(text, cur.version)
    if section:
        return text, section
    if unreleased:
        section = changelog_section(text, "Unreleased")
        if section:
            return text, section
        raise ReleaseRefused(
            ["CHANGELOG.md : la section « ## [Unreleased] » est absente ou vide"],
            "Décrivez les changements en cours sous « ## [Unreleased] ».",
        )
    raise ReleaseRefused(
        [f"curriculum.yml annonce la version {cur.version}, mais CHANGELOG.md n'a pas de "
         f"section « ## [{cur.version}] »"],
        f"Ajoutez « ## [{cur.version}] - AAAA-MM-JJ » (en renommant « [Unreleased] ») dans "
        "CHANGELOG.md, ou construisez une pré-version avec « atelier release --unreleased ».",
    )


# ---- checks ------------------------------------------------------------------------------

def _rel(cur: Curriculum, path: Path) -> str:
    try:
        return path.resolve().relative_to(cur.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _exercise_notebooks(cur: Curriculum) -> list[Path]:
    src = cur.root / EXERCISES_DIR / "source"
    if not src.is_dir():
        return []
    return sorted(p for p in src.glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _hidden_lines(cur: Curriculum) -> tuple[str, ...]:
    """Lines found only inside hidden tests of an exercise: none may reach participants."""
    return secret_hidden_lines(read_notebook(p) for p in _exercise_notebooks(cur))


def check_sources(cur: Curriculum | None = None) -> list[Problem]:
    """Course and exercise notebooks saved with outputs (they must be committed clean)."""
    cur = cur or load_curriculum()
    problems: list[Problem] = []
    for src in all_sources(cur):
        if src.exists:
            problems += output_problems(read_notebook(src.path), src.rel)
    for path in _exercise_notebooks(cur):
        problems += output_problems(read_notebook(path), _rel(cur, path))
    return problems


def _scan_participant_tree(folder: Path, label: str, hidden: tuple[str, ...]) -> list[Problem]:
    """Every notebook and HTML file that participants receive, scanned for leaks."""
    from toolkit.publish._sources import leak_problems

    problems: list[Problem] = []
    for path in sorted(folder.rglob("*")):
        rel = f"{label}/{path.relative_to(folder).as_posix()}"
        if path.suffix == ".ipynb":
            problems += leak_problems(read_notebook(path), rel, hidden_lines=hidden)
        elif path.suffix == ".html" and path.name != "index.html":
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in LEAK_MARKERS:
                if marker in text:
                    problems.append(Problem(rel, "page HTML", f"« ### {marker} » est présent"))
            for line in hidden:
                if line in text or html.escape(line) in text:
                    problems.append(Problem(
                        rel, "page HTML", f"une ligne de test caché est visible : « {line[:60]} »"
                    ))
    return problems


# ---- parts -------------------------------------------------------------------------------

def _exercises_release(cur: Curriculum, dest: Path, notes: list[str]) -> None:
    """The participant version of every exercise: nbgrader's generate_assignment steps.

    Built by the ``release`` edition of the pipeline (the gradebook stays with ``atelier grade
    release``); the files beside a notebook travel with it, as nbgrader copies them.
    """
    import nbformat
    from nbgrader.nbgraderformat import ValidationError

    course = cur.root / EXERCISES_DIR
    if not (course / "source").is_dir():
        notes.append("exercices : pas de dossier exercises/source, partie omise")
        return
    failed: list[str] = []
    for folder in sorted(p for p in (course / "source").iterdir()
                         if p.is_dir() and not p.name.startswith(".")):
        out = dest / folder.name
        for item in sorted(folder.rglob("*")):
            if any(part in _COURSE_IGNORE for part in item.relative_to(folder).parts) or \
                    item.is_dir():
                continue
            target = out / item.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.suffix != ".ipynb":
                shutil.copy2(item, target)
                continue
            rel = _rel(cur, item)
            try:
                nb = build_edition(read_notebook(item), "release", cur=cur, rel=rel,
                                   course=course)
            except (RuntimeError, ValueError, ValidationError) as exc:
                # nbgrader's own checks (cell metadata, mark scheme...) name no cell
                failed.append(f"{rel} : nbgrader refuse de générer la version participant "
                              f"({exc})")
                continue
            nbformat.write(nb, target)
    if failed:
        raise ReleaseRefused(
            failed, "Corrigez l'exercice (« atelier grade release NOM » montre le détail).")


def _survey_templates(dest: Path, notes: list[str]) -> None:
    try:
        from toolkit.survey.instrument import PHASES, load_instrument
        from toolkit.survey.templates import FORMATS, render_template
    except ImportError:
        notes.append("questionnaires : toolkit.survey absent, modèles omis")
        return
    instrument = load_instrument()
    dest.mkdir(parents=True, exist_ok=True)
    names = {"csv": "modele-tableur.csv", "forms": "modele-microsoft-forms.txt",
             "google": "modele-google-forms.txt", "limesurvey": "modele-limesurvey.txt"}
    for fmt in FORMATS:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        filename = names.get(fmt, f"modele-{fmt}.txt")
        try:
            texts = {filename: render_template(instrument, fmt, "all")}
        except InputError:  # a format that holds one questionnaire per file (LimeSurvey)
            stem, ext = filename.rsplit(".", 1)
            texts = {f"{stem}-{phase}.{ext}": render_template(instrument, fmt, phase)
                     for phase in PHASES}
        for fname, text in texts.items():
            (dest / fname).write_text(text, encoding=encoding)


_README = """# Atelier IA — livraison {version}

Construit le {date} à partir des notebooks et de curriculum.yml (rien n'est modifié à la main).

- `participant/` : les notebooks à donner aux participants (sans notes ni solutions).
- `exercices/` : la version participant des exercices notés (nbgrader, sans solutions ni tests
  cachés).
- `diaporamas/` : un diaporama par session ; ouvrez `index.html` dans un navigateur, sans
  connexion nécessaire. Touche S : vue présentateur avec les notes.
- `animateur/` : le guide de l'animateur·rice (`guide-animateur.html`) et les notebooks complets
  avec les notes et réponses attendues. **Ne pas distribuer aux participants.**
- `enquetes/` : les modèles des questionnaires avant / après.
- `CHANGELOG.md` : les changements de cette version ; `livraison.json` : le contenu vérifié.
"""


def build_release(*, unreleased: bool = False, cur: Curriculum | None = None,
                  out_dir: str | os.PathLike | None = None, logo: str | None = None,
                  pdf: bool = False) -> ReleaseReport:
    """Check the sources, build every part in a temporary folder, scan it, then zip it."""
    from toolkit.publish.editions import PARTICIPANT_DIR, TRAINER_DIR, build_editions
    from toolkit.publish.guide import build_guide
    from toolkit.publish.slides import build_slides

    start = time.perf_counter()
    cur = cur or load_curriculum()
    changelog, section = _changelog(cur, unreleased)
    is_unreleased = changelog_section(changelog, cur.version) is None
    problems = check_sources(cur)
    if problems:
        raise ReleaseRefused(
            problems,
            "Videz les sorties (JupyterLab : Édition → Effacer toutes les sorties, ou "
            "« jupyter nbconvert --clear-output --inplace FICHIER ») puis recommencez.",
        )
    label = f"{cur.version}-unreleased" if is_unreleased else cur.version
    name = f"atelier-ia-{label}"
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="atelier-release-") as tmp:
        work = Path(tmp)
        top = work / name
        top.mkdir()
        hidden = _hidden_lines(cur)
        fix = ("Corrigez le notebook source indiqué (solution entre « ### BEGIN SOLUTION » et "
               "« ### END SOLUTION », tests cachés entre « ### BEGIN HIDDEN TESTS » et "
               "« ### END HIDDEN TESTS », notes dans des cellules marquées « animateur »).")
        # Cheapest parts first, each scanned at once: a leak is reported in seconds.
        editions = build_editions(work / "editions", cur=cur)
        notes += [f"notebook absent, non livré : {m}" for m in editions.missing]
        shutil.copytree(work / "editions" / PARTICIPANT_DIR, top / PART_PARTICIPANT)
        _refuse_leaks(_scan_participant_tree(top / PART_PARTICIPANT, PART_PARTICIPANT, hidden),
                      fix)
        shutil.copytree(work / "editions" / TRAINER_DIR, top / PART_TRAINER)
        guide = build_guide(top / PART_TRAINER, cur=cur, pdf=pdf)
        if pdf and not guide.pdf:
            notes.append(f"guide PDF non produit : {guide.pdf_note}")
        elif not pdf:
            notes.append("guide : HTML seulement (PDF avec « atelier release --pdf » si chromium "
                         "est installé)")
        decks = build_slides(cur=cur, out_dir=top / PART_SLIDES, logo=logo)
        notes += [f"diaporama non construit (aucun notebook) : {d.title}"
                  for d in decks if d.path is None]
        _refuse_leaks(_scan_slides(top / PART_SLIDES, hidden), fix)
        _exercises_release(cur, top / PART_EXERCISES, notes)
        if (top / PART_EXERCISES).is_dir():
            _refuse_leaks(_scan_participant_tree(top / PART_EXERCISES, PART_EXERCISES, hidden),
                          fix)
        _survey_templates(top / PART_SURVEYS, notes)
        (top / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
        date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        (top / "LISEZMOI.md").write_text(_README.format(version=label, date=date),
                                         encoding="utf-8")
        files = sorted(p for p in top.rglob("*") if p.is_file())
        manifest = {
            "nom": name,
            "version": cur.version,
            "pre_version": is_unreleased,
            "titre": cur.title,
            "construit_le": date,
            "changelog": section,
            "notes": notes,
            "fichiers": {
                p.relative_to(top).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in files
            },
        }
        (top / "livraison.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        out = Path(out_dir) if out_dir else cur.root / DIST_DIR
        out.mkdir(parents=True, exist_ok=True)
        zip_path = out / f"{name}.zip"
        partial = zip_path.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for p in sorted(q for q in top.rglob("*") if q.is_file()):
                zf.write(p, f"{name}/{p.relative_to(top).as_posix()}")
        partial.replace(zip_path)
    return ReleaseReport(
        path=zip_path, version=cur.version, unreleased=is_unreleased, files=len(files) + 1,
        size=zip_path.stat().st_size, seconds=time.perf_counter() - start, notes=notes,
    )


def _refuse_leaks(problems: list[Problem], fix: str) -> None:
    if problems:
        raise ReleaseRefused(problems, fix)


def _scan_slides(folder: Path, hidden: tuple[str, ...]) -> list[Problem]:
    """Decks are shown to participants: no solution or hidden test (notes are expected)."""
    if not folder.is_dir():
        return []
    return _scan_participant_tree(folder, PART_SLIDES, hidden)

