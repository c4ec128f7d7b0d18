"""Reading a YAML file the course ships or a trainer edits, with French errors naming the file."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import AtelierError

__all__ = ["load_mapping"]


def load_mapping(path: Path, error: type[AtelierError], *, shown: str, fix: str,
                 not_mapping: str, allow_empty: bool = False) -> dict:
    """The mapping in the YAML file *path*, or *error* naming it as *shown*.

    *fix* is the advice for a syntax error, *not_mapping* ends the message for a file that
    holds something else than ``key: value`` lines; an empty file is ``{}`` with *allow_empty*.

    >>> import tempfile
    >>> from toolkit.errors import InputError
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "quiz.yml"
    ...     _ = path.write_text("- une liste", encoding="utf-8")
    ...     load_mapping(path, InputError, shown="quiz.yml", fix="Corrigez la ligne indiquée.",
    ...                  not_mapping="doit contenir un dictionnaire YAML.")
    Traceback (most recent call last):
    toolkit.errors.InputError: quiz.yml doit contenir un dictionnaire YAML.
    → Que faire : Partez du fichier livré avec le cours.
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise error(f"{shown} n'est pas un YAML valide\u00a0: {exc}.", fix) from exc
    if allow_empty and not data:
        return {}
    if not isinstance(data, dict):
        raise error(f"{shown} {not_mapping}", "Partez du fichier livré avec le cours.")
    return data
