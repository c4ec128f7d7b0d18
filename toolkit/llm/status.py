"""Environment report: ``toolkit.status()`` in a notebook, ``atelier doctor`` in a terminal.

The key is shown masked to its last four characters, never in full.
"""

from __future__ import annotations

import html
import importlib.metadata as md
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.config import mode_word, settings, simulated_model
from toolkit.errors import AtelierError
from toolkit.fr import pluriel

__all__ = ["Report", "doctor", "status"]

@dataclass
class Report:
    """Rows of (label, value, ok) with a French text form and an HTML table."""

    title: str
    rows: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def add(self, label: str, value: str, ok: bool | None = None) -> None:
        self.rows.append((label, value, ok))

    @property
    def ok(self) -> bool:
        return all(ok is not False for _, _, ok in self.rows)

    def __str__(self) -> str:
        width = max((len(label) for label, _, _ in self.rows), default=0)
        mark = {True: "✔", False: "✘", None: " "}
        lines = [self.title, ""]
        lines += [f"{mark[ok]} {label.ljust(width)}  {value}" for label, value, ok in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        mark = {True: "✅", False: "❌", None: ""}
        body = "".join(
            f"<tr><td>{mark[ok]}</td><td><b>{html.escape(label)}</b></td>"
            f"<td>{html.escape(value)}</td></tr>"
            for label, value, ok in self.rows
        )
        return f"<h4>{html.escape(self.title)}</h4><table>{body}</table>"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def _version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def _language_pack() -> tuple[str, bool]:
    v = _version("jupyterlab-language-pack-fr-FR") or _version("jupyterlab_language_pack_fr_FR")
    return (f"fr-FR {v}" if v else "absent (JupyterLab restera en anglais)"), v is not None


def _nbgrader_extension() -> tuple[str, bool]:
    v = _version("nbgrader")
    if not v:
        return "nbgrader absent", False
    ext = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader"
    if ext.is_dir():
        return f"nbgrader {v}, extension JupyterLab installée", True
    return f"nbgrader {v}, extension JupyterLab introuvable dans {ext.parent}", False


def status(check: bool = False) -> Report:
    """Mode, endpoint, model and key presence; with *check*, also ask the endpoint its models."""
    report = Report("État de l'environnement Atelier IA")
    try:
        s = settings()
    except AtelierError as exc:
        report.add("Configuration", str(exc), False)
        return report
    report.add("Mode", f"{mode_word(s.mode)} — {s.mode_reason}", True)
    if s.mode == "offline":
        # The same name as the badge of every answer: what the simulation stands in for.
        report.add("Modèle", f"{simulated_model(s.model)}\u202f: aucun modèle n'est appelé, les "
                   "réponses sont simulées et étiquetées comme telles", None)
    else:
        report.add("Adresse du modèle", s.endpoint, None)
        report.add("Modèle", s.model, None)
    if s.api_key:
        report.add("Clé d'API", f"présente ({s.api_key.masked()})", True)
    elif s.mode in ("live", "record") and not s.is_local:
        report.add("Clé d'API", "absente alors que le serveur est distant", False)
    else:
        report.add("Clé d'API", "absente (pas nécessaire ici)", None)
    report.add(
        "Délai maximal",
        f"{s.timeout:g} s par attente, {2 * s.timeout:g} s au plus par appel "
        f"(nouveaux essais compris), {s.retries} nouvel essai au plus",
        None,
    )
    whose = f" pour {s.participant}" if s.participant else " par session"
    report.add(
        "Budget de jetons",
        (f"{s.budget_tokens}{whose}" if s.budget_tokens else "aucun")
        + f" ; {s.max_tokens} jetons de réponse au plus (ATELIER_MAX_TOKENS)",
        None,
    )
    if s.mode == "replay":
        from toolkit.llm.replay import CassetteStore

        n = len(CassetteStore(s.cassette_dir))
        report.add("Réponses enregistrées", f"{n} dans {s.cassette_dir}", n > 0)
    if check and s.mode in ("live", "record"):
        from toolkit.llm import live

        try:
            models = live.list_models(s)
            shown = ", ".join(models[:12]) + (" …" if len(models) > 12 else "")
            report.add("Serveur joignable", f"oui, {pluriel(len(models), 'modèle')} : {shown}",
                       True)
            if s.azure_endpoint:
                # Azure lists base models, not the deployments that requests name.
                report.add(
                    "Déploiement Azure",
                    f"« {s.model} » : nom de déploiement, que la liste des modèles de base ne "
                    "montre pas (vérifié au premier appel)",
                    None,
                )
            elif models and s.model not in models:
                report.add("Modèle configuré", f"« {s.model} » n'est pas dans la liste", False)
        except AtelierError as exc:
            report.add("Serveur joignable", exc.message, False)
    return report


def doctor() -> Report:
    """Full check for trainers: versions, mode, endpoint reachable, language pack, nbgrader."""
    report = status(check=True)
    report.title = "atelier doctor — vérification de l'installation"
    from toolkit._version import __version__

    report.rows.insert(
        0,
        ("Python", f"{platform.python_version()} ({sys.executable})", sys.version_info >= (3, 10)),
    )
    report.rows.insert(1, ("Atelier IA", __version__, True))
    for dist in ("openai", "jupyterlab", "ipywidgets"):
        v = _version(dist)
        report.add(dist, v or "absent", v is not None)
    try:  # profile, local endpoint and routing (issue 14)
        from toolkit.models.profiles import check_rows

        for row in check_rows(settings()):
            report.add(*row)
    except AtelierError as exc:
        report.add("Profil", str(exc), False)
    value, ok = _language_pack()
    report.add("Pack de langue JupyterLab", value, ok)
    value, ok = _nbgrader_extension()
    report.add("nbgrader", value, ok)
    from toolkit.config import settings_rows  # each declared setting, checked on its own

    report.rows += settings_rows()
    return report
