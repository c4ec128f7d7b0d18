"""Participants' names for the gradebook, so the formgrader never shows "None, None".

Sources, first found wins for each participant id:

1. ``<course>/participants.csv`` written by the trainer (``;`` or ``,``; columns
   ``identifiant`` (or ``id``), ``prénom`` (or ``prenom``, ``first_name``), ``nom``
   (or ``last_name``));
2. the names read from the collected file names (``.atelier/roster.json``, kept by
   ``atelier grade collect``);
3. the id itself (``marie_dupont`` -> Marie / Dupont).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from toolkit.grading.course import Course, ascii_lower, normalise_student_id

ROSTER_FILE = "participants.csv"
COLLECTED = "roster.json"

_ID = ("identifiant", "id", "student_id", "participant")
_FIRST = ("prénom", "prenom", "first_name", "firstname")
_LAST = ("nom", "last_name", "lastname", "nom de famille")


def split_name(display: str) -> tuple[str, str]:
    """("Marie-Hélène", "Dupont") from "Marie-Hélène Dupont"; a single word is a last name."""
    words = [w for w in re.split(r"[\s_]+", display.strip()) if w]
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def _title(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _from_id(student: str) -> tuple[str, str]:
    first, last = split_name(student.replace("_", " "))
    return " ".join(_title(w) for w in first.split()), _title(last)


def _column(row: dict, names: tuple[str, ...]) -> str:
    for key, value in row.items():
        if key and ascii_lower(key.strip()) in {ascii_lower(n) for n in names}:
            return (value or "").strip()
    return ""


def _trainer_roster(course: Course) -> dict[str, tuple[str, str]]:
    path = course.root / ROSTER_FILE
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
    out = {}
    for row in csv.DictReader(text.splitlines(), dialect=dialect):
        first, last = _column(row, _FIRST), _column(row, _LAST)
        sid = _column(row, _ID) or normalise_student_id(f"{first} {last}")
        if sid:
            out[normalise_student_id(sid)] = (first, last)
    return out


def collected_path(course: Course) -> Path:
    return course.state_dir / COLLECTED


def remember(course: Course, names: dict[str, str]) -> None:
    """Keep the display names read by ``collect`` (id -> "Prénom Nom")."""
    path = collected_path(course)
    known = json.loads(path.read_text("utf-8")) if path.exists() else {}
    known.update({k: v for k, v in names.items() if v.strip()})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")


def names(course: Course, students: set[str]) -> dict[str, tuple[str, str]]:
    """(first name, last name) of each participant id."""
    trainer = _trainer_roster(course)
    path = collected_path(course)
    collected = json.loads(path.read_text("utf-8")) if path.exists() else {}
    out = {}
    for sid in students:
        if sid in trainer:
            out[sid] = trainer[sid]
        elif collected.get(sid):
            out[sid] = split_name(collected[sid])
        else:
            out[sid] = _from_id(sid)
    return out
