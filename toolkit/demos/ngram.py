"""A tiny next-word model (word n-grams) built live in session 1 to show how an LLM predicts.

The corpus (``toolkit/data/corpus/*.txt``) was written for the course: short French sentences
from a commune and a company.  The model only counts which word follows which; it is the
simplest possible "language model", enough to show probabilities, sampling and temperature.
"""

from __future__ import annotations

import html
import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import KW_ONLY, dataclass, field
from importlib import resources
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError
from toolkit.fr import nombre, pluriel, pourcentage
from toolkit.html import probability_cells, text_bar
from toolkit.widgets._base import ShowsWidget

__all__ = [
    "NGramModel",
    "NextWords",
    "Samples",
    "TemperatureExplorer",
    "apply_temperature",
    "corpus_names",
    "detokenize",
    "load_corpus",
    "tokenize",
]

# A word keeps its elision apostrophe ("l'", "qu'"), so "l'équipe" gives "l'" + "équipe".
_TOKEN = re.compile(r"[^\W\d_]+['’]|[^\W_]+(?:-[^\W_]+)*|[.,;:!?]")
_NO_SPACE_BEFORE = {".", ","}
_SPACE_BEFORE_NBSP = {";", ":", "!", "?"}
_SENTENCE_END = {".", "!", "?"}


def _corpus_dir():
    return resources.files("toolkit") / "data" / "corpus"


def corpus_names() -> list[str]:
    """Names of the shipped corpus files, without the ``.txt`` suffix, sorted."""
    return sorted(p.name[:-4] for p in _corpus_dir().iterdir() if p.name.endswith(".txt"))


def load_corpus(names: list[str] | tuple[str, ...] | str | None = None) -> str:
    """The text of the shipped corpus files *names* (default: all of them), joined by newlines."""
    if isinstance(names, str):
        names = [names]
    known = corpus_names()
    chosen = list(names) if names else known
    texts = []
    for name in chosen:
        if name not in known:
            raise InputError(
                f"Le corpus « {name} » n'existe pas dans toolkit/data/corpus.",
                f"Corpus disponibles : {', '.join(known)}.",
            )
        texts.append((_corpus_dir() / f"{name}.txt").read_text(encoding="utf-8"))
    return "\n".join(texts)


def tokenize(text: str) -> list[str]:
    """Lower-case word and punctuation tokens of a French *text* (elisions kept: ``l'``)."""
    return [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]


def detokenize(tokens: list[str] | tuple[str, ...]) -> str:
    """Readable French text from *tokens*: capitals after a full stop, no space after ``l'``."""
    out: list[str] = []
    capitalise = True
    for tok in tokens:
        word = tok.capitalize() if capitalise and tok[:1].isalpha() else tok
        if tok[:1].isalpha() or tok[:1].isdigit():
            capitalise = False
        if tok in _SENTENCE_END:
            capitalise = True
        if not out or tok in _NO_SPACE_BEFORE or out[-1].endswith("'"):
            out.append(word)
        elif tok in _SPACE_BEFORE_NBSP:
            out.append("\u202f" + word)
        else:
            out.append(" " + word)
    return "".join(out)


def apply_temperature(weights: dict[str, float], temperature: float) -> dict[str, float]:
    """Probabilities from counts or probabilities *weights*, sharpened or flattened.

    ``p_i ∝ w_i ** (1 / T)``: T = 1 keeps the counts' proportions, T < 1 favours the likely
    words, T > 1 gives rare words more chance; T = 0 puts all the mass on the most likely
    word (ties: the first in alphabetical order, so the result is reproducible).
    """
    if temperature < 0 or not math.isfinite(temperature):
        raise InputError(
            f"Température invalide : {temperature}.",
            "Choisissez une température entre 0 (prévisible) et 2 (très variée).",
        )
    items = [(w, float(c)) for w, c in weights.items() if c > 0]
    if not items:
        return {}
    if temperature == 0:
        best = max(c for _, c in items)
        winner = min(w for w, c in items if c == best)
        return {w: (1.0 if w == winner else 0.0) for w, _ in items}
    # Work in log space so that small temperatures do not overflow.
    logs = [(w, math.log(c) / temperature) for w, c in items]
    top = max(v for _, v in logs)
    exps = {w: math.exp(v - top) for w, v in logs}
    total = sum(exps.values())
    return {w: v / total for w, v in exps.items()}


@dataclass(frozen=True)
class NextWords(ShowsStr):
    """The possible next words after a context, with their probabilities (highest first)."""

    context: str
    used_context: tuple[str, ...]
    words: tuple[tuple[str, float, int], ...]  # (word, probability, count)
    temperature: float = 1.0

    def top(self, k: int = 8) -> NextWords:
        return NextWords(self.context, self.used_context, self.words[:k], self.temperature)

    def probability(self, word: str) -> float:
        return next((p for w, p, _ in self.words if w == word), 0.0)

    def _title(self) -> str:
        used = " ".join("⟨début de phrase⟩" if t == "." else t for t in self.used_context)
        used = used or "(aucun : fréquence globale des mots)"
        text = f"Après « {self.context} » (mots utilisés par le modèle : « {used} »)"
        if self.temperature != 1.0:
            text += f", température {nombre(self.temperature)}"
        return text

    def __str__(self) -> str:
        lines = [self._title()]
        for word, prob, count in self.words:
            lines.append(f"  {word:<15} {pourcentage(prob):>7}  {text_bar(prob, 30)}  "
                         f"({count} fois dans le corpus)")
        if not self.words:
            lines.append("  (aucun mot suivant connu)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr>{probability_cells(w, p, colour='#4c78a8', scale=200)}"
            f"<td style='text-align:right'>{c}</td></tr>"
            for w, p, c in self.words
        )
        return (
            f"<p>{html.escape(self._title())}</p><table><tr><th>mot suivant</th>"
            f"<th>probabilité</th><th></th><th>occurrences</th></tr>{rows}</table>"
        )

    def plot(self, ax=None):
        """A horizontal bar chart of the probabilities (matplotlib); returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.35 * max(3, len(self.words)) + 0.8))
        words = [w for w, _, _ in self.words][::-1]
        probs = [p for _, p, _ in self.words][::-1]
        ax.barh(words, probs, color="#4c78a8")
        for y, p in enumerate(probs):
            ax.text(p, y, f" {pourcentage(p, 0)}", va="center", fontsize=9)
        ax.set_xlim(0, min(1.0, max(probs, default=0.1) * 1.25 + 0.05))
        ax.set_xlabel("probabilité du mot suivant")
        ax.set_title(self._title(), fontsize=10, loc="left")
        ax.figure.tight_layout()
        return ax


@dataclass(frozen=True)
class Samples(ShowsStr):
    """Texts generated from one start at several temperatures."""

    start: str
    texts: tuple[tuple[float, str], ...]

    def __str__(self) -> str:
        lines = [f"Textes générés à partir de « {self.start} » :"]
        lines += [f"  T = {nombre(t):<4} → {text}" for t, text in self.texts]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td style='white-space:nowrap'>T = {nombre(t)}</td><td>{html.escape(x)}</td></tr>"
            for t, x in self.texts
        )
        start = html.escape(self.start)
        return f"<p>Textes générés à partir de « {start} » :</p><table>{rows}</table>"


class NGramModel:
    """Counts of which word follows which (contexts of up to ``n - 1`` words), with back-off."""

    def __init__(self, n: int = 3):
        if not isinstance(n, int) or n < 1 or n > 6:
            raise InputError(
                f"Ordre du modèle invalide : {n!r}.",
                "Choisissez n entre 1 (mots isolés) et 6 ; 2 ou 3 suffisent pour la démonstration.",
            )
        self.n = n
        self.counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        self.n_tokens = 0

    @classmethod
    def from_corpus(cls, n: int = 3, names: list[str] | str | None = None) -> NGramModel:
        """A model trained on the shipped corpus (all files by default)."""
        return cls(n).fit(load_corpus(names))

    def fit(self, text: str) -> NGramModel:
        """Count the n-grams of *text* (can be called again to add more text)."""
        for line in text.splitlines():
            tokens = tokenize(line)
            if not tokens:
                continue
            # Each line is a sentence: its first words follow a full stop.
            padded = [".", *tokens]
            self.n_tokens += len(tokens)
            for i in range(1, len(padded)):
                for k in range(0, self.n):
                    if i - k < 0:
                        break
                    self.counts[tuple(padded[i - k : i])][padded[i]] += 1
        return self

    @property
    def vocabulary(self) -> list[str]:
        return sorted(self.counts[()])

    def _context_tokens(self, context: str | list[str]) -> list[str]:
        tokens = tokenize(context) if isinstance(context, str) else list(context)
        return [".", *tokens]

    def next_words(
        self, context: str | list[str] = "", *, temperature: float = 1.0, top: int | None = None
    ) -> NextWords:
        """Next-word probabilities after *context*, using the longest context seen in the corpus."""
        if not self.counts:
            raise InputError(
                "Le modèle n'a encore rien appris.",
                "Appelez d'abord modele.fit(texte) ou NGramModel.from_corpus().",
            )
        tokens = self._context_tokens(context)
        used: tuple[str, ...] = ()
        counter: Counter[str] = self.counts[()]
        for k in range(min(self.n - 1, len(tokens)), 0, -1):
            key = tuple(tokens[-k:])
            if self.counts.get(key):
                used, counter = key, self.counts[key]
                break
        probs = apply_temperature(dict(counter), temperature)
        words = sorted(((w, probs[w], counter[w]) for w in probs), key=lambda x: (-x[1], x[0]))
        shown = tuple(words[:top] if top else words)
        label = context if isinstance(context, str) else " ".join(context)
        return NextWords(label, used, shown, temperature)

    def generate(
        self,
        start: str = "",
        *,
        length: int = 20,
        temperature: float = 1.0,
        seed: int | None = None,
        stop_at_period: bool = True,
    ) -> str:
        """Continue *start* word by word, sampling at *temperature* (0: always the likeliest)."""
        rng = random.Random(seed)
        tokens = tokenize(start)
        for _ in range(max(0, length)):
            nxt = self.next_words(tokens, temperature=temperature)
            if not nxt.words:
                break
            words = [w for w, _, _ in nxt.words]
            weights = [p for _, p, _ in nxt.words]
            word = rng.choices(words, weights=weights, k=1)[0]
            tokens.append(word)
            if stop_at_period and word in _SENTENCE_END:
                break
        return detokenize(tokens)

    def compare_temperatures(
        self,
        start: str,
        temperatures: tuple[float, ...] = (0, 0.5, 1, 1.5, 2),
        *,
        samples: int = 1,
        length: int = 20,
        seed: int = 1,
    ) -> Samples:
        """*samples* texts per temperature from the same *start* (seeds *seed*, *seed* + 1...)."""
        texts = tuple(
            (t, self.generate(start, length=length, temperature=t, seed=seed + k))
            for t in temperatures
            for k in range(max(1, samples))
        )
        return Samples(start, texts)

    def __repr__(self) -> str:
        return (
            f"NGramModel(n={self.n}, {self.n_tokens} mots lus, "
            f"{len(self.vocabulary)} mots différents)"
        )

    def __str__(self) -> str:
        return (
            f"Modèle de {self.n}-grammes : {pluriel(self.n_tokens, 'mot lu')}, "
            f"{pluriel(len(self.vocabulary), 'mot différent')}, "
            f"{pluriel(sum(1 for k in self.counts if len(k) == self.n - 1), 'contexte')} "
            f"de {pluriel(self.n - 1, 'mot')}."
        )


@dataclass(eq=False)
class TemperatureExplorer(ShowsStr, ShowsWidget):
    """A temperature slider: the distribution after *start* and texts generated at that setting.

    In JupyterLab it shows a slider; where widgets cannot render (exported notebook, nbconvert),
    its text form shows the same thing for a few temperatures.
    """

    model: NGramModel
    start: str = "nous vous"
    _: KW_ONLY
    temperature: float = 1.0
    samples: int = 3
    length: int = 18
    top: int = 8
    _widget: Any = field(default=None, init=False, repr=False)

    def texts(self, temperature: float | None = None) -> list[str]:
        t = self.temperature if temperature is None else temperature
        return [
            self.model.generate(self.start, length=self.length, temperature=t, seed=seed)
            for seed in range(1, self.samples + 1)
        ]

    def __str__(self) -> str:
        lines = []
        for t in (0, 1, 2):
            dist = self.model.next_words(self.start, temperature=t, top=4)
            shares = ", ".join(f"{w} {pourcentage(p, 0)}" for w, p, _ in dist.words)
            lines.append(f"T = {nombre(t)}\u00a0: mot suivant → {shares}")
            lines += [f"    · {x}" for x in self.texts(t)]
        return "\n".join(lines)

    def _render(self, out, temperature: float) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        out.clear_output(wait=True)
        with out:
            dist = self.model.next_words(self.start, temperature=temperature, top=self.top)
            fig, ax = plt.subplots(figsize=(6, 3))
            dist.plot(ax=ax)
            display(fig)
            plt.close(fig)
            display(Samples(self.start, tuple((temperature, x) for x in self.texts(temperature))))

    def widget(self):
        """The ipywidgets view (built on first use)."""
        if self._widget is None:
            import ipywidgets as w

            slider = w.FloatSlider(
                value=self.temperature, min=0, max=2, step=0.1, description="Température",
                continuous_update=False, readout_format=".1f",
                style={"description_width": "initial"},
            )
            out = w.Output()

            def changed(change):
                self.temperature = change["new"]
                self._render(out, self.temperature)

            slider.observe(changed, names="value")
            self._render(out, self.temperature)
            self._widget = w.VBox([slider, out])
        return self._widget

