"""Confidentiality guard: find and mask personal and confidential data before a prompt
leaves the machine (``scan``, ``mask``, ``unmask``, ``guard``).

Importing this package is cheap: the French NER model (Presidio + spaCy) loads on the first
scan that needs it, once per process.

>>> from toolkit.privacy import mask, unmask
>>> masked = mask("Rappeler Mme Dubois au 079 123 45 67.", ner=False)
>>> masked.text
'Rappeler Mme [PERSONNE_1] au [TELEPHONE_1].'
>>> unmask("C'est fait : [PERSONNE_1] a été rappelée.", masked.mapping)
"C'est fait : Dubois a été rappelée."
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.privacy.core import ALL_KINDS as ALL_KINDS
    from toolkit.privacy.core import mask as mask
    from toolkit.privacy.core import scan as scan
    from toolkit.privacy.core import unmask as unmask
    from toolkit.privacy.findings import KIND_LABELS as KIND_LABELS
    from toolkit.privacy.findings import Finding as Finding
    from toolkit.privacy.findings import Findings as Findings
    from toolkit.privacy.findings import Masked as Masked
    from toolkit.privacy.policy import GuardResult as GuardResult
    from toolkit.privacy.policy import guard as guard
    from toolkit.privacy.policy import is_local_endpoint as is_local_endpoint
    from toolkit.privacy.terms import Terms as Terms
    from toolkit.privacy.terms import load_terms as load_terms

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.privacy.core": ("ALL_KINDS", "mask", "scan", "unmask"),
    "toolkit.privacy.findings": ("KIND_LABELS", "Finding", "Findings", "Masked"),
    "toolkit.privacy.policy": ("GuardResult", "guard", "is_local_endpoint"),
    "toolkit.privacy.terms": ("Terms", "load_terms"),
}, local=("load_model",))


def load_model() -> float:
    """Load the French NER model now (e.g. in a notebook's setup cell) instead of at the first
    scan; return the seconds the load took (0 if it was already loaded)."""
    from toolkit.privacy.names import load_model as _load_model
    from toolkit.privacy.names import model_loaded

    was_loaded = model_loaded()
    seconds = _load_model()
    return 0.0 if was_loaded else seconds
