"""Presidio's own recognizer test cases (IBAN, cards, e-mail, IP) against toolkit.privacy.

The cases are data extracted from microsoft/presidio (presidio-analyzer/tests, MIT licence,
Copyright (c) Presidio Contributors) into presidio/cases.json by presidio/extract_cases.py.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))

from privacy_presidio import evaluate, load_cases  # noqa: E402

DATA = json.loads((HERE / "presidio" / "cases.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]


def test_fixture_cites_its_source_and_licence():
    assert "microsoft/presidio" in DATA["source"]
    assert DATA["licence"].startswith("MIT")
    assert len(DATA["commit"]) == 40
    counts = Counter(case["kind"] for case in CASES)
    assert counts["IBAN"] > 300 and counts["IP"] > 100 and counts["CARD"] >= 19
    assert counts["EMAIL"] >= 8


@pytest.fixture(scope="module")
def results():
    return evaluate(load_cases())


@pytest.mark.parametrize("kind", ["IBAN", "CARD", "EMAIL", "IP"])
def test_recall_per_kind_is_at_least_097(results, kind):
    expected, recalled, _negatives, _false_alarms, errors = results
    assert recalled[kind] / expected[kind] >= 0.97, [e for e in errors if e[1] == kind]


def test_cases_expecting_nothing_find_nothing(results):
    _expected, _recalled, negatives, false_alarms, errors = results
    assert sum(negatives.values()) > 200
    assert sum(false_alarms.values()) == 0, [e for e in errors if e[0] == "FP"]


@pytest.mark.parametrize(
    ("kind", "text", "span"),
    [
        ("CARD", "my credit card: 122000000000003", (16, 31)),  # UATP
        ("CARD", "5019717010103742", (0, 16)),  # Dankort
        ("EMAIL", "user@xn--80ak6aa92e.com", (0, 23)),  # punycode domain
        ("EMAIL", "a@xn--d1acufc.xn--p1ai", (0, 22)),  # punycode top-level domain
        ("IP", "2001:db8:85a3::8a2e:192.168.0.1", (0, 31)),  # embedded IPv4, found whole
        ("IP", "::ffff:10.0.0.1", (0, 15)),
        ("IP", "fe80::1%eth0/64", (0, 15)),
        ("IP", "192.168.1.0/24", (0, 14)),
        ("IP", "10.0.0.0/123", (0, 8)),  # invalid prefix: the address alone
        ("IBAN", "Dash as iban separator: AL47-2121-1009-0000-0002-3569-8741", (24, 58)),
        ("IBAN", "BE68539007547034", (0, 16)),  # ISO 13616 example: mod 97 decides
    ],
)
def test_classes_missing_before_issue_17(kind, text, span):
    from toolkit.privacy import scan

    assert [f.span for f in scan(text, kinds={kind}, ner=False)] == [span]


def test_a_uatp_shaped_number_with_a_wrong_nir_key_is_not_reported_in_a_full_scan():
    """15 digits opening with 1 are both a UATP card and a man's NIR: when the NIR key is
    wrong the number stays unreported rather than called a card (no wrong checksum shown)."""
    from stdnum.fr import nir

    from toolkit.privacy import scan

    assert not nir.is_valid("122000000000003")
    assert scan("Numéro : 122000000000003", ner=False) == []
