"""scan / mask / unmask: find personal and confidential data in a text, replace it with
consistent placeholders before the text leaves the machine, and put the values back locally.
"""

from __future__ import annotations

import re

from toolkit.fr import accord
from toolkit.privacy.findings import KIND_PLACEHOLDERS, Finding, Findings, Masked, SpanSet
from toolkit.privacy.recognizers import RECOGNIZERS, run_structured
from toolkit.privacy.terms import Terms, find_terms

__all__ = ["ALL_KINDS", "mask", "scan", "unmask"]

#: Every kind ``scan`` can report.
ALL_KINDS = frozenset(KIND_PLACEHOLDERS)

_PRIORITY = {kind: priority for kind, (_f, priority) in RECOGNIZERS.items()}
_PRIORITY.update({"TERM": 70, "MARKING": 70, "PERSON": 50})


def scan(
    text: str,
    *,
    kinds: set[str] | frozenset[str] | None = None,
    terms: Terms | None = None,
    ner: bool = True,
) -> Findings:
    """Find personal and confidential data in ``text``.

    Returns a list of :class:`~toolkit.privacy.findings.Finding` (kind, start, end, text,
    confidence, recognizer) sorted by position, without overlaps; in a notebook it shows the
    text with the findings highlighted. ``kinds`` restricts the search (e.g. ``{"EMAIL"}``),
    ``terms`` replaces the terms file from ``ATELIER_PRIVACY_TERMS``, ``ner=False`` skips the
    language model (names are then found only from titles, first names and greetings).

    >>> [f.kind for f in scan("Écrire à marie.dubois@exemple.ch", ner=False)]
    ['EMAIL']
    """
    if not isinstance(text, str):
        raise TypeError(f"scan() attend un texte (str), pas {type(text).__name__}")
    wanted = set(ALL_KINDS if kinds is None else kinds)
    unknown = wanted - ALL_KINDS
    if unknown:
        raise ValueError(
            f"{accord(len(unknown), 'Type inconnu')} : {', '.join(sorted(unknown))}. "
            f"Types possibles : {', '.join(sorted(ALL_KINDS))}."
        )
    candidates = run_structured(text, wanted)
    if wanted & {"TERM", "MARKING"}:
        candidates += [f for f in find_terms(text, terms) if f.kind in wanted]
    if "PERSON" in wanted:
        from toolkit.privacy.names import find_persons

        taken = [(f.start, f.end) for f in candidates if f.kind not in {"MARKING"}]
        candidates += find_persons(text, ner=ner, exclude=taken)
    return Findings(_resolve(candidates), source=text)


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Keep non-overlapping findings, preferring checksummed kinds, then longer spans.

    Near misses (wrong checksum, confidence 0) take part so that their digits are not reported
    under another numeric kind, then are dropped.
    """

    def rank(f: Finding):
        return (-_PRIORITY.get(f.kind, 0), -(f.end - f.start), f.start)

    taken = SpanSet()
    chosen = [f for f in sorted(candidates, key=rank) if taken.claim(f.start, f.end)]
    return sorted((f for f in chosen if f.confidence > 0), key=lambda f: f.start)


def _normalise(kind: str, value: str) -> str:
    if kind in {"PERSON", "ADDRESS", "TERM", "MARKING", "EMAIL", "BIRTH_DATE"}:
        return " ".join(value.split()).casefold()
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


_PLACEHOLDER_RE = re.compile(r"^\[([A-Z_]+)_(\d+)\]$")


def mask(
    text: str,
    *,
    findings: list[Finding] | None = None,
    mapping: dict[str, str] | None = None,
    **scan_options,
) -> Masked:
    """Replace each finding with a placeholder such as ``[PERSONNE_1]`` or ``[EMAIL_2]``.

    The same value always gets the same placeholder. ``Masked.mapping`` maps placeholders back
    to values for :func:`unmask`; it stays on this machine. Pass the ``mapping`` of earlier
    messages of the same conversation to keep their placeholders and continue the numbering.

    >>> m = mask("Marie Dubois (marie.dubois@exemple.ch) écrit à Marie Dubois.", ner=False)
    >>> m.text
    '[PERSONNE_1] ([EMAIL_1]) écrit à [PERSONNE_1].'
    >>> mask("Réponse de Marie Dubois et de Jean Favre.", mapping=m.mapping, ner=False).text
    'Réponse de [PERSONNE_1] et de [PERSONNE_2].'
    """
    if findings is None:
        findings = scan(text, **scan_options)
    stem_kind = {stem: kind for kind, stem in KIND_PLACEHOLDERS.items()}
    by_value: dict[tuple[str, str], str] = {}
    counters: dict[str, int] = {}
    mapping = dict(mapping or {})
    for placeholder, value in mapping.items():
        m = _PLACEHOLDER_RE.match(placeholder)
        if m and m.group(1) in stem_kind:
            kind = stem_kind[m.group(1)]
            by_value.setdefault((kind, _normalise(kind, value)), placeholder)
            counters[m.group(1)] = max(counters.get(m.group(1), 0), int(m.group(2)))
    pieces = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        key = (f.kind, _normalise(f.kind, f.text))
        known = by_value.get(key)
        if known is None:
            stem = KIND_PLACEHOLDERS.get(f.kind, f.kind)
            counters[stem] = counters.get(stem, 0) + 1
            known = f"[{stem}_{counters[stem]}]"
            by_value[key] = known
            mapping[known] = f.text
        pieces.append(text[pos : f.start])
        pieces.append(known)
        pos = f.end
    pieces.append(text[pos:])
    return Masked(text="".join(pieces), mapping=mapping, findings=list(findings), original=text)


def unmask(answer, mapping: dict[str, str]) -> str:
    """Put the real values back into a model's answer (locally) using ``mask``'s mapping.

    Accepts the placeholder with or without its brackets (models sometimes drop them).
    ``answer`` may be a string or any object whose ``str()`` is the text (e.g. an Answer).

    >>> unmask("Bonjour [PERSONNE_1] !", {"[PERSONNE_1]": "Marie Dubois"})
    'Bonjour Marie Dubois !'
    """
    text = str(answer)
    if not mapping:
        return text
    stems = {}
    for placeholder, value in mapping.items():
        stems[placeholder.strip("[]")] = value
    names = sorted(stems, key=len, reverse=True)
    pattern = re.compile(
        r"\[(" + "|".join(map(re.escape, names)) + r")\]"
        r"|(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])"
    )
    return pattern.sub(lambda m: stems[m.group(1) or m.group(2)], text)
