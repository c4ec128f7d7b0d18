"""Proof of training: attendance sheets, attestations, AI-literacy register, Qualiopi evidence.

Importing this package is cheap: the names below load their module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.preuves.documents import write_attestations as write_attestations
    from toolkit.preuves.documents import write_emargement as write_emargement
    from toolkit.preuves.documents import write_qualiopi as write_qualiopi
    from toolkit.preuves.documents import write_registre as write_registre
    from toolkit.preuves.evaluation import load_survey as load_survey
    from toolkit.preuves.roster import Person as Person
    from toolkit.preuves.roster import hub_roster as hub_roster
    from toolkit.preuves.roster import read_roster as read_roster

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.preuves.roster": ("Person", "hub_roster", "read_roster"),
    "toolkit.preuves.evaluation": ("load_survey",),
    "toolkit.preuves.documents": (
        "write_attestations", "write_emargement", "write_qualiopi", "write_registre",
    ),
})
