"""Read survey exports (Microsoft Forms, Google Forms, LimeSurvey, plain CSV) into one table.

Every reader ends in :func:`load_export`, which returns a :class:`LoadedSurvey`: one row per
response, one column per instrument item (numbers; quiz items as 1 correct / 0 wrong), plus
``_row`` (the spreadsheet row, header = row 1) and ``_time``. Names and e-mails are dropped
here, before anything else sees them. A problem that concerns one row becomes a recorded
exclusion; a problem with the whole file (or a systematic one) raises a French InputError.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import InputError
from toolkit.fr import accord, pluriel
from toolkit.survey._format import french_spacing
from toolkit.survey._text import norm_text
from toolkit.survey.instrument import PHASE_FR, Instrument, Item, load_instrument

__all__ = ["EXCLUSION_COLUMNS", "LoadedSurvey", "likert_lookup", "load_export", "read_table"]

EXCLUSION_COLUMNS = ["file", "phase", "row", "column", "reason"]

#: Columns holding direct identifiers: removed at load, never stored.
PERSONAL_HEADERS = {
    "email",
    "e-mail",
    "email address",
    "adresse e-mail",
    "adresse email",
    "adresse de messagerie",
    "courriel",
    "adresse électronique",
    "name",
    "nom",
    "prénom",
    "prenom",
    "first name",
    "last name",
    "full name",
    "nom complet",
    "firstname",
    "lastname",
    "ipaddr",
    "adresse ip",
    "ip address",
    "token",
    "jeton",
    "responder",
    "répondant",
}
#: Columns with a completion time, in order of preference (used to keep the latest duplicate).
TIME_HEADERS = [
    "completion time",
    "heure de fin",
    "timestamp",
    "horodateur",
    "submitdate",
    "date submitted",
    "date de soumission",
    "datestamp",
    "date last action",
    "date de la dernière action",
    "last modified time",
    "heure de la dernière modification",
    "start time",
    "heure de début",
]
#: Export metadata: ignored silently-but-listed (they carry no answers).
META_HEADERS = {
    "id",
    "start time",
    "completion time",
    "last modified time",
    "heure de début",
    "heure de fin",
    "heure de la dernière modification",
    "total points",
    "quiz feedback",
    "points totaux",
    "commentaires du questionnaire",
    "timestamp",
    "horodateur",
    "score",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "refurl",
    "response id",
    "id de la réponse",
    "date submitted",
    "date de soumission",
    "last page",
    "dernière page",
    "start language",
    "langue de départ",
    "date started",
    "date de début",
    "date last action",
    "date de la dernière action",
    "referrer url",
    "url de provenance",
    "interviewtime",
    "temps total",
    "total time",
    "tête de série",
}
_META_PREFIXES = (
    "points - ",
    "feedback - ",
    "points – ",
    "commentaires - ",
    "grouptime",
    "time for",
)

_LS_BRACKET = re.compile(r"^(.*?)\s*\[(.+)\]\s*$")
_LS_CODETEXT = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(?:\[([^\]]+)\])?\s*[.:]\s+\S")
_NUM_PREFIX = re.compile(r"^(\d+)\s*[-–—:.)]\s*(\S.*)$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)")


@dataclass
class LoadedSurvey:
    """One export read and mapped to the instrument.

    ``data`` columns: ``_row``, ``_time``, ``CODE`` (normalised), then the item codes found.
    ``exclusions`` columns: file, phase, row, column, reason (rows removed from ``data``).
    """

    path: str
    phase: str
    kind: str
    data: Any
    exclusions: Any
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    personal_columns: list[str] = field(default_factory=list)
    missing_items: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_rows: int = 0
    #: Problems a trainer must see (terminal and report summary), each naming file/row/column.
    warnings: list[str] = field(default_factory=list)
    #: Items answered in this file although the instrument does not ask them in this phase:
    #: ``{code: (header, first row with an answer)}``; analyse() refuses swapped files with it.
    foreign_items: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: SHA-256 of the file's bytes, to refuse the same export given twice.
    digest: str = ""

    def __str__(self) -> str:
        lines = [
            f"{Path(self.path).name} ({self.kind}, {PHASE_FR[self.phase]}) : {self.n_rows} lignes "
            "lues, "
            f"{len(self.data)} gardées, {len(self.exclusions)} exclues ; "
            f"{len(self.columns)} colonnes reconnues."
        ]
        if self.personal_columns:
            lines.append(
                "Colonnes d'identification supprimées à la lecture : "
                + ", ".join(self.personal_columns)
            )
        lines += [f"ATTENTION : {w}" for w in self.warnings]
        lines += self.notes
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        return "<pre>" + escape(str(self)) + "</pre>"


# ---------------------------------------------------------------------------------------------
# Reading raw tables
# ---------------------------------------------------------------------------------------------
#: Characters a cp1252 decoding produces from bytes 0x80-0x9F that French text almost never
#: holds: seeing one means the bytes were probably written in another code page (Mac Roman
#: "é" is 0x8E, read as "Ž" by cp1252; "à" is 0x88, read as "ˆ").
_SUSPICIOUS_CP1252 = set("‚ƒ„†‡ˆ‰Š‹Ž˜š›žÕ")
#: UTF-8 text decoded once too often ("Ã©" for "é", "Â " for a non-breaking space).
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€")
_ENCODING_FIX = (
    "Ouvrez le fichier dans votre tableur en choisissant le bon encodage (souvent « Mac Roman » "
    "pour un fichier venant d'un Mac), vérifiez les accents des lignes citées, puis enregistrez-le "
    "en « CSV UTF-8 » et relancez."
)


def _line_numbers(text: str, predicate) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), start=1) if predicate(line)]


def _lines_label(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    more = f" et {pluriel(len(numbers) - 8, 'autre')}" if len(numbers) > 8 else ""
    return ("ligne " if len(numbers) == 1 else "lignes ") + shown + more


#: How much messier than charset-normalizer's best reading a cp1252 reading may be (its mess
#: ratio) before the file counts as doubtful; 0.2 is the ratio at which it gives up itself.
_CHAOS_MARGIN = 0.05
_CHAOS_MAX = 0.2


def _detector_guess(raw: bytes) -> tuple[str | None, bool]:
    """charset-normalizer's best guess, and whether it finds a cp1252 reading clearly worse.

    Typographic characters (’ « » … €) give cp1252 a small mess ratio that other code pages
    share, so only a reading clearly messier than the best one, or messy as such, is doubtful.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    cp1252 = next((m for m in matches if m.encoding == "cp1252"), None)
    if best is None or cp1252 is None:
        return (best.encoding if best else None), False
    worse = cp1252.chaos > best.chaos + _CHAOS_MARGIN or cp1252.chaos >= _CHAOS_MAX
    return best.encoding, worse


def _encoding_name(codec: str) -> str:
    """A trainer-readable name for charset-normalizer's codec guess."""
    if codec.startswith("mac"):
        return "Mac (Mac Roman)"
    if codec in ("cp437", "cp850", "cp858", "cp863"):
        return "DOS (" + codec + ")"
    return codec


def _decode(raw: bytes, path: Path, notes: list[str]) -> str:
    """Decode an export; refuse, naming the lines, when the encoding cannot be trusted.

    UTF-8 (with or without BOM) and UTF-16 are unambiguous. Anything else is read as cp1252
    (Excel's French default) only if charset-normalizer finds that reading clean and no line
    holds a character typical of another code page; a wrong guess would silently change
    letters in participant codes, and so the pairs.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append(f"{path.name} : encodage UTF-16 détecté.")
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise InputError(
            f"Le fichier {path.name} contient des octets nuls : ce n'est pas un CSV texte "
            "(fichier binaire ou encodage inconnu).",
            "Ouvrez-le dans votre tableur et enregistrez-le en « CSV UTF-8 (délimité par des "
            "virgules) », ou exportez à nouveau depuis l'outil d'enquête.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # One pass over the whole text first: the per-line scan runs only on a bad file.
        damaged = "\ufffd" in text or _MOJIBAKE.search(text) is not None
        bad = (
            _line_numbers(text, lambda line: "\ufffd" in line or _MOJIBAKE.search(line))
            if damaged
            else []
        )
        if bad:
            raise _error(
                f"Le fichier {path.name} a été mal converti (accents transformés en « Ã© », "
                f"« â€™ » ou « \ufffd ») : {_lines_label(bad)}. Les codes personnels de ces "
                "lignes ne correspondraient plus.",
                "Exportez à nouveau les réponses depuis l'outil d'enquête, sans les ouvrir et "
                "réenregistrer dans un autre encodage.",
            )
        return text
    guess, cp1252_worse = _detector_guess(raw)
    guessed = f" (encodage probable : {_encoding_name(guess)})" if guess else ""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"Le fichier {path.name} n'est ni en UTF-8 ni en Windows-1252 : octet illisible "
            f"ligne {line}{guessed}.",
            _ENCODING_FIX,
        ) from exc
    suspicious = _line_numbers(text, lambda line: any(ch in _SUSPICIOUS_CP1252 for ch in line))
    if suspicious or cp1252_worse:
        if not suspicious:
            suspicious = _line_numbers(text, lambda line: not line.isascii())
        lines = text.splitlines()
        signs = []
        for n in suspicious[:4]:
            odd = [ch for ch in lines[n - 1] if ch in _SUSPICIOUS_CP1252 or not ch.isascii()]
            signs.append(f"« {odd[0]} » ligne {n}" if odd else f"ligne {n}")
        raise InputError(
            french_spacing(
                f"Le fichier {path.name} n'est pas en UTF-8 et son encodage est douteux : lu en "
                "Windows-1252, des lettres deviennent des signes inattendus "
                f"({', '.join(signs)} ; en tout {_lines_label(suspicious)}). Des codes "
                "personnels seraient mal lus et des participants perdus à l'appariement."
            ),
            french_spacing(_ENCODING_FIX),
        )
    notes.append(f"{path.name} : lu en encodage Windows (cp1252), pas en UTF-8.")
    return text


def _sniff_sep(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts: dict[str, int] = {}
    for sep in (";", ",", "\t"):
        # Count separators outside double quotes only.
        inside = False
        n = 0
        for ch in first:
            if ch == '"':
                inside = not inside
            elif ch == sep and not inside:
                n += 1
        counts[sep] = n
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, notes: list[str]):
    import pandas as pd

    raw = path.read_bytes()
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(
            f"Le fichier {path.name} est vide.",
            "Exportez à nouveau les réponses depuis l'outil d'enquête (ce fichier ne contient "
            "rien).",
        )
    if raw.startswith(b"PK\x03\x04"):
        notes.append(f"{path.name} : c'est en fait un classeur Excel ; lu comme tel.")
        return _read_xlsx(path, notes, None)
    text = _decode(raw, path, notes)
    sep = _sniff_sep(text)
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            # Blank lines stay rows so row numbers match the file; load_export drops them.
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            f"Le fichier {path.name} n'a pas pu être découpé en colonnes (séparateur « {sep} ») : "
            f"{exc}.",
            "Vérifiez qu'il s'agit bien d'un export CSV (une ligne par réponse) et qu'aucune "
            "cellule ne contient un guillemet non fermé.",
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            f"Le fichier {path.name} ne contient aucune ligne lisible.",
            "Exportez à nouveau les réponses depuis l'outil d'enquête.",
        ) from exc
    return table


def _read_xlsx(
    path: Path, notes: list[str], sheet: str | None, instrument: Instrument | None = None
):
    import pandas as pd

    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputError(
            f"Le classeur {path.name} ne peut pas être ouvert ({type(exc).__name__} : {exc}).",
            "Vérifiez que le fichier n'est pas ouvert ailleurs ni abîmé ; téléchargez à nouveau "
            "l'export Excel depuis Microsoft Forms.",
        ) from exc
    if not sheets:
        raise InputError(
            f"Le classeur {path.name} ne contient aucune feuille.", "Exportez à nouveau."
        )
    if sheet is not None:
        if sheet not in sheets:
            raise InputError(
                f"Le classeur {path.name} n'a pas de feuille « {sheet} » "
                f"(feuilles : {', '.join(sheets)}).",
                "Indiquez un des noms de feuille ci-dessus.",
            )
        return sheets[sheet].fillna("")
    if len(sheets) == 1:
        return next(iter(sheets.values())).fillna("")
    instrument = instrument or load_instrument()
    scores = {
        name: sum(1 for h in df.columns if _match_header(str(h), instrument, {})[0])
        for name, df in sheets.items()
    }
    best = max(scores.values())
    winners = [n for n, s in scores.items() if s == best]
    if best == 0 or len(winners) > 1:
        raise InputError(
            f"Le classeur {path.name} contient plusieurs feuilles ({', '.join(sheets)}) et "
            "aucune ne se distingue comme la feuille des réponses.",
            "Gardez une seule feuille dans le fichier, ou indiquez la feuille à lire "
            '(option --sheet NOM ou sheet="NOM").',
        )
    notes.append(
        f"{path.name} : plusieurs feuilles ({', '.join(sheets)}) ; « {winners[0]} » lue "
        f"({best} questions reconnues), les autres ignorées."
    )
    return sheets[winners[0]].fillna("")


def read_table(
    path: str | Path,
    notes: list[str] | None = None,
    sheet: str | None = None,
    instrument: Instrument | None = None,
):
    """Read a CSV or XLSX export as strings, with the checks described in the module docstring."""
    path = Path(path)
    notes = [] if notes is None else notes
    if not path.exists():
        raise InputError(
            f"Fichier introuvable : {path}.",
            "Vérifiez le chemin (glissez-déposez le fichier dans le terminal pour l'obtenir).",
        )
    if path.is_dir():
        raise InputError(f"{path} est un dossier, pas un fichier d'export.", "Indiquez le fichier.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if path.stat().st_size == 0:
            raise InputError(
                f"Le fichier {path.name} est vide.", "Exportez à nouveau les réponses."
            )
        table = _read_xlsx(path, notes, sheet, instrument)
    elif suffix == ".xls":
        raise InputError(
            f"{path.name} est au vieux format Excel .xls, non pris en charge.",
            "Ouvrez-le dans votre tableur et enregistrez-le en .xlsx ou en CSV UTF-8.",
        )
    else:
        table = _read_csv(path, notes)
    table.columns = [str(c) for c in table.columns]
    return table


# ---------------------------------------------------------------------------------------------
# Header matching
# ---------------------------------------------------------------------------------------------
def _text_index(instrument: Instrument) -> dict[str, str]:
    index: dict[str, str] = {}
    for it in instrument.items:
        for lang in ("fr", "en"):
            index[norm_text(it.text[lang])] = it.code
    return index


_INDEX_CACHE: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _indexes(instrument: Instrument) -> tuple[dict[str, str], dict[str, str]]:
    key = id(instrument)
    if key not in _INDEX_CACHE:
        _INDEX_CACHE[key] = (
            {it.code.upper(): it.code for it in instrument.items},
            _text_index(instrument),
        )
    return _INDEX_CACHE[key]


def _lookup(label: str, codes: dict[str, str], texts: dict[str, str]) -> str | None:
    raw = label.strip()
    if raw.upper() in codes:
        return codes[raw.upper()]
    key = norm_text(raw)
    if key in texts:
        return texts[key]
    # LimeSurvey abbreviated headings ("Votre code pers..."): unique prefix of a question text.
    stripped = key.rstrip(".…").rstrip()
    if stripped != key and len(stripped) >= 10:
        hits = {code for text, code in texts.items() if text.startswith(stripped)}
        if len(hits) == 1:
            return hits.pop()
    return None


def _match_header(
    header: str, instrument: Instrument, column_map: dict[str, str]
) -> tuple[str | None, str]:
    """Return (item code or None, how it matched)."""
    codes, texts = _indexes(instrument)
    if header in column_map:
        return column_map[header], "correspondance donnée"
    if norm_text(header) in {norm_text(k) for k in column_map}:
        for k, v in column_map.items():
            if norm_text(k) == norm_text(header):
                return v, "correspondance donnée"
    base = header.strip()
    code = _lookup(base, codes, texts)
    if code:
        return code, "exact"
    # pandas renames duplicate headers "Q", "Q.1"; Forms suffixes duplicate titles "Q2", "Q3".
    for pattern in (r"\.\d+$", r"\s*\d$"):
        trimmed = re.sub(pattern, "", base)
        if trimmed != base:
            code = _lookup(trimmed, codes, texts)
            if code:
                return code, "titre en double"
    m = _LS_BRACKET.match(base)
    if m:
        outer, inner = m.group(1), m.group(2)
        for candidate in (inner, f"{outer}{inner}", f"{outer}_{inner}"):
            code = _lookup(candidate, codes, texts)
            if code:
                return code, "LimeSurvey"
    m = _LS_CODETEXT.match(base)
    if m:
        for candidate in (m.group(2) or "", m.group(1)):
            if candidate:
                code = _lookup(candidate, codes, texts)
                if code:
                    return code, "LimeSurvey"
    return None, ""


#: LimeSurvey "code & text" headings: ``ipaddr. Adresse IP``, ``submitdate. Date de soumission``.
_LS_CODE_DOT_TEXT = re.compile(r"^([a-z][a-z0-9_]*)\.\s+(\S.*)$")


def _header_keys(header: str) -> list[str]:
    """Normalised names a heading may go by: itself, and both halves of a "code. text" one."""
    key = norm_text(header)
    keys = [key]
    m = _LS_CODE_DOT_TEXT.match(key)
    if m:
        keys += [m.group(1), m.group(2)]
    keys += [re.sub(r"(\.\d+|\s*\d)$", "", k) for k in keys]
    return keys


def _classify_other(header: str) -> str:
    keys = _header_keys(header)
    if any(k in PERSONAL_HEADERS for k in keys):
        return "personal"
    key = keys[0]
    if any(k in META_HEADERS for k in keys) or key.startswith(_META_PREFIXES) or key == "":
        return "meta"
    if key.startswith("unnamed:"):
        return "meta"
    return "unknown"


def _detect_kind(headers: list[str], suffix: str) -> str:
    keys = {k for h in headers for k in _header_keys(h)}
    if keys & {"completion time", "heure de fin"}:
        return "Microsoft Forms"
    if keys & {"timestamp", "horodateur"}:
        return "Google Forms"
    if keys & {
        "submitdate",
        "lastpage",
        "id de la réponse",
        "date de soumission",
        "startlanguage",
        "date submitted",
        "dernière page",
    }:
        return "LimeSurvey"
    return "Excel" if suffix in (".xlsx", ".xlsm") else "CSV"


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------
def likert_lookup(
    instrument: Instrument, scale_name: str, extra: dict[str, Any] | None = None
) -> dict[str, float | None]:
    """Normalised label -> value for one scale (labels, aliases, numbers, LimeSurvey codes).

    ``extra`` adds or overrides labels: either ``{label: value}`` for every scale or
    ``{scale_name: {label: value}}``. A value of ``None`` means "treat as missing".
    """
    scale = instrument.scales[scale_name]
    table: dict[str, float | None] = {}
    for value in range(scale.min, scale.max + 1):
        table[str(value)] = float(value)
        table[f"a{value}"] = float(value)
    for value, labels in scale.labels.items():
        for text in labels.values():
            table[norm_text(text)] = float(value)
    for text, value in scale.aliases.items():
        table[norm_text(text)] = float(value)
    for text in instrument.missing_labels:
        table[norm_text(text)] = None
    for key, value in (extra or {}).items():
        if isinstance(value, dict):
            if key == scale_name:
                for k, v in value.items():
                    table[norm_text(k)] = None if v is None else float(v)
        else:
            table[norm_text(key)] = None if value is None else float(value)
    return table


_UNKNOWN = object()


def _parse_scale_value(raw: str, table: dict[str, float | None]) -> object:
    key = norm_text(raw)
    if key in table:
        return table[key]
    if _NUMBER.match(key):
        return float(key.replace(",", "."))
    m = _NUM_PREFIX.match(key)
    if m:
        if norm_text(m.group(2)) in table and table[norm_text(m.group(2))] is not None:
            return table[norm_text(m.group(2))]
        return float(m.group(1))
    return _UNKNOWN


def _option_lookup(item: Item) -> dict[str, str]:
    table: dict[str, str] = {}
    for pos, opt in enumerate(item.options, start=1):
        value = str(opt["value"])
        for key in (value, opt.get("fr", ""), opt.get("en", ""), f"a{pos}", str(pos)):
            if key:
                table[norm_text(key)] = value
        # Quiz exports sometimes prefix the letter: "B) en prédisant…", "B. …".
        for lang in ("fr", "en"):
            if opt.get(lang):
                table[norm_text(f"{value}) {opt[lang]}")] = value
                table[norm_text(f"{value}. {opt[lang]}")] = value
                table[norm_text(f"{value} - {opt[lang]}")] = value
    return table


def _unknown_error(
    path: Path, header: str, item: Item, bad: dict[str, list[int]], scale: str | None
):
    first = next(iter(bad))
    rows = bad[first]
    others = sum(len(v) for v in bad.values()) - 1
    distinct = list(bad)[1:6]
    listing = (
        (" ; autres libellés inconnus : " + ", ".join(f"« {v} »" for v in distinct))
        if distinct
        else ""
    )
    more = f" (et {pluriel(others, 'autre cellule')}{listing})" if others else ""
    example = f"{scale} : {{« {first} » : 3}}" if scale else f"« {first} »"
    return InputError(
        f"Fichier {path.name}, ligne {rows[0]}, colonne « {header} » (question {item.code}) : "
        f"réponse « {first} » non reconnue{more}.",
        "Corrigez la cellule, ou ajoutez ce libellé au dictionnaire des réponses "
        f"(option --likert FICHIER.yml, par exemple {example}).",
    )


# ---------------------------------------------------------------------------------------------
# Main entry point
# ---------------------------------------------------------------------------------------------
def load_export(
    path: str | Path,
    phase: str = "pre",
    instrument: Instrument | None = None,
    *,
    likert: dict[str, Any] | None = None,
    column_map: dict[str, str] | None = None,
    sheet: str | None = None,
) -> LoadedSurvey:
    """Read one export and map its columns and answers to the instrument.

    Parameters
    ----------
    path: the export (.xlsx, .csv, .txt).
    phase: "pre", "post" or "followup": which items are expected.
    likert: extra answer labels (see :func:`likert_lookup`).
    column_map: explicit ``{header: item code}`` for headers that cannot be recognised.
    sheet: the sheet to read in a workbook with several sheets.
    """
    import numpy as np
    import pandas as pd

    if phase not in PHASE_FR:
        raise InputError(f"Phase « {phase} » inconnue.", "Utilisez pre, post ou followup.")
    instrument = instrument or load_instrument()
    path = Path(path)
    notes: list[str] = []
    table = read_table(path, notes, sheet, instrument)
    rows = pd.Series(np.arange(2, len(table) + 2), index=table.index)
    # Stripped once here and reused for every question below (the costly step at 10,000 rows).
    cells = pd.DataFrame({c: table[c].astype(str).str.strip() for c in table.columns})
    empty_cells = cells.eq("")
    # Spreadsheets leave rows of bare separators (";;;;") below the data: not participants.
    blank = empty_cells.all(axis=1)
    if blank.any():
        blank_rows = pluriel(int(blank.sum()), "ligne entièrement vide ignorée",
                             "lignes entièrement vides ignorées")
        notes.append(
            f"{path.name} : {blank_rows} "
            f"({_lines_label(rows[blank].tolist())})."
        )
        table, rows = table[~blank], rows[~blank]
        cells, empty_cells = cells[~blank], empty_cells[~blank]
    n_rows = len(table)
    if n_rows == 0:
        raise InputError(
            f"Le fichier {path.name} ne contient que la ligne d'en-tête : aucune réponse.",
            "Vérifiez que vous avez exporté le bon questionnaire, après la collecte des réponses.",
        )
    headers = list(table.columns)
    kind = _detect_kind(headers, path.suffix.lower())
    column_map = dict(column_map or {})
    for header, target in column_map.items():
        try:
            instrument.item(target)
        except KeyError as exc:
            raise InputError(
                f"Correspondance de colonnes : « {header} » pointe vers la question {target}, "
                "qui n'existe pas dans le questionnaire.",
                "Utilisez un code de `atelier survey instrument` (par exemple NIV, C1, TU1).",
            ) from exc

    expected = {it.code for it in instrument.items_for(phase)}
    matched: dict[str, str] = {}  # header -> code
    by_code: dict[str, str] = {}
    ignored: list[str] = []
    personal: list[str] = []
    unknown: list[str] = []
    for header in headers:
        code, _how = _match_header(header, instrument, column_map)
        if code is None:
            kind_other = _classify_other(header)
            if kind_other == "personal":
                personal.append(header.strip())
            elif kind_other == "meta":
                ignored.append(header.strip())
            else:
                unknown.append(header.strip())
            continue
        if code in by_code:
            notes.append(
                f"{path.name} : la colonne « {header.strip()} » correspond aussi à la question "
                f"{code} (déjà lue dans « {by_code[code]} ») ; elle est ignorée."
            )
            ignored.append(header.strip())
            continue
        matched[header] = code
        by_code[code] = header.strip()
    if unknown:
        notes.append(
            f"{path.name} : {pluriel(len(unknown), 'colonne')} sans question correspondante, "
            f"{accord(len(unknown), 'ignorée')} : "
            + ", ".join(f"« {u[:50]} »" for u in unknown[:8])
            + (" …" if len(unknown) > 8 else "")
        )
        ignored += unknown

    required = [it for it in instrument.items_for(phase) if it.required]
    missing_required = [it for it in required if it.code not in by_code]
    if missing_required:
        raise _missing_column_error(
            path, missing_required[0], headers, matched, unknown, instrument
        )
    missing_items = sorted(
        expected - set(by_code), key=lambda c: [i.code for i in instrument.items].index(c)
    )
    if missing_items:
        notes.append(
            f"{path.name} : questions absentes du fichier (laissées vides) : "
            f"{', '.join(missing_items)}."
        )

    # A record with no question answered (LimeSurvey writes one for an empty survey, and one
    # per visitor who opened the link and left) is not a participant either.
    answered = ~empty_cells[list(matched)].all(axis=1)
    if not answered.all():
        empty_rows = rows[~answered].tolist()
        if not answered.any():
            raise _error(
                f"Le fichier {path.name} ne contient aucune réponse : l'en-tête et "
                f"{pluriel(len(empty_rows), 'enregistrement')} sans aucune question remplie "
                f"({_lines_label(empty_rows)}), comme l'écrit l'outil d'enquête quand personne "
                "n'a encore répondu.",
                "Vérifiez que vous avez exporté la bonne enquête, après la collecte des réponses "
                "(dans LimeSurvey : réponses « complètes » et « incomplètes »).",
            )
        notes.append(
            f"{path.name} : {pluriel(len(empty_rows), 'enregistrement')} sans aucune réponse "
            f"{accord(len(empty_rows), 'ignoré')} "
            f"({_lines_label(empty_rows)})."
        )
        table, rows, cells = table[answered], rows[answered], cells[answered]
        n_rows = len(table)
    warnings: list[str] = []
    out = pd.DataFrame({"_row": rows})
    # Completion time, for "latest wins" on duplicates.
    time_col = None
    normalised_headers: dict[str, str] = {}
    for h in headers:
        for k in _header_keys(h):
            normalised_headers.setdefault(k, h)
    for name in TIME_HEADERS:
        if name in normalised_headers:
            time_col = normalised_headers[name]
            break
    out["_time"] = _parse_times(table[time_col]) if time_col else pd.NaT

    excl_rows: list[pd.DataFrame] = []

    def exclude(mask, column: str, reasons) -> None:
        """Record rows to drop; ``reasons`` is a text or a function of the masked raw cells."""
        if not mask.any():
            return
        text = reasons(mask) if callable(reasons) else reasons
        excl_rows.append(
            pd.DataFrame(
                {
                    "file": path.name,
                    "phase": phase,
                    "row": rows[mask].to_numpy(),
                    "column": column,
                    "reason": text.to_numpy() if hasattr(text, "to_numpy") else text,
                }
            )
        )

    for header, code in matched.items():
        item = instrument.item(code)
        raw = cells[header]
        empty = raw.eq("") | raw.str.lower().isin(["nan", "none"])
        if item.type == "code":
            values = (
                raw.str.normalize("NFKD")
                .str.encode("ascii", "ignore")
                .str.decode("ascii")
                .str.replace(r"[^0-9A-Za-z]", "", regex=True)
                .str.upper()
            )
            values = values.where(~empty, "")
            out[code] = values
            continue
        uniques = pd.unique(raw[~empty])
        if item.type == "scale":
            lookup = likert_lookup(instrument, instrument.scale_of(item).name, likert)
            mapping = {u: _parse_scale_value(u, lookup) for u in uniques}
        elif item.type == "quiz":
            lookup_opt = _option_lookup(item)
            mapping = {u: lookup_opt.get(norm_text(u), _UNKNOWN) for u in uniques}
        elif item.type == "choice":
            lookup_opt = _option_lookup(item)
            # Unknown departments are kept as written: a free-text "Autre" stays groupable.
            choice_map = {u: lookup_opt.get(norm_text(u), u) for u in uniques}
            out[code] = raw.map(choice_map).where(~empty, None)
            continue
        else:  # number
            mapping = {}
            for u in uniques:
                if norm_text(u) in {norm_text(t) for t in instrument.missing_labels}:
                    mapping[u] = None
                    continue
                m = _LEADING_NUMBER.match(u)
                mapping[u] = float(m.group(1).replace(",", ".")) if m else _UNKNOWN
        bad_values = [u for u, v in mapping.items() if v is _UNKNOWN]
        if bad_values and item.type in ("scale", "quiz"):
            bad = {u: rows[raw.eq(u)].tolist() for u in bad_values}
            raise _unknown_error(path, header.strip(), item, bad, item.scale)
        mapped = raw.map(
            {u: (np.nan if v is None or v is _UNKNOWN else v) for u, v in mapping.items()}
        )
        if item.type == "number" and bad_values:
            bad_mask = raw.isin(bad_values)
            exclude(
                bad_mask,
                header.strip(),
                lambda m, raw=raw, code=code: (
                    "question "
                    + code
                    + " : « "
                    + raw[m]
                    + " » n'est pas un nombre (attendu : minutes, ex. 30)"
                ),
            )
        if item.type == "quiz":
            values = (mapped == item.answer).astype(float).where(mapped.notna())
        else:
            values = pd.to_numeric(mapped, errors="coerce")
            lo = instrument.scale_of(item).min if item.type == "scale" else item.min
            hi = instrument.scale_of(item).max if item.type == "scale" else item.max
            if lo is not None and hi is not None:
                out_of_range = values.notna() & (
                    (values < lo)
                    | (values > hi)
                    | (values % 1 != 0 if item.type == "scale" else False)
                )
                if out_of_range.any():
                    warnings.append(
                        _out_of_range_warning(
                            path,
                            header.strip(),
                            code,
                            raw,
                            rows,
                            out_of_range,
                            lo,
                            hi,
                            int(values.notna().sum()),
                        )
                    )
                exclude(
                    out_of_range,
                    header.strip(),
                    lambda m, raw=raw, code=code, lo=lo, hi=hi: (
                        "question "
                        + code
                        + " : valeur « "
                        + raw[m]
                        + f" » hors de l'échelle {lo:g} à {hi:g}"
                    ),
                )
        out[code] = values
    for code in expected - set(by_code):
        item = instrument.item(code)
        out[code] = None if item.type == "choice" else np.nan
    foreign: dict[str, tuple[str, int]] = {}
    for header, code in matched.items():
        if code in expected:
            continue
        col = out[code]
        present = col.notna() & col.astype(str).str.strip().ne("")
        if present.any():
            foreign[code] = (header.strip(), int(rows[present].iloc[0]))

    # Required answers.
    for it in required:
        col = out[it.code]
        missing = col.eq("") | col.isna()
        label = (
            "code participant vide"
            if it.type == "code"
            else f"réponse manquante à la question obligatoire {it.code}"
        )
        exclude(missing, by_code[it.code], label)

    exclusions = (
        pd.concat(excl_rows, ignore_index=True)
        if excl_rows
        else pd.DataFrame(columns=EXCLUSION_COLUMNS)
    )
    # One exclusion per row (the first reason found), so counts match rows.
    exclusions = exclusions.drop_duplicates(subset=["row"], keep="first").sort_values("row")
    exclusions = exclusions.reset_index(drop=True)
    keep = ~out["_row"].isin(exclusions["row"])
    data = out[keep].reset_index(drop=True)
    return LoadedSurvey(
        path=str(path),
        phase=phase,
        kind=kind,
        data=data,
        exclusions=exclusions,
        columns={h.strip(): c for h, c in matched.items()},
        ignored_columns=ignored,
        personal_columns=personal,
        missing_items=missing_items,
        notes=notes,
        n_rows=n_rows,
        warnings=warnings,
        foreign_items=foreign,
        digest=_digest(path),
    )


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _error(message: str, fix: str) -> InputError:
    """An InputError with French spacing (no-break spaces before « : ; ? » and inside « »)."""
    return InputError(french_spacing(message), french_spacing(fix))


def short_label(header: str, width: int = 40) -> str:
    """A heading cut to ``width`` characters for tables and messages (full texts run to 200)."""
    text = " ".join(str(header).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _out_of_range_warning(path, header, code, raw, rows, mask, lo, hi, n_answers) -> str:
    """The loud warning for answers outside the scale; refuse when a whole column is off."""
    cells = [f"ligne {r} : « {v} »" for r, v in zip(rows[mask], raw[mask], strict=True)]
    listing = ", ".join(cells[:6]) + (f" et {pluriel(len(cells) - 6, 'autre')}"
                                       if len(cells) > 6 else "")
    where = f"Fichier {path.name}, colonne « {short_label(header)} » (question {code})"
    if mask.sum() * 2 > n_answers:
        raise _error(
            f"{where} : {int(mask.sum())} réponses sur {n_answers} sont hors de l'échelle "
            f"{lo:g} à {hi:g} ({listing}) : la question n'a pas été posée sur la même échelle.",
            f"Vérifiez dans l'outil d'enquête que la question {code} propose bien les valeurs "
            f"{lo:g} à {hi:g} (ou donnez les libellés avec --likert FICHIER.yml), puis exportez à "
            "nouveau.",
        )
    return french_spacing(
        f"{where} : {pluriel(int(mask.sum()), 'réponse')} hors de l'échelle {lo:g} à {hi:g} "
        f"({listing}) ; "
        "ces lignes sont écartées de l'analyse. Corrigez les cellules si c'est une erreur de "
        "saisie."
    )


def _missing_column_error(path, item, headers, matched, unknown, instrument) -> InputError:
    """The error for a required question not found; the advice depends on the likely cause."""
    found = ", ".join(f"« {short_label(h)} »" for h in headers[:8])
    found += " …" if len(headers) > 8 else ""
    what = (
        f"Fichier {path.name} : la colonne de la question {item.code} "
        f"(« {short_label(item.text['fr'], 70)} ») est introuvable. En-têtes lus : {found}."
    )
    garbled = [h for h in headers if "\ufffd" in h or _MOJIBAKE.search(h)]
    if garbled:
        return _error(
            what + f" Des en-têtes ont des accents abîmés (« {short_label(garbled[0])} ») : "
            "le fichier a été enregistré dans un autre encodage.",
            _ENCODING_FIX,
        )
    # Metadata and identifiers are classified already: when most of the remaining columns are
    # questions this instrument does not know, the file comes from another questionnaire.
    if len(unknown) > len(matched):
        share = (
            f"Aucune des {len(headers)} colonnes ne correspond"
            if not matched
            else f"Seules {len(matched)} colonnes sur {len(headers)} correspondent"
        )
        return _error(
            what + f" {share} à une question de ce questionnaire (version "
            f"{instrument.version}) : ce fichier vient sans doute d'une autre enquête.",
            "Vérifiez que vous avez exporté le questionnaire de l'Atelier IA (et la bonne "
            "session) ; si vous utilisez votre propre questionnaire, indiquez-le avec "
            "--instrument FICHIER.yml.",
        )
    return _error(
        what,
        f"Renommez la colonne en « {item.code} » ou avec l'intitulé exact de la question, "
        'ou donnez la correspondance (option --map "En-tête=CODE").',
    )


_TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)


def _parse_times(series):
    """Parse completion times; explicit formats first (fast), then pandas' guesser."""
    import pandas as pd

    text = series.astype(str).str.strip().replace({"": None, "nan": None, "NaT": None})
    present = int(text.notna().sum())
    if present == 0:
        return pd.Series(pd.NaT, index=series.index)
    best = pd.to_datetime(text, errors="coerce", format="ISO8601")
    if best.notna().sum() >= 0.9 * present:
        return best
    for fmt in _TIME_FORMATS:
        parsed = pd.to_datetime(text, errors="coerce", format=fmt)
        if parsed.notna().sum() > best.notna().sum():
            best = parsed
        if best.notna().sum() == present:
            return best
    if best.notna().sum() >= 0.9 * present:
        return best
    return pd.to_datetime(text, errors="coerce", dayfirst=True, format="mixed")
