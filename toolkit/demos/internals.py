"""Inside a real language model, for session 1 module 3: next-token probabilities, sampling
at several temperatures and a hallucination, asked of the local model (``atelier model
serve``); without one, the course's n-gram model stands in and says so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit._display import ShowsStr
from toolkit.errors import LLMError
from toolkit.fr import nombre, pluriel, pourcentage
from toolkit.html import probability_cells, text_bar

__all__ = [
    "FACT_QUESTIONS",
    "Facts",
    "NextTokens",
    "Samplings",
    "hallucination",
    "local_endpoint",
    "next_tokens",
    "sample",
]

#: Questions with a known answer; a 135-million-parameter model gets most of them wrong.
FACT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("What is the capital of Australia? Answer in one word.", "Canberra"),
    ("Who wrote the novel Les Misérables? Answer with the name only.", "Victor Hugo"),
    ("In which year did the French Revolution begin? Answer with the year only.", "1789"),
    ("Quelle est la capitale de la Suisse ? Réponds en un mot.", "Berne"),
)
_FALLBACK = (
    "Aucun modèle local n'est servi : voici le mini-modèle de 2-grammes du cours à la place. "
    "Pour le vrai modèle, l'animateur·rice lance « atelier model serve »."
)

_SIMULATED = ("Sans modèle, les tirages sont simulés par ce mini-modèle avec des graines "
              "fixes, une série par température.")
_SEED_BASE = 1


def _variety(texts: list[tuple[float, str]]) -> str:
    """The variety measured in *texts*: distinct texts and distinct words per temperature."""
    # Measured, not promised: on the small course corpus, variety may level off above T = 1.
    parts = []
    for t in dict.fromkeys(t for t, _ in texts):
        drawn = [" ".join(x.split()) for u, x in texts if u == t]
        words = {w.lower() for x in drawn for w in x.split()}
        parts.append(f"T = {nombre(t)}\u00a0: {pluriel(len(set(drawn)), 'texte différent')} "
                     f"sur {len(drawn)}, {pluriel(len(words), 'mot différent')}")
    return "Variété mesurée\u202f: " + "\u202f; ".join(parts) + "."


def _token(token: str) -> str:
    """A token as read on screen: its text, with a leading space shown as « ␣ »."""
    # A repr (« 'informons' ») puts Python quotes around the word; the space mark keeps what
    # the quotes told, that " vous" and "vous" are different tokens.
    return token.replace(" ", "␣").replace("\n", "↵") if token.strip() else repr(token)


def local_endpoint() -> tuple[str, str] | None:
    """(base URL, model name) of the local model when it answers, else None."""
    from toolkit.config import settings
    from toolkit.models import server

    s = settings()
    if s.mode not in ("live", "record"):  # offline and replay call no model, by definition
        return None
    candidates = []
    if s.local_base_url:
        candidates.append((s.local_base_url, s.local_model or "local"))
    state = server.current()
    if state is not None:
        candidates.append((state.base_url, state.model))
    for url, model in candidates:
        if server._answers(url, timeout=2.0):
            return url, model
    return None


def _client(url: str):
    import openai

    from toolkit.config import settings

    return openai.OpenAI(base_url=url, api_key="atelier-local-no-key",
                         timeout=settings().timeout, max_retries=0)  # fmt: skip


def _call(url: str, make):
    import openai

    try:
        return make(_client(url))
    except openai.OpenAIError as exc:
        raise LLMError(
            f"Le modèle local ({url}) n'a pas répondu ({type(exc).__name__}).",
            "Vérifiez qu'il tourne (« atelier model status »), relancez-le si besoin "
            "(« atelier model serve »), puis la cellule.",
            detail=str(exc),
        ) from None


class _Shown(ShowsStr):
    """A demo's result: a title, one line or table row per item, then its note if any."""

    __slots__ = ()
    note: str

    def _text(self, lines: list[str]) -> str:
        return "\n".join([*lines, self.note] if self.note else lines)

    def _html(self, title_html: str, rows_html: Iterable[str], head_html: str = "") -> str:
        """The title, a table of one ``<tr>`` per row (after *head_html*'s), then the note."""
        rows = "".join(f"<tr>{row}</tr>" for row in rows_html)
        note = f"<p><i>{html.escape(self.note)}</i></p>" if self.note else ""
        return f"<p>{title_html}</p><table>{head_html}{rows}</table>{note}"


@dataclass
class NextTokens(_Shown):
    """The most probable next tokens after a prompt, as the model computed them."""

    prompt: str
    model: str
    tokens: list[tuple[str, float]]  # (token, probability), highest first
    note: str = ""

    def __str__(self) -> str:
        lines = [f"Après « {self.prompt} », le modèle {self.model} propose :"]
        for token, p in self.tokens:
            lines.append(f"  {_token(token):<16} {pourcentage(p):>7}  {text_bar(p, 40)}")
        return self._text(lines)

    def _repr_html_(self) -> str:
        return self._html(
            f"Après « {html.escape(self.prompt)} », le modèle <b>{html.escape(self.model)}"
            "</b> propose :",
            (probability_cells(_token(t), p, colour="#1e7d45", scale=240) for t, p in self.tokens),
            "<tr><th>jeton suivant</th><th>probabilité</th><th></th></tr>",
        )


def next_tokens(prompt: str, k: int = 5, *, fallback: str = "nous vous") -> NextTokens:
    """Top-*k* next tokens of *prompt* (raw completion, ``logprobs``), or the n-gram stand-in.

    The prompt is continued as plain text, not as a chat message: exactly next-token
    prediction.  *fallback* is the n-gram model's start when no local model is served.
    """
    endpoint = local_endpoint()
    if endpoint is None:
        from toolkit.demos.ngram import NGramModel

        words = NGramModel.from_corpus(n=2).next_words(fallback).top(k)
        return NextTokens(fallback, "2-grammes du cours", [(w, p) for w, p, _ in words.words],
                          note=_FALLBACK)  # fmt: skip
    url, model = endpoint
    r = _call(url, lambda c: c.completions.create(
        model=model, prompt=prompt, max_tokens=1, temperature=0, logprobs=k,
    ))  # fmt: skip
    top = (r.choices[0].logprobs.top_logprobs or [{}])[0] if r.choices[0].logprobs else {}
    tokens = sorted(((t, math.exp(lp)) for t, lp in top.items()), key=lambda x: -x[1])[:k]
    shown = sum(p for _, p in tokens)
    note = (
        f"Ces {len(tokens)} jetons totalisent {pourcentage(shown, 0)} de la probabilité\u202f; "
        f"les {pourcentage(1 - shown, 0)} restants se répartissent sur les quelque "
        f"{nombre(49_000)} autres jetons du vocabulaire."
    )
    return NextTokens(prompt, model, tokens, note)


@dataclass
class Samplings(_Shown):
    """The same prompt answered several times at each temperature."""

    prompt: str
    model: str
    texts: list[tuple[float, str]] = field(default_factory=list)
    note: str = ""

    def __str__(self) -> str:
        lines = [f"« {self.prompt} » ({self.model}), plusieurs tirages par température :"]
        lines += [f"  T = {nombre(t):<4} → {' '.join(x.split())}" for t, x in self.texts]
        return self._text(lines)

    def _repr_html_(self) -> str:
        return self._html(
            f"« {html.escape(self.prompt)} » ({html.escape(self.model)}), plusieurs tirages "
            "par température :",
            (f"<td style='white-space:nowrap'>T = {nombre(t)}</td><td>{html.escape(x)}</td>"
             for t, x in self.texts),
        )  # fmt: skip


def sample(
    prompt: str,
    temperatures: tuple[float, ...] = (0, 0.7, 1.5),
    *,
    n: int = 3,
    max_tokens: int = 20,
    fallback: str = "nous vous",
) -> Samplings:
    """*n* continuations of *prompt* per temperature (the n-gram stand-in without a model)."""
    endpoint = local_endpoint()
    if endpoint is None:
        from toolkit.demos.ngram import NGramModel

        stand_in = NGramModel.from_corpus(n=2)
        # Each temperature gets its own fixed seeds: shared draws would make T = 0.7 and
        # T = 1.5 read alike, while the notebook shows variety growing with temperature.
        texts = [
            (t, stand_in.generate(fallback, length=max_tokens, temperature=t,
                               seed=_SEED_BASE + round(t * 100) * max(1, n) + k))
            for t in temperatures
            for k in range(max(1, n))
        ]
        return Samplings(fallback, "2-grammes du cours, tirages simulés", texts,
                         f"{_FALLBACK} {_SIMULATED} {_variety(texts)}")
    url, model = endpoint
    out = Samplings(prompt, model)
    for t in temperatures:
        for k in range(n):
            r = _call(url, lambda c, t=t, k=k: c.completions.create(
                model=model, prompt=prompt, max_tokens=max_tokens, temperature=t, seed=k + 1,
            ))  # fmt: skip
            out.texts.append((t, r.choices[0].text))
    return out


@dataclass
class Facts(_Shown):
    """Questions with a known answer, what the model said, and whether it was right."""

    model: str
    rows: list[tuple[str, str, str, bool]]  # (question, answer, expected, right)
    note: str = ""

    @property
    def wrong(self) -> int:
        return sum(not right for *_, right in self.rows)

    def __str__(self) -> str:
        lines = [f"Questions de culture générale posées à {self.model} :"]
        for q, a, expected, right in self.rows:
            mark = "✔" if right else "✘"
            lines.append(f"{mark} {q}\n    réponse : {' '.join(a.split())[:160]}\n    "
                         f"attendu : {expected}")  # fmt: skip
        lines.append(f"{pluriel(self.wrong, 'réponse fausse', aucun='aucune réponse fausse')} "
                     f"sur {len(self.rows)}.")
        return self._text(lines)

    def _repr_html_(self) -> str:
        return self._html(
            f"Questions de culture générale posées à <b>{html.escape(self.model)}</b> "
            f"({pluriel(self.wrong, 'fausse', aucun='aucune fausse')} sur {len(self.rows)})"
            "\u00a0:",
            (f"<td>{'✅' if right else '❌'}</td><td>{html.escape(q)}</td>"
             f"<td>{html.escape(a)}</td><td>{html.escape(e)}</td>" for q, a, e, right in self.rows),
            "<tr><th></th><th>question</th><th>réponse du modèle</th><th>bonne réponse</th></tr>",
        )  # fmt: skip


def hallucination(
    questions: tuple[tuple[str, str], ...] = FACT_QUESTIONS, *, max_tokens: int = 30
) -> Facts | None:
    """Ask the local model questions with known answers (temperature 0); None without one."""
    endpoint = local_endpoint()
    if endpoint is None:
        return None
    url, model = endpoint
    rows = []
    for question, expected in questions:
        r = _call(url, lambda c, q=question: c.chat.completions.create(
            model=model, messages=[{"role": "user", "content": q}], temperature=0,
            max_tokens=max_tokens,
        ))  # fmt: skip
        answer = (r.choices[0].message.content or "").strip()
        rows.append((question, answer, expected, expected.lower() in answer.lower()))
    note = (
        "Le modèle répond sur le même ton assuré, qu'il ait raison ou tort : il produit une "
        "suite plausible, il ne vérifie rien."
    )
    return Facts(model, rows, note)
