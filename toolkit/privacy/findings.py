"""Result types of the confidentiality guard: one finding, a masked text, and their displays.

Kinds are short English codes (``EMAIL``, ``PERSON``...); every label a participant sees is
French (:data:`KIND_LABELS`), and placeholders use French names (``[PERSONNE_1]``).
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import dataclass, field

from toolkit._display import ShowsStr
from toolkit.fr import pourcentage

__all__ = [
    "KIND_LABELS",
    "KIND_PLACEHOLDERS",
    "Finding",
    "Findings",
    "Masked",
    "SpanSet",
    "count_kinds",
    "describe_counts",
    "highlight_html",
    "short_hint",
]

#: French, human-readable name of each kind (singular, plural).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "PERSON": ("nom de personne", "noms de personnes"),
    "EMAIL": ("adresse e-mail", "adresses e-mail"),
    "PHONE": ("numéro de téléphone", "numéros de téléphone"),
    "ADDRESS": ("adresse postale", "adresses postales"),
    "BIRTH_DATE": ("date de naissance", "dates de naissance"),
    "AVS": ("numéro AVS", "numéros AVS"),
    "NIR": ("numéro de sécurité sociale (NIR)", "numéros de sécurité sociale (NIR)"),
    "IBAN": ("IBAN", "IBAN"),
    "CARD": ("numéro de carte de paiement", "numéros de carte de paiement"),
    "SIREN": ("numéro SIREN", "numéros SIREN"),
    "SIRET": ("numéro SIRET", "numéros SIRET"),
    "IP": ("adresse IP", "adresses IP"),
    "PLATE": ("plaque d'immatriculation", "plaques d'immatriculation"),
    "TERM": ("terme interne (nom de code, projet)", "termes internes (noms de code, projets)"),
    "MARKING": ("mention de confidentialité", "mentions de confidentialité"),
}

#: Placeholder stem of each kind: ``[PERSONNE_1]``, ``[EMAIL_2]``...
KIND_PLACEHOLDERS: dict[str, str] = {
    "EMAIL": "EMAIL",
    "PHONE": "TELEPHONE",
    "AVS": "AVS",
    "IBAN": "IBAN",
    "NIR": "NIR",
    "SIREN": "SIREN",
    "SIRET": "SIRET",
    "CARD": "CARTE",
    "IP": "IP",
    "PLATE": "PLAQUE",
    "BIRTH_DATE": "DATE_NAISSANCE",
    "ADDRESS": "ADRESSE",
    "PERSON": "PERSONNE",
    "TERM": "TERME",
    "MARKING": "MENTION",
}

# Background colour per kind in the notebook display (light, readable in both themes).
_COLOURS = {
    "PERSON": "#ffe08a",
    "EMAIL": "#b5e3ff",
    "PHONE": "#c8f7c5",
    "ADDRESS": "#f6d5ff",
    "TERM": "#ffc9c9",
    "MARKING": "#ffc9c9",
}
_DEFAULT_COLOUR = "#ffd6a5"


class SpanSet:
    """Non-overlapping character spans; ``claim`` adds a span only if it is free (O(log n))."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def is_free(self, start: int, end: int) -> bool:
        """True when ``start``–``end`` overlaps no span of the set."""
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return False
        return not (i < len(self._starts) and self._starts[i] < end)

    def claim(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return False
        if i < len(self._starts) and self._starts[i] < end:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def short_hint(value: str) -> str:
    """A hint of a value that does not reveal it: first two characters then an ellipsis."""
    value = value.strip()
    if len(value) <= 3:
        return value[:1] + "…"
    return value[:2] + "…"


@dataclass(frozen=True)
class Finding:
    """One piece of personal or confidential data found in a text.

    ``start``/``end`` are character offsets (``text[start:end] == finding.text``),
    ``confidence`` is between 0 and 1, ``recognizer`` names the rule or model that found it.
    """

    kind: str
    start: int
    end: int
    text: str
    confidence: float
    recognizer: str

    @classmethod
    def of_match(cls, kind: str, match: re.Match, confidence: float, recognizer: str) -> Finding:
        """The finding of a whole regular-expression *match*."""
        return cls(kind, match.start(), match.end(), match.group(), confidence, recognizer)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, (self.kind.lower(), self.kind.lower()))[0]

    def __str__(self) -> str:
        return (
            f"{self.label} « {self.text} » (caractères {self.start}–{self.end}, "
            f"confiance {pourcentage(self.confidence, 0)}, {self.recognizer})"
        )


def count_kinds(findings: list[Finding]) -> Counter:
    """How many findings of each kind, in the order of :data:`KIND_LABELS`."""
    counts = Counter(f.kind for f in findings)
    order = list(KIND_LABELS)
    return Counter(
        dict(sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
    )


def describe_counts(findings: list[Finding]) -> str:
    """French summary such as « 2 noms de personnes, 1 IBAN »."""
    parts = []
    for kind, n in count_kinds(findings).items():
        singular, plural = KIND_LABELS.get(kind, (kind.lower(), kind.lower()))
        parts.append(f"{n} {singular if n == 1 else plural}")
    return ", ".join(parts)


def highlight_html(text: str, findings: list[Finding], *, show_values: bool = True) -> str:
    """The text as HTML with each finding highlighted and its kind in a tooltip."""
    out = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        out.append(html.escape(text[pos : f.start]))
        colour = _COLOURS.get(f.kind, _DEFAULT_COLOUR)
        shown = html.escape(f.text if show_values else f"[{KIND_PLACEHOLDERS.get(f.kind, f.kind)}]")
        title = html.escape(f"{f.label} — {f.recognizer}, confiance {pourcentage(f.confidence, 0)}")
        out.append(
            f'<mark style="background:{colour};padding:0 2px;border-radius:3px" '
            f'title="{title}">{shown}<sup style="font-size:70%;opacity:.7">'
            f"{html.escape(KIND_PLACEHOLDERS.get(f.kind, f.kind))}</sup></mark>"
        )
        pos = f.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


@dataclass
class Masked(ShowsStr):
    """A text whose findings are replaced by placeholders, and the mapping to undo it.

    ``mapping`` goes from placeholder (``[PERSONNE_1]``) to the original value; the same value
    always gets the same placeholder within one text.
    """

    text: str
    mapping: dict[str, str]
    findings: list[Finding] = field(default_factory=list)
    original: str = ""

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>"
            for k, v in self.mapping.items()
        )
        table = (
            "<table><thead><tr><th>Substitut</th><th>Valeur (reste sur cet ordinateur)</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else "<p>Aucune donnée à masquer.</p>"
        )
        return (
            '<div class="atelier-privacy"><p><b>Texte masqué</b> (à envoyer au modèle) :</p>'
            f'<pre style="white-space:pre-wrap">{html.escape(self.text)}</pre>{table}</div>'
        )


class Findings(list, ShowsStr):
    """A list of :class:`Finding` that shows itself as the highlighted text in a notebook."""

    def __init__(self, items=(), *, source: str = ""):
        super().__init__(items)
        self.source = source

    def __str__(self) -> str:
        if not self:
            return "Aucune donnée personnelle ou confidentielle trouvée."
        lines = [f"Données trouvées : {describe_counts(list(self))}."]
        for f in self:
            lines.append(f"  - {f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Findings({list.__repr__(self)})"

    def _repr_html_(self) -> str:
        summary = (
            html.escape(f"Données trouvées : {describe_counts(list(self))}.")
            if self
            else "Aucune donnée personnelle ou confidentielle trouvée."
        )
        return (
            f'<div class="atelier-privacy"><p><b>{summary}</b></p>'
            '<div style="white-space:pre-wrap;line-height:1.6;font-family:inherit">'
            f"{highlight_html(self.source, list(self))}</div></div>"
        )
