"""Participant and trainer editions of the course notebooks, generated from the sources.

``editions/participant/`` mirrors ``notebooks/`` without trainer notes, solutions or outputs;
``editions/animateur/`` holds the full notebooks (notes and solutions kept) and the trainer
tools. Both carry the curriculum version in their header.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from toolkit.course.curriculum import Curriculum
from toolkit.course.curriculum import load as load_curriculum
from toolkit.publish._sources import Problem, all_sources, leak_problems, read_notebook
from toolkit.publish.pipeline import build_edition

__all__ = ["PARTICIPANT_DIR", "TRAINER_DIR", "EditionsReport", "build_editions"]

EDITIONS_DIR = "editions"
PARTICIPANT_DIR = "participant"
TRAINER_DIR = "animateur"


@dataclass
class EditionsReport:
    """Which notebooks went into which edition, and what was left out."""

    root: Path
    version: str
    participant: list[Path] = field(default_factory=list)
    trainer: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    handouts: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        lines = [
            f"Éditions de la version {self.version} dans {self.root} :",
            f"  participant : {len(self.participant)} notebooks ({self.root / PARTICIPANT_DIR})",
            f"  animateur   : {len(self.trainer)} notebooks ({self.root / TRAINER_DIR})",
        ]
        if self.handouts:
            lines.append(f"  documents HTML et PDF : {len(self.handouts)} fichiers "
                         f"({self.root / 'participant-html'})")
        lines += [f"  ⚠ notebook manquant, ignoré : {m}" for m in self.missing]
        lines += [f"  ✗ {p}" for p in self.problems]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + escape(str(self)) + "</pre>"


def _relative_to_notebooks(cur: Curriculum, rel: str) -> Path:
    """Path of a notebook inside an edition: the same as under notebooks/."""
    base = Path(cur.home).parent
    path = Path(rel)
    try:
        return path.relative_to(base)
    except ValueError:
        return path


def _copy_support_files(src_dir: Path, dst_dir: Path) -> None:
    """Images and data next to the notebooks travel with them (never checkpoints)."""
    for item in src_dir.iterdir():
        if item.suffix == ".ipynb" or item.name.startswith("."):
            continue
        target = dst_dir / item.name
        if item.is_dir():
            if any(p.suffix == ".ipynb" for p in item.rglob("*")):
                continue  # another session's folder: handled notebook by notebook
            shutil.copytree(item, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, target)


def build_editions(out_dir: str | os.PathLike | None = None, *,
                   cur: Curriculum | None = None, html: bool = False,
                   pdf: bool = True) -> EditionsReport:
    """Write both editions under *out_dir* (default ``editions/``), replacing older ones.

    With *html*, the participant edition is also written as printable, accessible HTML
    handouts (``participant-html/``, and a PDF of each unless ``pdf=False``).
    """
    import nbformat

    cur = cur or load_curriculum()
    out = Path(out_dir) if out_dir else cur.root / EDITIONS_DIR
    report = EditionsReport(out, cur.version)
    for sub in (PARTICIPANT_DIR, TRAINER_DIR):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    folders: set[Path] = set()
    for src in all_sources(cur):
        if not src.exists:
            report.missing.append(src.rel)
            continue
        nb = read_notebook(src.path)
        rel = _relative_to_notebooks(cur, src.rel)
        is_tool = src.module is not None and src.module.session_id is None
        if not is_tool:
            part = build_edition(nb, "participant", cur=cur, rel=src.rel)
            report.problems += leak_problems(part, f"{PARTICIPANT_DIR}/{rel.as_posix()}")
            target = out / PARTICIPANT_DIR / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(part, target)
            report.participant.append(target)
        target = out / TRAINER_DIR / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_edition(nb, "trainer", cur=cur, rel=src.rel), target)
        report.trainer.append(target)
        folders.add(src.path.parent)
    for folder in sorted(folders):
        rel = _relative_to_notebooks(cur, (folder / "x").relative_to(cur.root).as_posix()).parent
        _copy_support_files(folder, out / TRAINER_DIR / rel)
        if (out / PARTICIPANT_DIR / rel).is_dir():
            _copy_support_files(folder, out / PARTICIPANT_DIR / rel)
    if html:
        write_handouts(report, pdf=pdf)
    return report


HANDOUT_DIR = "participant-html"
HANDOUT_TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "handouts"
_TITLE_RE = re.compile(
    r"""(?:set_title|\.title|suptitle)\(\s*(?:f?["'])(.+?)["']|title\s*=\s*f?["'](.+?)["']""")
_MD_IMG_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)")


def image_alt(cell) -> str | None:
    """The alternative text of a cell's images: metadata ``alt``, else the figure's title."""
    alt = (cell.get("metadata") or {}).get("alt")
    if alt:
        return str(alt)
    m = _TITLE_RE.search(cell.get("source") or "")
    return (m.group(1) or m.group(2)) if m else None


def _alt_problems(nb, rel: str) -> list[Problem]:
    """Set the alt text of every image output; an image with none is a problem to fix."""
    problems = []
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            for alt, src in _MD_IMG_RE.findall(cell.source):
                if not alt.strip():
                    problems.append(Problem(rel, f"cellule {i}", f"l'image {src} n'a pas de "
                                            "texte de remplacement : écrivez ![description](...)"))
            continue
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            if not ({"image/png", "image/jpeg"} & set(data)):
                continue
            alt = output.get("metadata", {}).get("alt") or image_alt(cell)
            if not alt:
                problems.append(Problem(rel, f"cellule {i}", "image sans texte de remplacement "
                                        ": ajoutez « alt » aux métadonnées de la cellule ou un "
                                        "titre à la figure"))
                continue
            output.setdefault("metadata", {})["alt"] = alt
    return problems


def _first_heading(nb) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#{1,2}\s+(.+)$", cell.source, re.MULTILINE)
            if m:
                return m.group(1).strip()
    return None


def write_handouts(report: EditionsReport, *, pdf: bool = True) -> list[Path]:
    """The participant notebooks as offline, accessible HTML (``lang="fr"``), and PDF."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="handout", extra_template_basedirs=[
        str(HANDOUT_TEMPLATES)], exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True, language_code="fr")
    pages = []
    for nb_path in report.participant:
        rel = nb_path.relative_to(report.root / PARTICIPANT_DIR)
        nb = nbformat.read(nb_path, as_version=4)
        report.problems += _alt_problems(nb, f"{HANDOUT_DIR}/{rel.as_posix()}")
        title = _first_heading(nb) or rel.stem
        body, _ = exporter.from_notebook_node(nb, resources={
            "metadata": {"name": title, "path": str(nb_path.parent)}})
        target = report.root / HANDOUT_DIR / rel.with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        pages.append(target)
    report.handouts = pages
    if pdf and pages:
        from toolkit.preuves.render import print_all

        report.handouts = [f for pair in zip(pages, print_all(pages), strict=True) for f in pair]
    return report.handouts
