"""``atelier record``: run notebooks live and keep every answer as a cassette for replay.

The confidentiality policy applies before anything is sent or recorded: under ``mask`` the
cassettes hold placeholders, never the data; unmasked personal data is refused unless
``--allow-personal-data``.  What was masked or refused is reported per notebook and cell.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.config import settings
from toolkit.errors import ConfigError, InputError
from toolkit.fr import pluriel

__all__ = ["RecordResult", "record_notebooks"]


ACTIONS = {
    "masked": "masqué avant l'envoi et l'enregistrement",
    "refused": "refusé, rien n'a été envoyé ni enregistré",
    "warned": "enregistré tel quel (--allow-personal-data)",
    "blocked": "bloqué par ATELIER_PRIVACY=block",
}


@dataclass
class CellPrivacy:
    """What the policy did with one call made by one cell."""

    cell: int  # 1-based, as a trainer counts cells in JupyterLab
    action: str
    message: str

    def __str__(self) -> str:
        return f"cellule {self.cell} : {ACTIONS.get(self.action, self.action)} — {self.message}"


@dataclass
class RecordResult:
    notebook: Path
    cassettes: int
    error: str | None = None
    privacy: list[CellPrivacy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def privacy_lines(self) -> list[str]:
        return [str(p) for p in self.privacy]

    def __str__(self) -> str:
        if self.error:
            return f"✘ {self.notebook} : {self.error}"
        saved = pluriel(self.cassettes, "réponse enregistrée", aucun="aucune réponse enregistrée")
        return f"✔ {self.notebook} : {saved}"


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _count(folder: Path) -> int:
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


class _PrivacyLog:
    """Reads, after each cell, the lines the kernel appended to ATELIER_RECORD_LOG."""

    def __init__(self, path: Path):
        self.path = path
        self._offset = 0
        self.entries: list[CellPrivacy] = []
        self.current = 0  # index of the cell being run

    def before_cell(self, cell, cell_index: int, **_) -> None:
        self.current = cell_index

    def after_cell(self, cell, cell_index: int, **_) -> None:
        self.collect(cell_index)

    def collect(self, cell_index: int) -> None:
        try:
            with open(self.path, encoding="utf-8") as f:
                f.seek(self._offset)
                lines = f.readlines()
                self._offset = f.tell()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            self.entries.append(
                CellPrivacy(cell_index + 1, entry.get("action", "?"), entry.get("message", ""))
            )


def record_notebooks(
    paths: list[Path], timeout: int = 600, allow_personal_data: bool = False
) -> list[RecordResult]:
    """Execute each notebook with ``ATELIER_MODE=record``; outputs are not saved."""
    import nbclient
    import nbformat

    s = settings()
    if not (s.api_key or s.base_url or s.azure_endpoint):
        raise ConfigError(
            "Pour enregistrer des réponses, il faut un accès à un vrai modèle : aucune clé ni "
            "adresse n'est configurée.",
            "Renseignez OPENAI_API_KEY et/ou OPENAI_BASE_URL dans .env, puis relancez.",
        )
    results = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"Notebook introuvable : {path}.", "Vérifiez le chemin.")
        name = path.stem
        folder = s.cassette_dir / name
        before = _count(folder)
        nb = nbformat.read(path, as_version=4)
        fd, log_name = tempfile.mkstemp(prefix="atelier-record-", suffix=".jsonl")
        os.close(fd)
        log = _PrivacyLog(Path(log_name))
        try:
            with _env(
                ATELIER_MODE="record",
                ATELIER_CASSETTE=name,
                ATELIER_CASSETTES=str(s.cassette_dir.resolve()),
                ATELIER_RECORD_LOG=log_name,
                ATELIER_RECORD_PERSONAL_DATA="1" if allow_personal_data else "0",
            ):
                client = nbclient.NotebookClient(
                    nb,
                    timeout=timeout,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(path.parent.resolve())}},
                    on_cell_execute=log.before_cell,
                    on_cell_executed=log.after_cell,
                )
                try:
                    client.execute()
                    error = None
                except nbclient.exceptions.CellExecutionError as exc:
                    log.collect(log.current)
                    error = (
                        f"la cellule {log.current + 1} a échoué "
                        f"({exc.ename} : {_first_line(exc.evalue)})"
                    )
        finally:
            Path(log_name).unlink(missing_ok=True)
        results.append(RecordResult(path, _count(folder) - before, error, log.entries))
    return results


def _first_line(text: str) -> str:
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", text or "")  # colour codes of _render_traceback_
    return plain.strip().splitlines()[0] if plain.strip() else ""
