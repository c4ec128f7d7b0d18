"""HTML from the Jinja2 templates of ``toolkit/data/preuves`` and PDF printed by chromium."""

from __future__ import annotations

import base64
import mimetypes
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from toolkit.errors import ConfigError, InputError

__all__ = ["CHROMIUM_FLAGS", "find_chromium", "french", "french_date", "html_to_pdf",
           "print_all", "render"]

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "preuves"
#: Offline, no first-run or background traffic: the same flags as tests/browser/conftest.py.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer",
]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")


def french_date(day: date | None) -> str:
    """« 1er décembre 2026 »."""
    if day is None:
        return "—"
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


def french_number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".replace(".", ",")
    return text[: -digits - 1] if text.endswith("," + "0" * digits) else text


def hours(minutes: int) -> str:
    """« 3 h », « 6 h 30 »."""
    h, m = divmod(int(minutes), 60)
    return f"{h}\u00a0h" + (f"\u00a0{m:02d}" if m else "")


def logo_data_uri(path: Path | None) -> str | None:
    """The organisation's logo as a ``data:`` URI, so the page needs no file next to it."""
    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        raise french_error(ConfigError, f"Le logo {path} (ATELIER_LOGO) est introuvable.",
                          "Corrigez le chemin dans .env ou videz ATELIER_LOGO.")
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["date_fr"] = french_date
    env.filters["heures"] = hours
    env.filters["nombre"] = french_number
    return env


_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"« ")
_TAG = re.compile(r"(<[^>]*>)")


def french(text: str) -> str:
    """French typography: a no-break space before ``: ; ! ? »`` and after ``«``."""
    text = _BEFORE.sub(lambda m: ("\u00a0" if m.group(1) in ":»" else "\u202f") + m.group(1),
                       text)
    return _AFTER.sub("«\u00a0", text)


def french_error(cls, message: str, fix: str | None = None, **kwargs):
    """An error of the toolkit's tree (*cls*) with French typography in its message and fix."""
    return cls(french(message), french(fix) if fix else fix, **kwargs)


def _typeset(html: str) -> str:
    """Apply :func:`french` to the text of the body only (never to tags, styles or scripts)."""
    head, sep, body = html.partition("<body")
    if not sep:
        return html
    parts = _TAG.split(body)
    return head + sep + "".join(p if p.startswith("<") else french(p) for p in parts)


def render(template: str, **context) -> str:
    """Render ``toolkit/data/preuves/<template>`` with the organisation's name and logo."""
    from toolkit.config import settings

    s = settings()
    context.setdefault("organisation", s.organisation)
    context.setdefault("logo", logo_data_uri(s.logo))
    context.setdefault("issued", date.today())
    return _typeset(_environment().get_template(template).render(**context))


def find_chromium() -> str:
    """Debian's chromium, or a French error saying how to install it."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise french_error(ConfigError,
        "Chromium est introuvable : il imprime les PDF (feuilles d'émargement, attestations).",
        "Installez-le avec « sudo bash tools/browser-deps.sh » (paquet Debian chromium), ou "
        "ouvrez les fichiers HTML écrits et imprimez-les en PDF depuis un navigateur.",
    )


def html_to_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120.0) -> Path:
    """Print *html_path* to *pdf_path* with chromium headless, offline."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="atelier-chromium-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise french_error(InputError, f"Chromium n'a pas fini d'imprimer {html_path.name} en "
                             f"{timeout:.0f} s.", "Relancez la commande ; si cela se "
                             "reproduit, ouvrez le HTML et imprimez-le depuis un navigateur.",
                             detail=str(exc)) from exc
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise french_error(InputError, f"Chromium n'a pas produit {pdf_path.name}.",
                         "Ouvrez le HTML et imprimez-le en PDF depuis un navigateur.",
                         detail=done.stderr[-2000:])
    return pdf_path


def print_all(html_paths: list[Path], *, workers: int = 2) -> list[Path]:
    """Print every page to a PDF next to it; two chromium processes at a time (CPU-bound)."""
    from concurrent.futures import ThreadPoolExecutor

    if not html_paths:
        return []
    find_chromium()  # one clear error before starting anything
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda p: html_to_pdf(p, p.with_suffix(".pdf")), html_paths))
