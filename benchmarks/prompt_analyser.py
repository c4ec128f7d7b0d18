"""Accuracy and speed of the prompt analyser on the labelled corpus (tests/prompts/corpus.jsonl).

Prints precision and recall per component (target >= 0.9 each), the exact-match rate, the
disagreements, and the analysis time for a 1,000-character prompt (target < 5 ms).
Run: .venv/bin/python benchmarks/prompt_analyser.py [--errors]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from toolkit.prompts import COMPONENTS, analyse

HERE = Path(__file__).resolve().parent.parent / "tests" / "prompts"
CORPUS = HERE / "corpus.jsonl"
HOLDOUT = HERE / "corpus_holdout.jsonl"


def load(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def scores(items: list[dict]) -> tuple[dict[str, tuple[float, float, int, int, int]], list[str]]:
    counts = {k: [0, 0, 0] for k in COMPONENTS}  # tp, fp, fn
    errors = []
    for item in items:
        found = analyse(item["prompt"]).present
        truth = set(item["components"])
        for k in COMPONENTS:
            if k in found and k in truth:
                counts[k][0] += 1
            elif k in found:
                counts[k][1] += 1
                errors.append(f"{item['id']} faux positif  {k}")
            elif k in truth:
                counts[k][2] += 1
                errors.append(f"{item['id']} faux négatif  {k}")
    result = {}
    for k, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        result[k] = (precision, recall, tp, fp, fn)
    return result, errors


# A text where no rule fires: every pattern scans the whole text (the slowest case).
_PROSE = (
    "Le lac est calme ce matin et les arbres de la rive portent déjà leurs couleurs "
    "d'automne ; au loin, un bateau glisse lentement vers le port de la petite ville. "
)


def _measure(text: str, repeat: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and mean CPU time, in milliseconds."""
    analyse(text)
    samples = []
    cpu_start = time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        analyse(text)
        samples.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu_start) * 1000 / repeat
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * len(samples))], cpu


def timing(repeat: int = 300) -> dict[str, tuple[float, float, float]]:
    items = load(CORPUS)
    typical = ""
    i = 0
    while len(typical) < 1000:
        typical += items[i % len(items)]["prompt"] + "\n"
        i += 1
    worst = _PROSE * (1000 // len(_PROSE) + 1)
    return {
        "prompt réaliste": _measure(typical[:1000], repeat),
        "pire cas (aucune composante)": _measure(worst[:1000], repeat),
    }


def report(title: str, items: list[dict]) -> list[str]:
    result, errors = scores(items)
    langs = {lang: sum(1 for it in items if it["lang"] == lang) for lang in ("fr", "en")}
    print(f"{title} : {len(items)} prompts ({langs['fr']} fr, {langs['en']} en)")
    print(f"{'composante':<12} {'précision':>9} {'rappel':>7} {'VP':>4} {'FP':>4} {'FN':>4}")
    for k, (p, r, tp, fp, fn) in result.items():
        print(f"{k:<12} {p:>9.3f} {r:>7.3f} {tp:>4} {fp:>4} {fn:>4}")
    exact = sum(analyse(it["prompt"]).present == set(it["components"]) for it in items)
    print(f"prompts entièrement corrects : {exact}/{len(items)}\n")
    return errors


def main() -> int:
    errors = report("Corpus principal (sert au réglage)", load(CORPUS))
    errors += report("Second corpus", load(HOLDOUT))
    for label, (median, p95, cpu) in timing().items():
        print(
            f"temps d'analyse, 1 000 caractères, {label} : médiane {median:.2f} ms, "
            f"p95 {p95:.2f} ms, CPU {cpu:.2f} ms"
        )
    items = load(CORPUS)
    start = time.perf_counter()
    for it in items:
        analyse(it["prompt"])
    per = (time.perf_counter() - start) * 1000 / len(items)
    print(f"temps moyen par prompt du corpus : {per:.2f} ms")
    if "--errors" in sys.argv:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
