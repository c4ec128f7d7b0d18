"""The public API of toolkit.privacy is its explicit __all__."""

from __future__ import annotations

import toolkit.privacy as privacy


def test_public_names():
    assert set(privacy.__all__) == {
        "ALL_KINDS",
        "KIND_LABELS",
        "Finding",
        "Findings",
        "GuardResult",
        "Masked",
        "Terms",
        "guard",
        "is_local_endpoint",
        "load_model",
        "load_terms",
        "mask",
        "scan",
        "unmask",
    }
    for name in privacy.__all__:
        assert getattr(privacy, name) is not None


def test_every_kind_has_a_french_label_and_placeholder():
    from toolkit.privacy.findings import KIND_PLACEHOLDERS

    assert set(privacy.KIND_LABELS) == set(KIND_PLACEHOLDERS) == set(privacy.ALL_KINDS)
