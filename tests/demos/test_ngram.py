"""Tests of the tiny next-word model used in session 1 (toolkit.demos.ngram)."""

from __future__ import annotations

import math

import pytest

from toolkit.demos.ngram import (
    NGramModel,
    TemperatureExplorer,
    apply_temperature,
    corpus_names,
    detokenize,
    load_corpus,
    tokenize,
)
from toolkit.errors import InputError

TOY = "Le chat dort.\nLe chat mange.\nLe chat dort.\nLe chien dort.\n"


def test_tokenize_keeps_elisions_and_punctuation():
    assert tokenize("L'équipe n’a pas signé ; merci !") == [
        "l'", "équipe", "n'", "a", "pas", "signé", ";", "merci", "!",
    ]
    assert tokenize("ci-joint le 12 mars.") == ["ci-joint", "le", "12", "mars", "."]


def test_detokenize_french_typography():
    text = detokenize(tokenize("l'usager arrive. merci ; au revoir !"))
    assert text == "L'usager arrive. Merci\u202f; au revoir\u202f!"


def test_shipped_corpus_is_french_and_large_enough():
    names = corpus_names()
    assert {"administration", "entreprise", "ia"} <= set(names)
    tokens = tokenize(load_corpus())
    assert len(tokens) > 900
    assert "commune" in tokens
    with pytest.raises(InputError, match="n'existe pas"):
        load_corpus("inconnu")


def test_counts_and_probabilities_on_toy_text():
    model = NGramModel(2).fit(TOY)
    nxt = model.next_words("le chat")
    assert nxt.used_context == ("chat",)
    assert nxt.words[0][0] == "dort"
    assert nxt.probability("dort") == pytest.approx(2 / 3)
    assert nxt.probability("mange") == pytest.approx(1 / 3)
    assert sum(p for _, p, _ in nxt.words) == pytest.approx(1.0)
    # After "le", "chat" 3 times out of 4.
    assert model.next_words("le").probability("chat") == pytest.approx(0.75)


def test_backoff_to_shorter_context_and_unigrams():
    model = NGramModel(3).fit(TOY)
    assert model.next_words("le chat").used_context == ("le", "chat")
    # "un chat" never seen: back off to "chat".
    assert model.next_words("un chat").used_context == ("chat",)
    # Unknown word: global frequencies.
    nxt = model.next_words("zèbre")
    assert nxt.used_context == ()
    assert nxt.words[0][0] in {"le", "."}
    # Sentence start: first words follow a full stop.
    assert model.next_words("").words[0][0] == "le"


def test_apply_temperature_sharpens_and_flattens():
    counts = {"a": 6, "b": 3, "c": 1}
    base = apply_temperature(counts, 1)
    assert base["a"] == pytest.approx(0.6)
    cold = apply_temperature(counts, 0.5)
    hot = apply_temperature(counts, 2)
    assert cold["a"] > base["a"] > hot["a"]
    assert hot["c"] > base["c"] > cold["c"]
    assert cold["a"] == pytest.approx(36 / 46)
    assert hot["a"] == pytest.approx(math.sqrt(6) / (math.sqrt(6) + math.sqrt(3) + 1))
    assert apply_temperature(counts, 0) == {"a": 1.0, "b": 0.0, "c": 0.0}
    # Ties at T = 0: alphabetical, reproducible.
    assert apply_temperature({"y": 2, "x": 2}, 0)["x"] == 1.0
    # No overflow for tiny temperatures.
    tiny = apply_temperature({"a": 1000, "b": 999}, 0.001)
    assert tiny["a"] / tiny["b"] == pytest.approx((1000 / 999) ** 1000)
    assert apply_temperature({"a": 3, "b": 1}, 0.001)["a"] == pytest.approx(1.0)
    with pytest.raises(InputError, match="Température"):
        apply_temperature(counts, -1)


def test_generation_is_reproducible_and_greedy_at_zero():
    model = NGramModel.from_corpus(2)
    a = model.generate("nous vous", temperature=1, seed=7)
    b = model.generate("nous vous", temperature=1, seed=7)
    assert a == b
    assert a.startswith("Nous vous")
    greedy = {model.generate("le", temperature=0, seed=s) for s in range(5)}
    assert len(greedy) == 1


def test_higher_temperature_gives_more_varied_texts():
    model = NGramModel.from_corpus(2)
    cold = {model.generate("le", temperature=0.1, seed=s, length=6) for s in range(30)}
    hot = {model.generate("le", temperature=2, seed=s, length=6) for s in range(30)}
    assert len(hot) > len(cold)


def test_trigram_model_reproduces_corpus_sentences():
    model = NGramModel.from_corpus(3)
    text = model.generate("nous vous prions d'agréer", temperature=0)
    assert text == "Nous vous prions d'agréer nos salutations distinguées."


def test_results_have_text_and_html_forms():
    model = NGramModel.from_corpus(2)
    nxt = model.next_words("le", top=5)
    assert len(nxt.words) == 5
    assert "Après « le »" in str(nxt)
    assert "<table>" in nxt._repr_html_()
    samples = model.compare_temperatures("le service", (0, 1))
    assert "T = 0" in str(samples)
    assert "<table>" in samples._repr_html_()
    assert "2-grammes" in str(model)


def test_plot_draws_one_bar_per_word():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = NGramModel.from_corpus(2).next_words("le", top=6).plot()
    assert len(ax.patches) == 6
    plt.close(ax.figure)


def test_temperature_explorer_text_fallback_and_bundle(widget_text):
    model = NGramModel.from_corpus(2)
    text = widget_text(TemperatureExplorer(model, "la demande", samples=2))
    assert "T = 0" in text
    assert "T = 2" in text


def test_invalid_order_and_empty_model():
    with pytest.raises(InputError):
        NGramModel(0)
    with pytest.raises(InputError, match="rien appris"):
        NGramModel(2).next_words("le")


def test_compare_temperatures_several_samples_and_plain_text():
    from IPython.core.formatters import PlainTextFormatter

    model = NGramModel.from_corpus(2)
    samples = model.compare_temperatures("nous vous", (0, 2), samples=3, seed=3)
    assert len(samples.texts) == 6
    cold = {text for t, text in samples.texts if t == 0}
    assert len(cold) == 1  # greedy: every sample identical
    assert PlainTextFormatter()(samples).startswith("Textes générés")
    assert PlainTextFormatter()(model.next_words("le", top=3)).startswith("Après « le »")
