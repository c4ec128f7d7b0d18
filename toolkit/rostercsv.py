"""One reader for the participant lists trainers export from a spreadsheet (hub accounts, proofs).

Whatever wrote the file: UTF-8 (with or without BOM) or Windows-1252, ``;`` or ``,`` between
cells, headers in French or English compared without accents, case, spaces or dashes.  The
callers keep their own checks and French messages; this module only finds the cells.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RosterTable", "header_key", "read_table"]


def header_key(text: str) -> str:
    """*text* as compared with the accepted header names: ASCII lower-case letters only.

    >>> header_key("Prénom-Nom ")
    'prenomnom'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


@dataclass(frozen=True)
class RosterTable:
    """The header, which column holds each known field, and the data rows with their line."""

    header: list[str]
    columns: dict[str, int]
    #: ``(line number, cells)``; line 1 is the header, blank lines are not counted.
    rows: list[tuple[int, list[str]]]

    def shown_header(self) -> str:
        """The header's titles as a message quotes them: ``'Nom', 'Service'``."""
        return ", ".join(repr(title) for title in self.header)

    def cell(self, row: Sequence[str], field: str) -> str:
        """The stripped text of *field* in *row*; empty when the column or the cell is missing."""
        index = self.columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""


def read_table(path: Path, headers: Mapping[str, Sequence[str]]) -> RosterTable | None:
    """Read *path* (an existing file); ``None`` when it holds no non-blank line.

    *headers* maps each field to its accepted header names (already in :func:`header_key`
    form); the first column matching a field is the field's.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "liste.csv"
    ...     _ = path.write_bytes("Nom;Prénom\\n\\nDurand;Léa\\n".encode("cp1252"))
    ...     table = read_table(path, {"name": ("nom",), "first": ("prenom",)})
    >>> [(number, table.cell(row, "first")) for number, row in table.rows]
    [(2, 'Léa')]
    """
    lines = [line for line in _decode(path.read_bytes()).splitlines() if line.strip()]
    if not lines:
        return None
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = next(reader)
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = header_key(title)
        for field, names in headers.items():
            if key in names and field not in columns:
                columns[field] = index
    return RosterTable(header, columns, list(enumerate(reader, start=2)))
