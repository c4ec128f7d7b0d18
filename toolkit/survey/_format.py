"""French number formats (Babel) and typography for the survey report and messages."""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["french_spacing", "num", "p_value", "percent", "plural"]

LOCALE = "fr_FR"
_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"« ")
_PERCENT = re.compile(r"(\d) %")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def num(value: Any, digits: int = 2) -> str:
    """A number with a decimal comma and a narrow no-break space between thousands."""
    from babel.numbers import format_decimal

    if _missing(value):
        return "–"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # U+2212 is the typographic minus; Babel writes the ASCII hyphen.
    return format_decimal(v, format=pattern, locale=LOCALE).replace("-", "\u2212")


def percent(value: Any, digits: int = 0) -> str:
    """A share as « 46 % » (no-break space before the sign, French decimal comma)."""
    from babel.numbers import format_percent

    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    return format_percent(float(value), format=pattern, locale=LOCALE)


def p_value(p: Any) -> str:
    """« < 0,001 » or « = 0,042 » (the comparison sign included, to follow « p »)."""
    if _missing(p):
        return "–"
    return "<\u00a00,001" if float(p) < 0.001 else "=\u00a0" + num(p, 3)


def plural(n: int, one: str, many: str) -> str:
    """« 1 personne est redescendue », « 3 personnes sont redescendues » (0 and 1: singular)."""
    return f"{n} {one if abs(int(n)) < 2 else many}"


def french_spacing(text: str) -> str:
    """No-break spaces before « : ; ! ? » % » and after « (French typography)."""
    text = _PERCENT.sub("\\1\u00a0%", text)
    text = _BEFORE.sub(lambda m: ("\u00a0" if m.group(1) in ":»" else "\u202f") + m.group(1), text)
    return _AFTER.sub("«\u00a0", text)
