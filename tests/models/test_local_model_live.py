"""The real llama.cpp server with the embedded SmolLM2: ``toolkit.ask`` live (plain and
streamed), the badge, ``logprobs`` and the S1-03 demos, all against the session's server."""

from __future__ import annotations

import math

import openai

import toolkit
from toolkit.config import settings
from toolkit.demos import internals


def test_status_shows_the_served_model(llama, atelier):
    result = atelier("model", "status", cwd=llama.root)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert llama.base_url in out and "smollm2-135m-instruct" in out
    assert "mémoire" in out and " Mo" in out and "répond" in out


def test_list_shows_the_embedded_model(llama, atelier):
    result = atelier("model", "list", cwd=llama.root)
    assert result.returncode == 0
    assert (
        "smollm2-135m-instruct (modèle intégré)" in result.stdout and "apache-2.0" in result.stdout
    )


def test_ask_answers_with_the_local_badge(local):
    answer = toolkit.ask("The capital of France is", stream=False)
    assert answer.mode == "live" and answer.text.strip()
    assert answer.origin == "modèle local · smollm2-135m-instruct · rien ne quitte cet ordinateur"
    assert "rien ne quitte cet ordinateur" in answer.summary()
    assert "rien ne quitte cet ordinateur" in answer._repr_html_()
    assert answer.completion_tokens <= 24  # ATELIER_MAX_TOKENS reached the server
    assert answer.cost == 0.0


def test_streaming_arrives_in_pieces(local):
    from toolkit.llm.backends import Deadline, Request
    from toolkit.llm.local import LocalBackend

    class Sink:
        def __init__(self):
            self.pieces = []

        def __call__(self, delta):
            self.pieces.append(delta)

        def restart(self):
            self.pieces.clear()

        def finish(self, answer):
            pass

        def fail(self):
            pass

    sink = Sink()
    request = Request(
        messages=({"role": "user", "content": "Write a sentence about the sea."},),
        model=local.model, temperature=0, max_tokens=24, stream=True,
    )  # fmt: skip
    answer = LocalBackend(settings()).complete(request, Deadline(120), sink=sink)
    assert len(sink.pieces) >= 3  # several chunks, as they were generated
    assert "".join(sink.pieces) == answer.text and answer.finish_reason in ("stop", "length")


def test_streamed_ask_prints_as_it_arrives(local, capsys):
    # (Not compared with a plain call: llama.cpp's prompt cache makes two runs at
    # temperature 0 differ slightly.)
    streamed = toolkit.ask("Name three colours.", temperature=0, stream=True)
    assert streamed.text.strip() and streamed.origin.startswith("modèle local")
    assert streamed.text.strip() in capsys.readouterr().out


def test_next_tokens_are_the_servers_logprobs(local):
    result = internals.next_tokens("The capital of France is", k=5)
    assert result.model == local.model and len(result.tokens) == 5
    probs = [p for _, p in result.tokens]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1.0001
    direct = openai.OpenAI(base_url=local.base_url, api_key="x").completions.create(
        model=local.model, prompt="The capital of France is", max_tokens=1, temperature=0,
        logprobs=5,
    )  # fmt: skip
    top = direct.choices[0].logprobs.top_logprobs[0]
    for token, p in result.tokens:
        assert math.isclose(p, math.exp(top[token]), rel_tol=1e-6)
    assert "Aucun modèle local" not in str(result)


def test_sampling_by_temperature(local):
    result = internals.sample("Once upon a time", temperatures=(0, 1.5), n=3, max_tokens=8)
    cold = [text for t, text in result.texts if t == 0]
    hot = [text for t, text in result.texts if t == 1.5]
    assert len(cold) == len(hot) == 3
    assert len(set(cold)) == 1  # temperature 0: the same text every time
    assert len(set(hot)) > 1  # different seeds, high temperature: they differ


def test_hallucination_demo(local):
    facts = internals.hallucination(max_tokens=16)
    assert facts is not None and facts.model == local.model
    assert len(facts.rows) == len(internals.FACT_QUESTIONS)
    assert all(answer for _, answer, _, _ in facts.rows)
    assert "fausse" in str(facts) and "<table>" in facts._repr_html_()


def test_demos_fall_back_to_the_ngram_model_and_say_so(monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    result = internals.next_tokens("The capital of France is")
    assert result.model == "2-grammes du cours" and "Aucun modèle local" in result.note
    assert internals.hallucination() is None


def test_draw_with_the_local_model_says_it_is_text_only(local):
    # llama.cpp has no images API: a labelled placeholder drawn here, never a 404 traceback.
    picture = toolkit.draw("Un graphique du budget d'une commune")
    assert picture.notice and "ne produit que du texte" in picture.notice
    assert "pas une image générée" in picture.notice
    assert picture.cost == 0.0
