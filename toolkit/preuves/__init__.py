"""Proof of training: attendance sheets, attestations, AI-literacy register, Qualiopi evidence.

Importing this package is cheap: the names below load their module on first use.
"""

from __future__ import annotations

import importlib

__all__ = [
    "Person",
    "hub_roster",
    "load_survey",
    "read_roster",
    "write_attestations",
    "write_emargement",
    "write_qualiopi",
    "write_registre",
]

_LAZY = {
    "Person": "toolkit.preuves.roster",
    "hub_roster": "toolkit.preuves.roster",
    "read_roster": "toolkit.preuves.roster",
    "load_survey": "toolkit.preuves.evaluation",
    "write_attestations": "toolkit.preuves.documents",
    "write_emargement": "toolkit.preuves.documents",
    "write_qualiopi": "toolkit.preuves.documents",
    "write_registre": "toolkit.preuves.documents",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'toolkit.preuves' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
