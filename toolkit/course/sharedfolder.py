"""Anonymous records in a shared folder (round table, top-3 tasks), safe with many writers.

Each record is one small JSON file written atomically: the text goes to a hidden temporary
file in the same folder, is flushed to disk, then renamed with :func:`os.replace` (atomic on
POSIX and Windows within one volume).  Readers ignore hidden files, so they never see a
half-written record, and two participants saving at the same instant never overwrite each
other (each file has a random name).  No name, login or machine name is ever stored.

The folder comes from ``folder=`` or the ``ATELIER_SHARED_DIR`` setting (a network drive, a
JupyterHub shared volume...), by default ``~/atelier-partage``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError, InputError
from toolkit.fr import pluriel

__all__ = [
    "DEFAULT_SHARED_DIR",
    "ENV_VAR",
    "ReadReport",
    "append_record",
    "collection_dir",
    "read_records",
    "shared_dir",
]

ENV_VAR = "ATELIER_SHARED_DIR"
DEFAULT_SHARED_DIR = "~/atelier-partage"
_COLLECTION_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SUFFIX = ".json"


def _configured_dir() -> str | None:
    """The shared folder setting (environment, or the course's ``.env`` file)."""
    from toolkit.config import settings

    value = settings().shared_dir
    return str(value) if value else None


def shared_dir(folder: str | os.PathLike | None = None, *, create: bool = True) -> Path:
    """The shared folder: *folder*, else ``ATELIER_SHARED_DIR``, else ``~/atelier-partage``."""
    raw = str(folder) if folder is not None else (_configured_dir() or DEFAULT_SHARED_DIR)
    path = Path(os.path.expandvars(raw)).expanduser()
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Le dossier partagé « {path} » ne peut pas être créé ({exc.strerror}).",
                f"Vérifiez le chemin et les droits, ou choisissez un autre dossier avec la "
                f"variable {ENV_VAR} (fichier .env).",
            ) from exc
    elif not path.is_dir():
        raise ConfigError(
            f"Le dossier partagé « {path} » n'existe pas.",
            f"Créez-le ou indiquez le bon chemin dans la variable {ENV_VAR}.",
        )
    return path


def collection_dir(
    collection: str, folder: str | os.PathLike | None = None, *, create: bool = True
) -> Path:
    """The sub-folder holding one collection of records (``tour-de-table``, ``top3``...)."""
    if not _COLLECTION_RE.match(collection):
        raise InputError(
            f"Nom de collection « {collection} » invalide.",
            "Utilisez des minuscules, chiffres, tirets ou soulignés (ex. « tour-de-table »).",
        )
    path = shared_dir(folder, create=create) / collection
    if create:
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Le dossier « {path} » ne peut pas être créé ({exc.strerror}).",
                "Vérifiez les droits d'écriture sur le dossier partagé.",
            ) from exc
    return path


def append_record(
    collection: str, record: dict[str, Any], folder: str | os.PathLike | None = None
) -> Path:
    """Write *record* as a new anonymous file of *collection*; returns the file's path.

    The record must be JSON-serialisable (strings, numbers, lists...).  The date of the day
    (not the time) is added as ``date`` unless present.
    """
    if not isinstance(record, dict):
        raise InputError(
            "L'enregistrement doit être un dictionnaire (champ → valeur).",
            "Passez par exemple {'tache': '...', 'service': '...'}.",
        )
    data = {"date": date.today().isoformat(), **record}
    try:
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"L'enregistrement contient une valeur impossible à enregistrer ({exc}).",
            "Utilisez seulement du texte, des nombres et des listes.",
        ) from exc
    target_dir = collection_dir(collection, folder)
    name = f"{uuid.uuid4().hex}{_SUFFIX}"
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=target_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        final = target_dir / name
        os.replace(tmp, final)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ConfigError(
            f"Impossible d'écrire dans le dossier partagé « {target_dir} » ({exc.strerror}).",
            "Vérifiez les droits d'écriture et l'espace disque, puis réessayez.",
        ) from exc
    return final


@dataclass
class ReadReport:
    """What :func:`read_records` found: the records and the files it had to skip."""

    folder: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        read = pluriel(len(self.records), "réponse lue", aucun="aucune réponse lue")
        text = f"{read} dans {self.folder}"
        if self.skipped:
            text += f" ; {pluriel(len(self.skipped), 'fichier illisible ignoré')}"
        return text + "."


def read_records(
    collection: str,
    folder: str | os.PathLike | None = None,
    *,
    sample: Path | None = None,
    report: bool = False,
):
    """All records of *collection* as a DataFrame (one row per record, column ``source``).

    Hidden and temporary files are ignored; unreadable files are skipped (listed in the
    :class:`ReadReport` when ``report=True``).  When *sample* (a CSV file) is given, its rows
    are added with ``source="exemple"`` so that a demo works with an empty folder.
    """
    import pandas as pd

    path = collection_dir(collection, folder)
    found = ReadReport(folder=path)
    for file in sorted(path.glob(f"*{_SUFFIX}")):
        if file.name.startswith("."):
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            found.skipped.append(file.name)
            continue
        if isinstance(data, dict):
            data["source"] = "participant"
            found.records.append(data)
        else:
            found.skipped.append(file.name)
    frame = pd.DataFrame(found.records)
    if sample is not None:
        extra = pd.read_csv(sample, sep=None, engine="python", encoding="utf-8")
        extra["source"] = "exemple"
        frame = pd.concat([extra, frame], ignore_index=True)
    if "source" not in frame.columns:
        frame["source"] = pd.Series(dtype="object")
    return (frame, found) if report else frame
