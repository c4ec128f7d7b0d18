"""``atelier record``: run notebooks live and keep every answer as a cassette for replay."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import settings
from toolkit.errors import ConfigError, InputError

__all__ = ["RecordResult", "record_notebooks"]


@dataclass
class RecordResult:
    notebook: Path
    cassettes: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __str__(self) -> str:
        if self.error:
            return f"✘ {self.notebook} : {self.error}"
        return f"✔ {self.notebook} : {self.cassettes} réponse(s) enregistrée(s)"


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


def record_notebooks(paths: list[Path], timeout: int = 600) -> list[RecordResult]:
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
        with _env(
            ATELIER_MODE="record",
            ATELIER_CASSETTE=name,
            ATELIER_CASSETTES=str(s.cassette_dir.resolve()),
        ):
            client = nbclient.NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent.resolve())}},
            )
            try:
                client.execute()
                error = None
            except nbclient.exceptions.CellExecutionError as exc:
                error = f"une cellule a échoué ({exc.ename}: {exc.evalue})"
        results.append(RecordResult(path, _count(folder) - before, error))
    return results
