"""Organisation-defined terms (project code names) and confidentiality markings, read from
a YAML file whose path is in ``ATELIER_PRIVACY_TERMS`` (example: toolkit/data/privacy/).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.privacy.findings import Finding

__all__ = [
    "DEFAULT_MARKINGS",
    "ENV_VAR",
    "Terms",
    "example_path",
    "find_terms",
    "load_terms",
]

ENV_VAR = "ATELIER_PRIVACY_TERMS"

#: Markings found even without a configuration file.
DEFAULT_MARKINGS: tuple[tuple[str, bool], ...] = (
    ("CONFIDENTIEL", True),
    ("Strictement confidentiel", False),
    ("usage interne", False),
    ("diffusion restreinte", False),
    ("secret de fonction", False),
)


@dataclass
class Terms:
    """Compiled terms (kind ``TERM``) and markings (kind ``MARKING``)."""

    terms: list[tuple[str, bool]] = field(default_factory=list)
    markings: list[tuple[str, bool]] = field(default_factory=list)
    source: str = "mentions usuelles intégrées"

    def __post_init__(self) -> None:
        self._patterns = [
            (kind, text, _compile(text, case_sensitive))
            for kind, items in (("MARKING", self.markings), ("TERM", self.terms))
            for text, case_sensitive in items
        ]

    def find(self, text: str) -> list[Finding]:
        out = []
        for kind, term, pattern in self._patterns:
            for m in pattern.finditer(text):
                if kind == "MARKING" and _in_prose(text, m):
                    continue
                out.append(Finding.of_match(kind, m, 0.95, f"termes : {term}"))
        return out


# A determiner or a contracted preposition before a marking makes it a noun phrase of a
# sentence (« tenus au secret de fonction », « pour un usage interne »), not a label.
_PROSE_BEFORE_RE = re.compile(
    r"(?:^|[\s(«])(?:au|aux|du|des|le|la|les|l|un|une|son|sa|ses|leur|leurs|ce|cet|cette"
    r"|notre|votre|nos|vos|de|d)[\s\u00a0'’]+$",
    re.IGNORECASE,
)


def _in_prose(text: str, m: re.Match) -> bool:
    """True when a marking is used as a phrase of running text: written in lowercase or with a
    capital only, right after a determiner on the same line. A marking in capitals, alone, or
    after « à » / a dash (« Document à usage interne », « — usage interne ») is a label."""
    if m.group().isupper():
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    return bool(_PROSE_BEFORE_RE.search(text[max(line_start, m.start() - 30) : m.start()]))


def _compile(term: str, case_sensitive: bool) -> re.Pattern:
    words = [re.escape(w) for w in term.split()]
    body = r"[\s\u00a0\u202f]+".join(words)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![\w]){body}(?![\w])", flags)


def example_path() -> Path:
    """Path of the documented example shipped with the toolkit."""
    return Path(str(resources.files("toolkit.data").joinpath("privacy/termes-exemple.yml")))


def _items(value, path: Path, key: str) -> list[tuple[str, bool]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(
            f"Fichier de termes {path} : la clé « {key} » doit être une liste.",
            f"écrivez « {key}: » suivi d'une ligne « - terme » par terme "
            f"(voir l'exemple {example_path()}).",
        )
    out = []
    for i, item in enumerate(value, start=1):
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), False))
        elif isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            out.append((item["text"].strip(), bool(item.get("case_sensitive", False))))
        else:
            raise ConfigError(
                f"Fichier de termes {path} : l'élément n° {i} de « {key} » n'est pas un terme.",
                "chaque élément est un texte, ou un objet avec « text » (et éventuellement "
                "« case_sensitive: true »).",
            )
    return out


def load_terms(path: str | os.PathLike | None = None) -> Terms:
    """Read a terms file; without ``path``, use ``ATELIER_PRIVACY_TERMS`` or the defaults."""
    if path is None:
        path = _configured_path()
    if path is None:
        return Terms(markings=list(DEFAULT_MARKINGS))
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"Le fichier de termes confidentiels {path} est introuvable "
            f"(indiqué par {ENV_VAR} ou en argument).",
            f"corrigez le chemin, ou partez de l'exemple : {example_path()}.",
        )
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Le fichier de termes {path} n'est pas un YAML lisible.",
            f"vérifiez l'indentation et les deux-points (comparez avec {example_path()}).",
            detail=str(exc),
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(
            f"Le fichier de termes {path} doit contenir les clés « terms » et « markings ».",
            f"partez de l'exemple {example_path()}.",
        )
    markings = _items(data.get("markings"), path, "markings")
    if data.get("include_default_markings", True):
        seen = {m.casefold() for m, _ in markings}
        markings += [m for m in DEFAULT_MARKINGS if m[0].casefold() not in seen]
    return Terms(
        terms=_items(data.get("terms"), path, "terms"), markings=markings, source=str(path)
    )


def _configured_path() -> str | None:
    """``ATELIER_PRIVACY_TERMS`` from the settings (environment or the course's ``.env``)."""
    from toolkit.config import settings

    value = settings().privacy_terms
    return str(value) if value else None


_CACHE: dict[str | None, tuple[float, Terms]] = {}


def current_terms() -> Terms:
    """Terms from ``ATELIER_PRIVACY_TERMS`` (re-read when the file changes)."""
    path = _configured_path()
    mtime = Path(path).stat().st_mtime if path and Path(path).is_file() else 0.0
    cached = _CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    terms = load_terms(path)
    _CACHE[path] = (mtime, terms)
    return terms


def find_terms(text: str, terms: Terms | None = None) -> list[Finding]:
    return (terms or current_terms()).find(text)
