"""Session slide decks: one reveal.js deck per session, built from the notebooks, offline.

The notebooks' ``slideshow.slide_type`` metadata drives the slides, cells tagged ``animateur``
become speaker notes (press S), solutions are cleared as in the participant edition. reveal.js,
require.js and (when a deck has formulas) MathJax come from the npm packages installed by
``tools/browser-deps.sh`` under ``slides/node_modules`` and are copied next to the decks, so a
deck opens with no network and refers to no CDN.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from toolkit.course.curriculum import TRAINER_TAG, Curriculum, Session
from toolkit.course.curriculum import load as load_curriculum
from toolkit.errors import ConfigError, InputError
from toolkit.publish._sources import (
    find_session,
    read_notebook,
    require_node_assets,
    session_sources,
)
from toolkit.publish.pipeline import build_edition

__all__ = ["KEYS", "DeckReport", "build_deck", "build_slides", "deck_math", "organisation"]

#: Where things live, relative to the course root.
SLIDES_DIR = "slides"
BUILD_DIR = "slides/build"
NODE_MODULES = "slides/node_modules"

#: Paths inside the build folder, relative to a deck (what the HTML refers to).
REVEAL_PREFIX = "reveal.js"
REQUIRE_JS = "lib/require.js"
MATHJAX = "lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
#: The keys of a deck (reveal.js, linear navigation), listed on the index page and in the
#: trainer's notes of the title slide.
KEYS = (
    ("→ / ←", "diapositive suivante / précédente, dans l'ordre, sous-diapositives comprises"),
    ("Espace", "diapositive suivante (Maj+Espace : précédente)"),
    ("S", "vue présentateur : notes, diapositive suivante, minuteur"),
    ("F", "plein écran"),
    ("Échap", "vue d'ensemble de toutes les diapositives"),
)

#: reveal.js files a deck needs (source in node_modules/reveal.js -> same path in the build).
_REVEAL_FILES = (
    "dist/reveal.js",
    "dist/reveal.css",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro",
    "plugin/notes/notes.js",
    "LICENSE",
)
#: The part of MathJax 2.7 that the TeX-AMS_CHTML-full configuration loads.
_MATHJAX_FILES = (
    "MathJax.js",
    "LICENSE",
    "config/TeX-AMS_CHTML-full.js",
    "extensions",
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "jax/element",
    "fonts/HTML-CSS/TeX/woff",
    "localization/fr",
)

_MATH = re.compile(r"(?<![\\$])\$[^$\n]+\$|\$\$.+?\$\$|\\\(|\\\[|\\begin\{", re.S)


@dataclass
class DeckReport:
    """One built deck: where it is, what it holds and how long it took."""

    session: str
    title: str
    path: Path | None
    notebooks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    slides: int = 0
    notes: int = 0
    math: bool = False
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.path is None:
            return f"✗ {self.title} : aucun notebook de la session, pas de diaporama."
        lines = [
            f"✓ {self.title} : {self.path} ({self.slides} diapositives, {self.notes} notes pour "
            f"l'animateur·rice, {len(self.notebooks)} notebooks, {self.seconds:.1f} s)"
        ]
        lines += [f"  ⚠ notebook manquant, ignoré : {m}" for m in self.missing]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + escape(str(self)) + "</pre>"


def organisation() -> str:
    """Organisation name shown on the decks (ATELIER_ORGANISATION, .env included)."""
    from toolkit.config import settings

    return settings().organisation


def _logo_data_uri(logo: str | os.PathLike | None) -> str:
    if not logo:
        from toolkit.config import settings

        logo = settings().logo
    if not logo:
        return ""
    path = Path(logo)
    kind = mimetypes.guess_type(path.name)[0] or ""
    if not path.is_file() or not kind.startswith("image/"):
        raise InputError(
            f"Le logo « {path} » n'existe pas ou n'est pas une image.",
            "Indiquez un fichier PNG, JPEG ou SVG (--logo ou ATELIER_LOGO).",
        )
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def deck_math(nb) -> bool:
    """True when a markdown cell holds LaTeX math (the deck then needs MathJax)."""
    return any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells)


def _markdown_cell(text: str, slide_type: str, tags=()):
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _title_cells(cur: Curriculum, session: Session, org: str) -> list:
    hours = f"{session.duration_min // 60} h" + (
        f" {session.duration_min % 60:02d}" if session.duration_min % 60 else ""
    )
    level = cur.levels.get(session.target_level, "")
    title = (
        f'<div class="atelier-title">\n\n# {session.title}\n\n{cur.title}\n\n'
        f"**{org}** · {session.day} · {hours} · objectif : niveau {session.target_level}"
        f" ({level})\n\nVersion du cours {cur.version}\n\n</div>"
    )
    rows = ["| | module | durée |", "|---|---|---|"]
    for m in session.modules:
        rows.append(f"| {m.position} | {m.title} | {m.duration_min} min |")
        if m.id == session.break_after and session.break_min:  # the break of curriculum.yml
            rows.append(f"| | *Pause* | {session.break_min} min |")
    agenda = "## Programme\n\n" + "\n".join(rows) + f"\n\n{session.objective}"
    notes = "**Notes pour l'animateur·rice**\n\n" + "\n".join(
        f"- **{key}**\u00a0: {what}" for key, what in KEYS)
    return [
        _markdown_cell(title, "slide"),
        _markdown_cell(notes, "notes", tags=[TRAINER_TAG]),
        _markdown_cell(agenda, "slide"),
    ]


def _execute(nb, folder: Path, timeout: int) -> None:
    """Run *nb* offline in *folder* so plots and answers appear on the slides."""
    from nbclient import NotebookClient

    previous = os.environ.get("ATELIER_MODE")
    os.environ["ATELIER_MODE"] = "offline"
    try:
        resources = {"metadata": {"path": str(folder)}}
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources).execute()
    finally:
        if previous is None:
            os.environ.pop("ATELIER_MODE", None)
        else:
            os.environ["ATELIER_MODE"] = previous
    # Live widgets need a widget manager from a CDN: keep their text form only.
    nb.metadata.pop("widgets", None)
    for c in nb.cells:
        for out in c.get("outputs", []):
            data = out.get("data")
            if data:
                data.pop("application/vnd.jupyter.widget-view+json", None)
                data.pop("application/vnd.jupyter.widget-state+json", None)


def session_notebook(cur: Curriculum, session: Session, *, execute: bool = False,
                     timeout: int = 120):
    """One notebook holding the whole session, ready for the slide exporter.

    Returns ``(notebook, used, missing)`` with the manifest paths used and missing.
    """
    import nbformat

    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"
    }
    merged.metadata["language_info"] = {"name": "python"}
    merged.metadata["title"] = session.title
    cells = _title_cells(cur, session, organisation())
    used, missing = [], []
    for src in session_sources(cur, session):
        if not src.exists:
            missing.append(src.rel)
            continue
        nb = build_edition(read_notebook(src.path), "slides", cur=cur, rel=src.rel)
        if execute:
            _execute(nb, src.path.parent, timeout)
        for i, c in enumerate(nb.cells):
            meta = c.metadata
            if TRAINER_TAG in meta.get("tags", []):
                meta["slideshow"] = {"slide_type": "notes"}
            elif i == 0:
                # Each notebook starts a new slide, whatever its first cell says.
                meta["slideshow"] = {**meta.get("slideshow", {}), "slide_type": "slide"}
            # Attachments and relative images are resolved from the notebook's folder.
            if c.cell_type == "markdown" and "attachments" not in c:
                c.source = _absolute_images(c.source, src.path.parent)
        cells += nb.cells
        used.append(src.rel)
    merged.cells = cells
    return merged, used, missing


_IMG = re.compile(r"(!\[[^\]]*\]\()(?!https?:|data:|/)([^)\s]+)(\))|(<img[^>]*\ssrc=\")"
                  r"(?!https?:|data:|/)([^\"]+)(\")")


def _absolute_images(text: str, folder: Path) -> str:
    """Relative image paths become absolute so embed_images finds them from any folder."""
    def repl(m):
        if m.group(1):
            return m.group(1) + str((folder / m.group(2)).resolve()) + m.group(3)
        return m.group(4) + str((folder / m.group(5)).resolve()) + m.group(6)

    return _IMG.sub(repl, text)


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def _missing(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"{what} est introuvable : {path} n'existe pas.",
        "Lancez « bash tools/browser-deps.sh » (ou « npm ci --prefix slides »).",
    )


def copy_assets(node_modules: Path, theme: Path, out_dir: Path, *, math: bool) -> None:
    """Copy what the decks load (reveal.js, theme, require.js, MathJax if needed) to *out_dir*."""
    require_node_assets(node_modules)
    for rel in _REVEAL_FILES:
        src = node_modules / "reveal.js" / rel
        if src.exists():
            _copy(src, out_dir / REVEAL_PREFIX / rel)
    _copy(theme, out_dir / REVEAL_PREFIX / "dist" / "theme" / "atelier.css")
    require = node_modules / "requirejs" / "require.js"
    if not require.is_file():
        raise _missing(require, "require.js")
    _copy(require, out_dir / REQUIRE_JS)
    if math:
        mathjax = node_modules / "mathjax"
        if not (mathjax / "MathJax.js").is_file():
            raise _missing(mathjax, "MathJax (un diaporama contient des formules)")
        for rel in _MATHJAX_FILES:
            if (mathjax / rel).exists():
                _copy(mathjax / rel, out_dir / "lib" / "mathjax" / rel)


def _exporter(templates: Path, math: bool):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(templates)]
    c.SlidesExporter.template_name = "atelier"
    c.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    c.SlidesExporter.reveal_theme = "atelier"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = "1280"
    c.SlidesExporter.reveal_height = "800"
    c.SlidesExporter.require_js_url = REQUIRE_JS
    c.SlidesExporter.jquery_url = ""
    c.SlidesExporter.mathjax_url = MATHJAX if math else ""
    c.SlidesExporter.embed_images = True
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.language_code = "fr"
    return SlidesExporter(config=c)


def build_deck(session: Session | str, *, cur: Curriculum | None = None,
               out_dir: str | os.PathLike | None = None,
               node_modules: str | os.PathLike | None = None,
               logo: str | os.PathLike | None = None, execute: bool = False) -> DeckReport:
    """Build ``<out_dir>/<session-id>.html`` (default ``slides/build``) and its assets."""
    start = time.perf_counter()
    cur = cur or load_curriculum()
    if isinstance(session, str):
        session = find_session(cur, session)
    out = Path(out_dir) if out_dir else cur.root / BUILD_DIR
    nm = Path(node_modules) if node_modules else cur.root / NODE_MODULES
    report = DeckReport(session.id, session.title, None)
    nb, report.notebooks, report.missing = session_notebook(cur, session, execute=execute)
    if not report.notebooks:
        return report
    report.math = deck_math(nb)
    slides_dir = cur.root / SLIDES_DIR
    templates, theme = slides_dir / "templates", slides_dir / "theme" / "atelier.css"
    if not (templates / "atelier" / "index.html.j2").is_file() or not theme.is_file():
        raise ConfigError(
            f"Le thème des diaporamas est introuvable dans {slides_dir} (templates/atelier/, "
            "theme/atelier.css).",
            "Restaurez le dossier slides/ depuis le dépôt.",
        )
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(nm, theme, out, math=report.math)
    resources = {
        "metadata": {"name": session.id, "path": str(cur.root)},
        "atelier": {
            "organisation": organisation(),
            "logo": _logo_data_uri(logo),
            "session": session.title,
            "version": cur.version,
            "math": report.math,
        },
    }
    html, _ = _exporter(templates, report.math).from_notebook_node(nb, resources=resources)
    path = out / f"{session.id}.html"
    path.write_text(html, encoding="utf-8")
    report.path = path
    report.slides = sum(
        1 for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") in
        ("slide", "subslide")
    )
    report.notes = html.count('<aside class="notes">')
    report.seconds = time.perf_counter() - start
    return report


def build_slides(session: str | None = None, **kwargs) -> list[DeckReport]:
    """Build the deck of *session* (id, number or name), or of every session."""
    cur = kwargs.pop("cur", None) or load_curriculum()
    sessions = [find_session(cur, session)] if session else list(cur.sessions)
    reports = [build_deck(s, cur=cur, **kwargs) for s in sessions]
    built = [r for r in reports if r.path]
    if built and built[0].path:
        _write_index(built[0].path.parent, cur, built)
    return reports


def _write_index(out: Path, cur: Curriculum, reports: list[DeckReport]) -> Path:
    """A small page listing the decks of the build folder and the keys that drive them."""
    keys = "".join(f"<li><kbd>{escape(k)}</kbd>\u00a0: {escape(w)}</li>" for k, w in KEYS)
    items = "\n".join(
        f'<li><a href="{escape(r.path.name)}">{escape(r.title)}</a></li>'
        for r in reports if r.path
    )
    page = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"/>'
        f"<title>Diaporamas — {escape(cur.title)}</title></head>"
        '<body style="font-family: sans-serif; font-size: 22px; margin: 2em">'
        f"<h1>{escape(cur.title)}</h1><p>Version du cours {escape(cur.version)} · "
        f"{escape(organisation())}</p><ul>{items}</ul>"
        '<h2>Touches du diaporama</h2><ul class="atelier-keys">' + keys + "</ul></body></html>\n"
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
