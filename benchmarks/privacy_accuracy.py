"""Precision and recall of toolkit.privacy.scan per kind on the labelled French corpus.

Targets (issue 17): person names recall and precision >= 0.95; structured identifiers recall
1.00 with no wrong checksum reported. The « nouveau » split is held out: written after the
fixes and never tuned on; so were « inedit » and then « inedit-2 », each written after the
fixes that the previous one revealed and measured once (tests/privacy/corpus/mesure-1-*.txt).

Run: .venv/bin/python benchmarks/privacy_accuracy.py [--errors]

A finding counts as correct when a labelled entity of the same kind overlaps it (the share of
exact boundaries is printed too). The corpus is tests/privacy/corpus/corpus.jsonl (built by
tests/privacy/make_corpus.py); terms come from the example file shipped with the toolkit.
Near misses (identifiers with a wrong checksum) reported as that identifier are counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.privacy.make_corpus import NEAR_MISS  # noqa: E402
from toolkit.privacy import load_terms, scan  # noqa: E402
from toolkit.privacy.terms import example_path  # noqa: E402

CORPUS = ROOT / "tests" / "privacy" / "corpus" / "corpus.jsonl"
STRUCTURED = ("EMAIL", "PHONE", "AVS", "IBAN", "NIR", "CARD", "SIREN", "SIRET", "IP", "PLATE")
TARGETS = {**{k: 1.0 for k in STRUCTURED}, "PERSON": 0.95}
PRECISION_TARGETS = {"PERSON": 0.95}


def _overlap(a, b) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def evaluate(records, terms, *, ner=True):
    tp_pred, n_pred, tp_gold, n_gold, exact = Counter(), Counter(), Counter(), Counter(), Counter()
    near_reported = Counter()
    errors = []
    for record in records:
        found = [
            {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text}
            for f in scan(record["text"], terms=terms, ner=ner)
        ]
        gold = record["entities"]
        for p in found:
            n_pred[p["kind"]] += 1
            match = [g for g in gold if g["kind"] == p["kind"] and _overlap(g, p)]
            if match:
                tp_pred[p["kind"]] += 1
                if any(g["start"] == p["start"] and g["end"] == p["end"] for g in match):
                    exact[p["kind"]] += 1
            else:
                errors.append(("FP", record["id"], p["kind"], p["text"]))
        for g in gold:
            n_gold[g["kind"]] += 1
            if any(p["kind"] == g["kind"] and _overlap(g, p) for p in found):
                tp_gold[g["kind"]] += 1
            else:
                errors.append(("FN", record["id"], g["kind"], g["text"]))
        for miss in record.get("near_misses", []):
            kind = NEAR_MISS.get(miss["generator"])
            if any(p["kind"] == kind and _overlap(miss, p) for p in found):
                near_reported[kind] += 1
                errors.append(("NEAR", record["id"], kind, miss["text"]))
    return tp_pred, n_pred, tp_gold, n_gold, exact, near_reported, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every error")
    parser.add_argument("--no-ner", action="store_true", help="rules only, without the NER model")
    args = parser.parse_args()
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    terms = load_terms(example_path())
    for split in ("developpement", "controle", "nouveau", "inedit", "inedit-2", None):
        subset = [r for r in records if split is None or r.get("split") == split]
        title = "corpus entier" if split is None else f"partie « {split} »"
        if split == "nouveau":
            title += " (écrite après les corrections ; a servi après sa première mesure)"
        if split == "inedit":
            title += " (écrite après les corrections ; a servi après sa première mesure)"
        if split == "inedit-2":
            title += " (tenue à l'écart, écrite après les corrections, mesurée une fois)"
        print(f"\n=== {title} ===")
        report(subset, terms, show_errors=args.errors and split is not None, ner=not args.no_ner)
    return 0


def report(records, terms, *, show_errors: bool, ner: bool = True) -> None:
    start = time.perf_counter()
    tp_pred, n_pred, tp_gold, n_gold, exact, near, errors = evaluate(records, terms, ner=ner)
    elapsed = time.perf_counter() - start
    n_near = sum(len(r.get("near_misses", [])) for r in records)

    print(
        f"Corpus : {len(records)} textes, {sum(n_gold.values())} entités étiquetées, "
        f"{n_near} numéros à somme de contrôle fausse ; durée {elapsed:.1f} s (modèle inclus)"
    )
    print(
        f"{'type':<12}{'étiq.':>6}{'trouv.':>7}{'précision':>11}{'rappel':>9}{'exact':>8}  cibles"
    )
    kinds = sorted(set(n_gold) | set(n_pred), key=lambda k: -n_gold[k])
    for kind in kinds:
        precision = tp_pred[kind] / n_pred[kind] if n_pred[kind] else float("nan")
        recall = tp_gold[kind] / n_gold[kind] if n_gold[kind] else float("nan")
        exact_rate = exact[kind] / tp_pred[kind] if tp_pred[kind] else float("nan")
        target = TARGETS.get(kind)
        flag = ""
        if target is not None:
            flag = f"rappel ≥ {target:.2f} " + ("ok" if recall >= target else "NON")
        if kind in PRECISION_TARGETS:
            goal = PRECISION_TARGETS[kind]
            flag += f", précision ≥ {goal:.2f} " + ("ok" if precision >= goal else "NON")
        print(
            f"{kind:<12}{n_gold[kind]:>6}{n_pred[kind]:>7}{precision:>11.3f}{recall:>9.3f}"
            f"{exact_rate:>8.2f}  {flag}"
        )
    precision = sum(tp_pred.values()) / max(1, sum(n_pred.values()))
    recall = sum(tp_gold.values()) / max(1, sum(n_gold.values()))
    print(
        f"{'TOTAL':<12}{sum(n_gold.values()):>6}{sum(n_pred.values()):>7}{precision:>11.3f}"
        f"{recall:>9.3f}   précision cible ≥ 0.90 " + ("ok" if precision >= 0.9 else "NON")
    )
    print(f"Numéros faux signalés comme valides : {sum(near.values())} sur {n_near}")
    if show_errors:
        for kind, rid, k, text in sorted(errors, key=lambda e: (e[2], e[0])):
            print(f"  {kind:<4} {k:<10} {rid:<16} {text!r}")


if __name__ == "__main__":
    raise SystemExit(main())
