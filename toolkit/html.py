"""Small HTML helpers for the notebook displays: one palette, escaping, status lines, boxes.

The ``_repr_html_`` methods of the toolkit build their snippets from these so a colour or a
box looks the same everywhere (and changes in one place).

>>> status_line("Lot terminé", ok=True)
"<p style='color:#2e7d32'>Lot terminé</p>"
>>> score_colour(85) == SCORE_GOOD and score_colour(10) == SCORE_LOW
True
"""

from __future__ import annotations

from html import escape

__all__ = [
    "ALERT",
    "ERROR",
    "OK",
    "SCORE_GOOD",
    "SCORE_LOW",
    "SCORE_MID",
    "SUCCESS",
    "UNCERTAIN",
    "box",
    "escape",
    "probability_cells",
    "score_colour",
    "status_colour",
    "status_line",
    "text_bar",
]

#: Success and failure of an action (batch finished, record saved, budget kept...).
OK = "#2e7d32"
ERROR = "#b3261e"
#: A result the toolkit could not confirm (e.g. an unchecked computation).
UNCERTAIN = "#8a6d00"
#: Score of a prompt (0-100): good from 80, middling from 50.
SCORE_GOOD = "#1a7f37"
SCORE_MID = "#9a6700"
SCORE_LOW = "#cf222e"
#: Verdicts shown to participants (quiz answer, missing survey link).
SUCCESS = "#54a24b"
ALERT = "#e45756"


def status_colour(ok: bool) -> str:
    """:data:`OK` or :data:`ERROR`."""
    return OK if ok else ERROR


def score_colour(score: float) -> str:
    """Colour of a 0-100 score: :data:`SCORE_GOOD`, :data:`SCORE_MID` or :data:`SCORE_LOW`."""
    return SCORE_GOOD if score >= 80 else SCORE_MID if score >= 50 else SCORE_LOW


def status_line(text: str, *, ok: bool | None = None, colour: str | None = None,
                bold: bool = False) -> str:
    """One coloured paragraph; *text* is escaped here."""
    colour = colour or status_colour(bool(ok))
    body = f"<b>{escape(text)}</b>" if bold else escape(text)
    return f"<p style='color:{colour}'>{body}</p>"


def box(body_html: str, colour: str, *, padding: str = "0.3em 0.8em") -> str:
    """A block with a coloured left border around *body_html* (already HTML, not escaped)."""
    return f"<div style='border-left:4px solid {colour};padding:{padding}'>{body_html}</div>"


def probability_cells(label: str, p: float, *, colour: str, scale: int) -> str:
    """Three table cells for one probability: *label* (escaped here, in code type), the
    percentage and a bar *scale* pixels wide at 100 %.

    >>> probability_cells("le", 0.5, colour=OK, scale=100).count("<td")
    3
    """
    from toolkit.fr import pourcentage

    return (f"<td><code>{escape(label)}</code></td>"
            f"<td style='text-align:right'>{pourcentage(p)}</td>"
            f"<td><div style='background:{colour};height:0.8em;width:{p * scale:.0f}px'></div>"
            "</td>")


def text_bar(p: float, scale: int) -> str:
    """A probability as a bar of *scale* « █ » at 100 %, at least one when *p* is above 0.

    >>> text_bar(0.5, 10), text_bar(0.001, 10), text_bar(0, 10)
    ('█████', '█', '')
    """
    return "█" * max(1, round(p * scale)) if p > 0 else ""
