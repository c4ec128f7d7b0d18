"""French as participants read it: typography (non-breaking spaces) and Babel number formats.

Typography follows the Imprimerie nationale rules (*Lexique des règles typographiques en usage à
l'Imprimerie nationale*): a narrow no-break space (U+202F, « espace fine insécable ») before
``; ! ?`` and inside « », a no-break space (U+00A0, « espace mot insécable ») before ``:``.
:func:`typographie` applies them to prose without touching code spans, fenced code, URLs,
HTML tags, times (12:00) or Markdown table rules.

Numbers use Babel with the course's locale (``ATELIER_LOCALE``, ``fr_CH`` by default):
:func:`nombre`, :func:`pourcentage` and :func:`montant` never show « 18.2% », « None » or « $ ».

>>> typographie("Attention : voici « un test » ! Prêt ?") == (
...     "Attention\\u00a0: voici «\\u202fun test\\u202f»\\u202f! Prêt\\u202f?")
True
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

__all__ = [
    "COLON_SPACE",
    "NARROW_SPACE",
    "accord",
    "defauts_typographiques",
    "montant",
    "nombre",
    "pluriel",
    "pourcentage",
    "typographie",
    "typographie_notebook",
]

#: Before « ; ! ? » and inside guillemets (Imprimerie nationale: espace fine insécable).
NARROW_SPACE = "\u202f"
#: Before the colon (Imprimerie nationale: espace mot insécable).
COLON_SPACE = "\u00a0"

# Passages left as written: fenced code, code spans, URLs, HTML tags, math, and Markdown
# table rules (| :--- |), whose colons are syntax.
_PROTECTED = re.compile(
    r"(?ms)^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$"  # fenced code block
    r"|`+[^`\n]*`+"  # code span
    r"|<[a-zA-Z/!][^<>\n]*>"  # HTML tag (attributes hold CSS "a: b")
    r"|\b(?:https?|ftp|mailto|file)://\S+|\bwww\.\S+"  # URLs
    r"|\$\$.*?\$\$|\$[^$\n]+\$"  # math
    r"|^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$"  # table rule
)
_SPACE = "[ \u00a0\u202f\u2009]"
# A typed space before the mark, after any visible character but a table bar or another mark.
_SPACED = re.compile(rf"(?<=[^\s|:;!?]){_SPACE}+([;:!?])(?![\w/=&])")
# No space typed between a word and ; ! ? (« Prêt? »): a narrow one is added. A colon without
# a space is left alone: « Note: », 12:00 or key:value are more often code than prose.
_GLUED = re.compile(r"(?<=[\w)\]»…%*_])([;!?])(?=\s|$|[)\]*_])")
_OPEN = re.compile(rf"«{_SPACE}*")
_CLOSE = re.compile(rf"{_SPACE}*»")
# Typographical mistakes the checker reports (see :func:`defauts_typographiques`).
_FAULTS = re.compile(
    r"(?<=[^\s|:;!?])[ \u2009][;:!?](?![\w/=&])|(?<=[\w)\]»…%*_])[;!?](?=\s|$)"
    r"|«[ \u2009]|«(?=[^\s\u00a0\u202f])|[ \u2009]»|(?<=[^\s\u00a0\u202f])»"
)


# First private-use code point standing for a held-aside passage (U+E000 to U+F8FF).
_HOLD = 0xE000
_MAX_HELD = 0xF8FF - _HOLD
_PRIVATE = re.compile("[\ue000-\uf8ff]")


def _prose(text: str, fix) -> str:
    """Apply ``fix`` to the prose of ``text``, protected passages held aside.

    Each protected passage is replaced by one private-use character while ``fix`` runs, so a
    mark right after a code span or a URL (« `x` ; y ») still sees a visible character
    before its space, and nothing inside the passage can change.
    """
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return chr(_HOLD + len(held) - 1)

    passages = list(_PROTECTED.finditer(text))
    if len(passages) > _MAX_HELD or _PRIVATE.search(text):
        # Rare: no free placeholder; fix each stretch of prose on its own instead.
        out, last = [], 0
        for match in passages:
            out += [fix(text[last : match.start()]), match.group(0)]
            last = match.end()
        return "".join([*out, fix(text[last:])])
    fixed = fix(_PROTECTED.sub(hold, text))
    if not held:
        return fixed
    return re.sub(f"[{chr(_HOLD)}-{chr(_HOLD + len(held) - 1)}]",
                  lambda m: held[ord(m.group(0)) - _HOLD], fixed)


def _fix(prose: str) -> str:
    prose = _SPACED.sub(lambda m: (COLON_SPACE if m[1] == ":" else NARROW_SPACE) + m[1], prose)
    prose = _GLUED.sub(NARROW_SPACE + r"\1", prose)
    prose = _OPEN.sub("«" + NARROW_SPACE, prose)
    return _CLOSE.sub(NARROW_SPACE + "»", prose)


def typographie(text: str) -> str:
    """``text`` with French non-breaking spaces before ``; : ! ?`` and inside « ».

    Only prose changes: code, URLs, HTML tags, math and times like 12:00 stay as they are.
    A colon gets its space only when one was typed (« Note: » is often a label or code), and
    the other marks get one even when none was typed (« Prêt? » → « Prêt ? »). Idempotent.
    """
    if not text:
        return text
    return _prose(text, _fix)


def typographie_notebook(nb) -> bool:
    """Apply :func:`typographie` to every markdown cell of ``nb``; True when one changed."""
    changed = False
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            fixed = typographie(cell.source)
            if fixed != cell.source:
                cell.source = fixed
                changed = True
    return changed


def defauts_typographiques(text: str) -> list[str]:
    """Excerpts of ``text`` where a French space is missing or breakable (empty when correct)."""
    found: list[str] = []

    def collect(prose: str) -> str:
        for match in _FAULTS.finditer(prose):
            start = max(match.start() - 20, 0)
            found.append(prose[start : match.end() + 10].replace("\n", " "))
        return prose


    _prose(text, collect)
    return found


# ---------------------------------------------------------------------------------------------
# Numbers


def _locale(locale: str | None):
    """The Babel locale for number formats (see :func:`_babel_locale`)."""
    if not locale:
        from toolkit.config import settings

        locale = settings().locale
    return _babel_locale(locale)


@lru_cache(maxsize=16)
def _babel_locale(name: str):
    """*name* as a Babel ``Locale`` whose thousands separator survives Babel's formatting.

    Babel 2.19 removes quote pairs from a formatted number (``NumberPattern.apply`` unquotes
    pattern literals on the whole result), so with the Swiss ASCII apostrophe separator
    (CLDR since v42) « 4'545'000 » came out « 4545000 ». A doubled quote is Babel's escape
    for one quote: the locale is given the doubled separator, and Babel writes it once.
    """
    from babel import Locale

    loc = Locale.parse(name)
    symbols = loc.number_symbols
    if all("'" not in (values.get("group") or "") for values in symbols.values()):
        return loc

    escaped = {system: {**values, "group": (values.get("group") or "").replace("'", "''")}
               for system, values in symbols.items()}

    class _EscapedGroup(Locale):
        @property
        def number_symbols(self):
            return escaped

    fixed = _EscapedGroup(loc.language, territory=loc.territory, script=loc.script,
                          variant=loc.variant, modifier=loc.modifier)
    return fixed


def nombre(value: float | int | None, decimales: int | None = None, *,
           locale: str | None = None, vide: str = "—") -> str:
    """``value`` in the course's locale (« 1 234,5 »); ``vide`` for None or NaN.

    ``decimales`` fixes the number of decimals; by default up to 3 are shown and trailing
    zeros dropped, so a whole number prints as « 30 », never « 30.0 ».
    """
    from babel.numbers import format_decimal

    if value is None or value != value:  # NaN is the only value not equal to itself
        return vide
    if decimales is None:
        return format_decimal(value, format="#,##0.###", locale=_locale(locale))
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
    return format_decimal(value, format=pattern, locale=_locale(locale), decimal_quantization=True)


def pourcentage(value: float | None, decimales: int = 1, *, locale: str | None = None,
                vide: str = "—") -> str:
    """A share (0.182) as a French percentage (« 18,2 % »); ``vide`` for None or NaN."""
    from babel.numbers import format_percent

    if value is None or value != value:
        return vide
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "") + NARROW_SPACE + "%"
    # Decimal keeps 0.182 exact (18,2 %, not 18.199999…) and rounds halves up, as people do
    # by hand (Babel would round 12,345 % to the even 12,34 %).
    share = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimales - 2), rounding=ROUND_HALF_UP)
    return format_percent(share, format=pattern, locale=_locale(locale), decimal_quantization=True)


def montant(value: float | None, devise: str = "CHF", *, decimales: int | None = None,
            locale: str | None = None, vide: str = "coût inconnu") -> str:
    """An amount of money (« 0,0006 CHF », « 12,50 € »); ``vide`` for None.

    Small amounts keep enough decimals to be read (4 under 0.01, 3 under 1, else 2). The
    symbol comes from Babel for the locale, except dollar signs, which are ambiguous for
    francophone readers: the ISO code (« USD ») is shown instead.
    """
    from babel.numbers import format_decimal, get_currency_symbol

    if value is None or value != value:
        return vide
    if decimales is None:
        size = abs(value)
        decimales = 2 if size >= 1 or size == 0 else 3 if size >= 0.01 else 4
    loc = _locale(locale)
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
    number = format_decimal(value, format=pattern, locale=loc, decimal_quantization=True)
    symbol = get_currency_symbol(devise.upper(), loc)
    if "$" in symbol:
        symbol = devise.upper()
    return f"{number}\u00a0{symbol}"


def pluriel(n: float | int, singulier: str, pluriel: str | None = None, *,
            aucun: str | None = None, locale: str | None = None) -> str:
    """*n* and the words that agree with it, in French: « 1 question répondue », « 3 questions
    répondues », and ``aucun`` for zero when given (« aucune question répondue »).

    French takes the singular below two (« 0 mot », « 1,5 heure »). Without ``pluriel``, each
    word of ``singulier`` takes an « s » unless it already ends in s, x or z; pass ``pluriel``
    for other forms (« travail », « travaux »). Never shows « question(s) ».
    """
    if n == 0 and aucun is not None:
        return aucun
    return f"{nombre(n, locale=locale)} {accord(n, singulier, pluriel)}"


def accord(n: float | int, singulier: str, pluriel: str | None = None) -> str:
    """The words of :func:`pluriel` without the number: « Type inconnu » or « Types inconnus »."""
    if abs(n) < 2:
        return singulier
    if pluriel is not None:
        return pluriel
    return " ".join(w if w[-1:] in "sxz" else w + "s" for w in singulier.split(" "))
