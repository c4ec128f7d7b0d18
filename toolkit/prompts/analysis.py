"""Prompt analyser: the framework components a prompt holds, a 0-100 score and French hints.

``analyse(prompt)`` finds, for each component (rôle, contexte, tâche, format, contraintes,
exemples, délimiteurs), the passages that show it, using the documented rules of
:mod:`toolkit.prompts.rules` (see ``toolkit/prompts/RULES.md``). It works on French and English
prompts, uses only the standard library, and takes well under 5 ms for a 1,000-character prompt
so the playground can call it on every keystroke.

Text between delimiters (a quoted letter, a <courriel> block) is material, not instructions: it
is blanked out for every component except contexte and délimiteurs.

Scoring: each component present earns its weight (rôle 15, contexte 20, tâche 25, format 15,
contraintes 10, exemples 10, délimiteurs 5; total 100). A prompt of fewer than 4 words gets at
most 20 points: it cannot carry enough information whatever it contains. Hints, in French, say
exactly what to add for each missing component, the heaviest first.

>>> report = analyse("Tu es juriste. Résume ce contrat en 5 puces, sans jargon.")
>>> sorted(report.present)
['contraintes', 'format', 'role', 'tache']
>>> report.score
65
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from toolkit.prompts.hints import COMPONENTS, DEFINITIONS, HINTS, LABELS, WEIGHTS
from toolkit.prompts.rules import RULES, lower, mask_material, normalise

__all__ = ["ComponentResult", "PromptReport", "analyse"]

#: Longest evidence excerpt shown, in characters.
_EXCERPT = 70
#: Most evidence excerpts kept per component (the search stops after one more rule fires).
_MAX_EVIDENCE = 2
#: Below this many words, the score is capped (see module docstring).
_MIN_WORDS = 4
_SHORT_CAP = 20

#: Components searched in the full text; the others ignore delimited material.
_SEE_MATERIAL = frozenset({"contexte", "delimiteurs"})

#: Characters a match may start on before the clause it found (see :func:`analyse`).
_CLAUSE_OPENERS = frozenset(".!?;:,)•*>- \t\n")

_WORD = re.compile(r"[\w'’-]+")
_FR_WORDS = frozenset(
    (
        "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "en", "que", "qui", "pour",
        "dans", "sur", "avec", "ce", "cette", "tu", "vous", "nous", "je", "mon", "ma", "mes", "ton",
        "ta", "tes", "notre", "nos", "votre", "vos", "au", "aux", "pas", "ne", "son", "sa", "ses",
        "ou", "par", "il", "elle",
    )
)
_EN_WORDS = frozenset(
    (
        "the", "a", "an", "and", "is", "are", "to", "of", "in", "for", "on", "with", "this", "that",
        "you", "we", "i", "my", "your", "our", "it", "be", "as", "by", "or", "not", "do", "from",
        "at",
    )
)


@dataclass(frozen=True)
class ComponentResult:
    """One component of the framework: found or not, the passages that show it, its points."""

    key: str
    label: str
    present: bool
    evidence: tuple[str, ...]
    rules: tuple[str, ...]
    points: int
    max_points: int
    hint: str | None

    @property
    def score(self) -> int:
        """Component score on 0-100 (100 when present)."""
        return round(100 * self.points / self.max_points) if self.max_points else 0


@dataclass(frozen=True)
class PromptReport:
    """Result of :func:`analyse`: per-component results, a 0-100 score and French hints."""

    prompt: str
    language: str
    components: dict[str, ComponentResult] = field(repr=False)
    score: int

    @property
    def present(self) -> frozenset[str]:
        """Keys of the components found."""
        return frozenset(k for k, c in self.components.items() if c.present)

    @property
    def missing(self) -> tuple[str, ...]:
        """Keys of the missing components, in framework order."""
        return tuple(k for k, c in self.components.items() if not c.present)

    @property
    def hints(self) -> list[str]:
        """French hints for the missing components, the heaviest first."""
        missing = sorted(self.missing, key=lambda k: -WEIGHTS[k])
        return [self.components[k].hint or "" for k in missing]

    @property
    def level(self) -> str:
        """A short French verdict for the score."""
        if self.score >= 80:
            return "prompt complet"
        if self.score >= 50:
            return "bon début, à compléter"
        return "prompt trop vague"

    def __getitem__(self, key: str) -> ComponentResult:
        return self.components[key]

    def __str__(self) -> str:
        lines = [f"Analyse du prompt : {self.score}/100 ({self.level})"]
        for comp in self.components.values():
            mark = "✔" if comp.present else "✘"
            line = f"  {mark} {comp.label:<12} {comp.points:>2}/{comp.max_points}"
            if comp.present and comp.evidence:
                line += f"  « {comp.evidence[0]} »"
            lines.append(line)
        hints = self.hints
        if hints:
            lines.append("Pour l'améliorer :")
            lines.extend(f"  • {h}" for h in hints)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for comp in self.components.values():
            mark = "✅" if comp.present else "⬜"
            if comp.present:
                detail = " · ".join(f"« {html.escape(e)} »" for e in comp.evidence)
            else:
                detail = f"<em>{html.escape(comp.hint or '')}</em>"
            rows.append(
                "<tr>"
                f"<td style='text-align:center'>{mark}</td>"
                f"<td title='{html.escape(DEFINITIONS[comp.key])}'><b>{comp.label}</b></td>"
                f"<td style='text-align:right'>{comp.points}/{comp.max_points}</td>"
                f"<td style='text-align:left'>{detail}</td>"
                "</tr>"
            )
        from toolkit.html import score_colour

        colour = score_colour(self.score)
        return (
            "<div class='atelier-prompt-report'>"
            f"<p><b>Analyse du prompt : <span style='color:{colour}'>{self.score}/100</span></b>"
            f" ({html.escape(self.level)})</p>"
            "<table><thead><tr><th></th><th>Composante</th><th>Points</th>"
            "<th style='text-align:left'>Indice trouvé ou conseil</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )


def _excerpt(text: str, start: int, end: int) -> str:
    """The passage from a little before the match to the end of its clause, on one line.

    Both ends fall on word boundaries: the excerpt starts at the beginning of its sentence or
    of a word, and a long one is cut after a whole word, never inside one.
    """
    stops = [text.rfind(mark, 0, start) for mark in (". ", "! ", "? ", "; ")]
    sentence = max([text.rfind("\n", 0, start) + 1, *(i + 2 for i in stops if i != -1)])
    left = max(sentence, start - 25)
    if left > sentence:  # started mid-sentence: begin on a word
        while left > sentence and not text[left - 1].isspace():
            left -= 1
        if left - sentence <= 3:  # only a short word before: start the sentence instead
            left = sentence
    stops = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = max(min([*stops, len(text)]), end)
    piece = " ".join(text[left:right].split())
    if left > sentence:
        piece = "…" + piece
    if len(piece) > _EXCERPT:
        cut = piece.rfind(" ", 0, _EXCERPT)
        piece = piece[: cut if cut > _EXCERPT // 2 else _EXCERPT - 1].rstrip(" ,;:") + "…"
    return piece


def _language(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text[:2000])]
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "en" if en > fr else "fr"


def analyse(prompt: str) -> PromptReport:
    """Analyse ``prompt`` against the framework and return a :class:`PromptReport`.

    For every component, each rule of :data:`toolkit.prompts.rules.RULES` is searched in the
    prompt; the component is present when at least one rule matches, and the first matches
    (up to three) are kept as evidence. ``prompt`` must be a string (``None`` counts as empty).
    """
    if prompt is None:
        prompt = ""
    if not isinstance(prompt, str):
        raise TypeError(f"analyse() attend un texte (str), pas {type(prompt).__name__}")
    text = normalise(prompt)
    # Text between delimiters is material to process, not instructions: a "must" inside a
    # quoted letter is not a constraint of the prompt. Only contexte and délimiteurs see it.
    masked = mask_material(text)
    # (sees material, cased) -> text to search; most rules run on the lower-case copies
    variants = {
        (True, True): text,
        (True, False): lower(text),
        (False, True): masked,
        (False, False): lower(masked) if masked is not text else lower(text),
    }
    results: dict[str, ComponentResult] = {}
    for key in COMPONENTS:
        evidence: list[str] = []
        fired: list[str] = []
        for rule in RULES[key]:
            match = rule.pattern.search(variants[key in _SEE_MATERIAL, rule.cased])
            if match is None:
                continue
            fired.append(rule.name)
            if len(fired) > _MAX_EVIDENCE:
                break  # enough evidence: the remaining rules would not change the result
            if len(evidence) < _MAX_EVIDENCE:
                start, end = match.span()
                # a rule may begin on the punctuation that opens its clause (". Format :"):
                # the excerpt starts after it, in the clause itself
                while start < end - 1 and prompt[start] in _CLAUSE_OPENERS:
                    start += 1
                piece = _excerpt(prompt, start, end) if end > start else prompt[start : start + 20]
                if piece and piece not in evidence:
                    evidence.append(piece)
        present = bool(fired)
        results[key] = ComponentResult(
            key=key,
            label=LABELS[key],
            present=present,
            evidence=tuple(evidence),
            rules=tuple(fired),
            points=WEIGHTS[key] if present else 0,
            max_points=WEIGHTS[key],
            hint=None if present else HINTS[key],
        )
    score = sum(c.points for c in results.values())
    if len(_WORD.findall(prompt)) < _MIN_WORDS:
        score = min(score, _SHORT_CAP)
    return PromptReport(prompt=prompt, language=_language(prompt), components=results, score=score)
