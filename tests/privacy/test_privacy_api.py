"""The public API of toolkit.privacy is its explicit __all__: every name the project's own code,
notebooks and documents import from the package is in it, and every name in it resolves."""

from __future__ import annotations

import re
from pathlib import Path

import toolkit.privacy as privacy

ROOT = Path(__file__).resolve().parents[2]
_IMPORT_RE = re.compile(r"from toolkit\.privacy import ([\w ,]+)")
_SUBMODULES = {"cli", "core", "findings", "names", "policy", "recognizers", "terms"}


def _imported_names() -> dict[str, str]:
    """{name: first file} for each name imported from toolkit.privacy in the repository."""
    names: dict[str, str] = {}
    for folder in ("toolkit", "tests", "benchmarks", "notebooks", "exercises", "slides", "tools"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".ipynb", ".md"} or not path.is_file():
                continue
            for m in _IMPORT_RE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                for name in m.group(1).split(","):
                    name = name.strip()
                    if name and name not in _SUBMODULES:
                        names.setdefault(name, str(path.relative_to(ROOT)))
    return names


def test_every_name_the_project_imports_is_public():
    imported = _imported_names()
    assert {"scan", "mask", "unmask", "guard"} <= set(imported)  # the scan itself works
    missing = {name: where for name, where in imported.items() if name not in privacy.__all__}
    assert missing == {}


def test_every_public_name_resolves_and_is_listed_once():
    assert len(privacy.__all__) == len(set(privacy.__all__))
    assert set(privacy.__all__) <= set(dir(privacy))
    for name in privacy.__all__:
        assert getattr(privacy, name) is not None, name


def test_every_kind_has_a_french_label_and_placeholder():
    from toolkit.privacy.findings import KIND_PLACEHOLDERS

    assert set(privacy.KIND_LABELS) == set(KIND_PLACEHOLDERS) == set(privacy.ALL_KINDS)
