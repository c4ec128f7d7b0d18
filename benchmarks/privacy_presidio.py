"""Recall of toolkit.privacy on Presidio's own recognizer test cases (IBAN, cards, e-mail, IP).

Run: .venv/bin/python benchmarks/privacy_presidio.py [--errors]

The cases are tests/privacy/presidio/cases.json, extracted from microsoft/presidio's
presidio-analyzer/tests (MIT licence) by tests/privacy/presidio/extract_cases.py. A case
expecting N findings with given spans is recalled when each span is found exactly (same kind);
cases without spans count the number of findings. Cases expecting none count false alarms.
Target (issue 17): recall >= 0.97 per kind.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.privacy import scan  # noqa: E402

CASES = ROOT / "tests" / "privacy" / "presidio" / "cases.json"
TARGET = 0.97


def load_cases() -> list[dict]:
    return json.loads(CASES.read_text(encoding="utf-8"))["cases"]


def evaluate(cases: list[dict]):
    """Per kind: expected, recalled, false alarms on negative cases; and the misses."""
    expected, recalled, negatives, false_alarms = Counter(), Counter(), Counter(), Counter()
    errors = []
    for case in cases:
        kind = case["kind"]
        found = [(f.start, f.end) for f in scan(case["text"], kinds={kind}, ner=False)]
        if case["expected"] == 0:
            negatives[kind] += 1
            if found:
                false_alarms[kind] += 1
                errors.append(("FP", kind, case["text"], found))
            continue
        expected[kind] += case["expected"]
        if case["spans"]:
            hits = sum(1 for span in case["spans"] if tuple(span) in found)
        else:
            hits = min(len(found), case["expected"])
        recalled[kind] += hits
        if hits < case["expected"]:
            errors.append(("FN", kind, case["text"], found))
    return expected, recalled, negatives, false_alarms, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    expected, recalled, negatives, false_alarms, errors = evaluate(load_cases())
    print(
        f"{'type':<8}{'attendus':>9}{'trouvés':>9}{'rappel':>8}{'négatifs':>10}"
        f"{'fausses alertes':>17}"
    )
    for kind in sorted(expected):
        recall = recalled[kind] / expected[kind]
        verdict = "ok" if recall >= TARGET else "NON"
        print(
            f"{kind:<8}{expected[kind]:>9}{recalled[kind]:>9}{recall:>8.3f}{negatives[kind]:>10}"
            f"{false_alarms[kind]:>17}   cible ≥ {TARGET:.2f} : {verdict}"
        )
    total = sum(recalled.values()) / sum(expected.values())
    print(
        f"{'TOTAL':<8}{sum(expected.values()):>9}{sum(recalled.values()):>9}{total:>8.3f}"
        f"{sum(negatives.values()):>10}{sum(false_alarms.values()):>17}"
    )
    if args.errors:
        for error in errors:
            print("  ", *error)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
