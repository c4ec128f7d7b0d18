"""Text normalisation shared by header matching, Likert mapping and participant codes."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def norm_text(value: object) -> str:
    """Normalise a header or an answer: NFKC, straight apostrophes, one plain space, casefold."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_APOSTROPHES)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACES.sub(" ", text).strip().casefold()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def norm_code(value: object) -> str:
    """Normalise a self-generated participant code: no accents, no separators, upper case."""
    text = strip_accents(unicodedata.normalize("NFKC", str(value)))
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()
