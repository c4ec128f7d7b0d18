"""What every course widget shares: a text fallback next to the widget view, and data files.

Widgets render in JupyterLab; under nbconvert, nbval or a terminal only ``text/plain`` is kept,
so each widget object also gives a readable French text form (its ``__str__``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError

__all__ = ["Message", "ShowsWidget", "fitted", "load_session_yaml", "widget_bundle"]


def fitted(widget):
    """*widget* sized to its whole label: buttons, lists and check boxes never cut their text.

    ipywidgets gives buttons a fixed width and descriptions a fixed 80 px column, so French
    labels end in « … »; every course widget goes through this helper (tests/widgets check).
    """
    widget.layout.width = "auto"
    widget.layout.min_width = "max-content"
    if hasattr(widget, "style") and hasattr(widget.style, "description_width"):
        widget.style.description_width = "initial"
    if hasattr(widget, "indent"):
        widget.indent = False
    return widget


def widget_bundle(obj: Any, include=None, exclude=None) -> dict:
    """``obj.widget()``'s view plus ``str(obj)`` as text/plain (what nbconvert and nbval keep)."""
    text = str(obj)
    try:
        view = obj.widget()._repr_mimebundle_(include=include, exclude=exclude)
    except ImportError:
        return {"text/plain": text}
    data = dict((view[0] if isinstance(view, tuple) else view) or {})
    data["text/plain"] = text
    return data


class ShowsWidget:
    """Mixin: Jupyter shows the object's ``widget()``, nbconvert and a terminal its ``str``."""

    __slots__ = ()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return widget_bundle(self, include, exclude)


@dataclass(frozen=True)
class Message(ShowsStr):
    """A short French message in a widget's output area: ``info`` (grey), ``error`` (red)
    or ``note`` (italic); the text alone in a terminal."""

    text: str
    kind: str = "info"

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        body = html.escape(self.text).replace("\n", "<br>")
        if self.kind == "note":
            return f"<p><i>{body}</i></p>"
        colour = "#cf222e" if self.kind == "error" else "#555"
        return f"<div style='color:{colour}'>{body}</div>"


def load_session_yaml(
    name: str, folder: str | Path | None, *, session: str, what: str
) -> tuple[Path, dict]:
    """Read ``toolkit/data/<session>/<name>.yml`` (or ``<folder>/<name>.yml``).

    *what* names the file for French error messages (« Quiz », « Fichier du défi »...).
    """
    from toolkit.yamlfile import load_mapping

    if folder is not None:
        path = Path(folder) / f"{name}.yml"
    else:
        path = Path(str(resources.files("toolkit") / "data" / session / f"{name}.yml"))
    if not path.is_file():
        raise InputError(f"{what} introuvable : {path}.", "Vérifiez le nom du fichier.")
    data = load_mapping(path, InputError, shown=path.name, fix="Corrigez la ligne indiquée.",
                        not_mapping="doit contenir un dictionnaire YAML (clé: valeur).",
                        allow_empty=True)
    return path, data
