"""One backend per LLM mode (offline, replay, live, record) behind one small interface.

A backend takes a frozen :class:`Request` (what is sent: messages already masked by the
confidentiality policy) and a :class:`Deadline`, and returns an :class:`Answer` (or a
:class:`Picture`) or raises a :mod:`toolkit.errors` class.  :func:`choose_backend` picks one
from the settings; :func:`use_backend` swaps it, the way httpx tests swap a transport.
Budget, privacy, display and usage stay in :mod:`toolkit.llm.client`.  A new backend (a
local llama.cpp server, routing by data classification) is one more class here.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from toolkit.config import Settings, simulated_model
from toolkit.errors import ReplayMissError
from toolkit.llm import offline, tokens
from toolkit.llm.answer import Answer, Picture
from toolkit.llm.pricing import load_prices

__all__ = [
    "Backend",
    "Deadline",
    "LiveBackend",
    "OfflineBackend",
    "RecordBackend",
    "ReplayBackend",
    "Request",
    "Sink",
    "choose_backend",
    "use_backend",
]


class Deadline:
    """The moment by which a call must have ended (``time.monotonic`` clock)."""

    __slots__ = ("at", "seconds", "shown")

    def __init__(self, seconds: float, shown: float | None = None):
        self.seconds = seconds
        #: The length named in messages (the nominal deadline, before any safety margin).
        self.shown = seconds if shown is None else shown
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g} s, {self.remaining():.2f} s left)"


class Sink(Protocol):
    """Where a streamed answer goes while it arrives (a notebook cell, a terminal)."""

    def __call__(self, delta: str) -> None: ...  # one more piece of text

    def restart(self) -> None: ...  # a retry starts again from nothing

    def finish(self, answer: Answer) -> None: ...

    def fail(self) -> None: ...  # the call ended with an error: remove the preview


@dataclass(frozen=True)
class Request:
    """What one call sends: the messages after the privacy policy, and its options."""

    kind: str = "chat"  # "chat" or "image"
    messages: tuple[dict, ...] = ()
    model: str = ""
    #: The caller named the model (then it is part of the cassette key).
    model_chosen: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    stream: bool = False
    prompt: str | None = None  # image requests
    size: str | None = None  # image requests
    #: Offline only: a prepared answer, still labelled as simulated.
    simulated: str | None = None
    #: Offline only: local descriptions of the attached images.
    image_descriptions: tuple[str, ...] = ()
    #: Replay only: keys to try after :meth:`key` (the unmasked request, recorded against an
    #: endpoint the policy exempts).
    fallback_keys: tuple[str, ...] = field(default=(), compare=False)

    def normalised(self) -> dict:
        """The request as keyed in cassettes: only what changes the answer, nothing secret."""
        from toolkit.llm.replay import normalise_request

        chosen = self.model if self.model_chosen else None
        if self.kind == "image":
            return normalise_request("image", prompt=self.prompt, size=self.size, model=chosen)
        return normalise_request(
            "chat", list(self.messages), model=chosen, temperature=self.temperature
        )

    def key(self) -> str:
        from toolkit.llm.replay import request_key

        return request_key(self.normalised())

    def first_user_text(self, width: int = 60) -> str:
        if self.kind == "image":
            return _shorten(self.prompt or "", width)
        for m in self.messages:
            if m.get("role") == "user":
                content = m.get("content")
                if isinstance(content, list):
                    content = " ".join(
                        p.get("text", "") for p in content if p.get("type") == "text"
                    )
                return _shorten(str(content), width)
        return ""


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class Backend(Protocol):
    """The interface every mode implements."""

    mode: str

    def complete(self, request: Request, deadline: Deadline, *, sink: Sink | None = None) -> Answer:
        """The answer to a chat request (tokens left ``None`` when unknown)."""
        ...

    def draw(self, request: Request, deadline: Deadline) -> Picture:
        """The picture for an image request."""
        ...


class OfflineBackend:
    """Deterministic, labelled simulated answers: no network, no key."""

    mode = "offline"

    def __init__(self, s: Settings):
        self.settings = s

    def complete(self, request: Request, deadline: Deadline, *, sink: Sink | None = None) -> Answer:
        if request.simulated is not None:
            sim = request.simulated
            text = sim if sim.startswith(offline.LABEL) else f"{offline.LABEL} {sim}"
        else:
            text = offline.simulate_chat(
                list(request.messages), list(request.image_descriptions) or None
            )
        finish = "stop"
        completion = tokens.count_tokens(text, request.model)
        if request.max_tokens is not None and completion > request.max_tokens:
            # Simulated answers obey max_tokens too, so budgets behave as they do live.
            text = tokens.truncate(text, request.max_tokens, request.model)
            completion, finish = request.max_tokens, "length"
        return Answer(
            text=text,
            mode=self.mode,
            model=simulated_model(request.model),
            prompt_tokens=None,
            completion_tokens=completion,
            cost=0.0,
            finish_reason=finish,
            currency=load_prices(self.settings.prices_file).currency,
        )

    def draw(self, request: Request, deadline: Deadline) -> Picture:
        try:
            w, h = (int(x) for x in (request.size or "1024x1024").lower().split("x"))
            asked: str | None = f"{w}x{h}"
        except ValueError:
            w = h = 1024
            asked = None
        scale = 512 / max(w, h)
        img = offline.simulate_image(
            request.simulated or request.prompt or "", (int(w * scale), int(h * scale))
        )
        return Picture(
            image=img,
            prompt=request.prompt or "",
            mode=self.mode,
            model=simulated_model(request.model),
            cost=0.0,
            currency=load_prices(self.settings.prices_file).currency,
            # The preview is at most 512 px wide: the display says so next to the size asked.
            requested=asked,
        )


class ReplayBackend:
    """Answers recorded beforehand with ``atelier record``; a miss says how to record it."""

    mode = "replay"

    def __init__(self, s: Settings, store=None):
        self.settings = s
        self.store = store if store is not None else cassette_store(s)

    def _recorded(self, request: Request) -> dict | None:
        for key in (request.key(), *request.fallback_keys):
            recorded = self.store.get(key)
            if recorded is not None:
                return recorded
        return None

    def complete(self, request: Request, deadline: Deadline, *, sink: Sink | None = None) -> Answer:
        recorded = self._recorded(request)
        if recorded is None:
            raise ReplayMissError(
                f"Aucune réponse enregistrée pour la demande « {request.first_user_text()} » "
                f"(dossier {self.settings.cassette_dir}).",
                "Enregistrez-la avec un accès au modèle : "
                "« atelier record CHEMIN/DU/NOTEBOOK.ipynb »,"
                " ou passez en mode hors ligne (ATELIER_MODE=offline).",
            )
        prices = load_prices(self.settings.prices_file)
        model = recorded.get("model", request.model)
        p_tok = recorded.get("prompt_tokens")
        c_tok = recorded.get("completion_tokens") or tokens.count_tokens(recorded["text"], model)
        # The cost shown is the one live showed when recorded (a local model: free), not a
        # price looked up again for a model name the price table may not know.
        if "cost" in recorded:
            cost = recorded["cost"]
        else:
            cost = prices.chat_cost(model, p_tok, c_tok) if p_tok is not None else None
        return Answer(
            text=recorded["text"],
            mode=self.mode,
            model=model,
            prompt_tokens=p_tok,
            completion_tokens=c_tok,
            cost=cost,
            finish_reason=recorded.get("finish_reason"),
            currency=recorded.get("currency", prices.currency),
            complete=recorded.get("complete", True),
        )

    def draw(self, request: Request, deadline: Deadline) -> Picture:
        import base64
        import io

        from PIL import Image

        recorded = self._recorded(request)
        if recorded is None:
            raise ReplayMissError(
                f"Aucune image enregistrée pour « {(request.prompt or '')[:60]} » "
                f"(dossier {self.settings.cassette_dir}).",
                "Enregistrez-la avec « atelier record NOTEBOOK.ipynb », ou passez en mode hors "
                "ligne (ATELIER_MODE=offline).",
            )
        img = Image.open(io.BytesIO(base64.b64decode(recorded["png_b64"])))
        img.load()
        prices = load_prices(self.settings.prices_file)
        model = recorded.get("model", request.model)
        return Picture(
            image=img,
            prompt=request.prompt or "",
            mode=self.mode,
            model=model,
            cost=recorded["cost"] if "cost" in recorded else prices.image_cost(model),
            currency=recorded.get("currency", prices.currency),
        )


class LiveBackend:
    """The ``openai`` SDK against any OpenAI-compatible endpoint, within the deadline."""

    mode = "live"

    def __init__(self, s: Settings):
        from toolkit.llm import live

        self.settings = s
        # Built (SDK imported, key checked) before the call's deadline starts to run.
        live.client_for(s)

    def _cost(self, model: str, p_tok: int | None, c_tok: int | None) -> float | None:
        if self.settings.is_local:
            return 0.0
        if p_tok is None or c_tok is None:
            return None
        return load_prices(self.settings.prices_file).chat_cost(model, p_tok, c_tok)

    def complete(self, request: Request, deadline: Deadline, *, sink: Sink | None = None) -> Answer:
        from toolkit.llm import live

        result = live.chat(self.settings, request, deadline, sink=sink)
        return Answer(
            text=result.text,
            mode=self.mode,
            model=result.model,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            cost=self._cost(result.model, result.prompt_tokens, result.completion_tokens),
            finish_reason=result.finish_reason,
            currency=load_prices(self.settings.prices_file).currency,
            complete=result.complete,
            warnings=list(result.notes),
        )

    def draw(self, request: Request, deadline: Deadline) -> Picture:
        import io

        from PIL import Image

        from toolkit.llm import live

        data = live.generate_image(self.settings, request, deadline)
        img = Image.open(io.BytesIO(data))
        img.load()
        prices = load_prices(self.settings.prices_file)
        cost = 0.0 if self.settings.is_local else prices.image_cost(request.model)
        picture = Picture(
            image=img,
            prompt=request.prompt or "",
            mode=self.mode,
            model=request.model,
            cost=cost,
            currency=prices.currency,
        )
        picture._png = data
        return picture


class RecordBackend(LiveBackend):
    """Live, and every answer kept as a cassette keyed by the request as sent."""

    mode = "record"

    def __init__(self, s: Settings, store=None, cassette: str | None = None):
        super().__init__(s)
        self.store = store if store is not None else cassette_store(s)
        self.cassette = cassette or cassette_name(s)

    def complete(self, request: Request, deadline: Deadline, *, sink: Sink | None = None) -> Answer:
        answer = super().complete(request, deadline, sink=sink)
        self.store.put(
            self.cassette,
            request.key(),
            request.normalised(),
            {
                "text": answer.text,
                "model": answer.model,
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
                "finish_reason": answer.finish_reason,
                "cost": answer.cost,
                "currency": answer.currency,
                "complete": answer.complete,
            },
        )
        return answer

    def draw(self, request: Request, deadline: Deadline) -> Picture:
        import base64

        picture = super().draw(request, deadline)
        png = picture._png or b""  # the live draw above always sets it
        self.store.put(
            self.cassette,
            request.key(),
            request.normalised(),
            {
                "png_b64": base64.b64encode(png).decode("ascii"),
                "model": picture.model,
                "cost": picture.cost,
                "currency": picture.currency,
            },
        )
        return picture


_BACKENDS: dict[str, Callable[[Settings], Any]] = {
    "offline": OfflineBackend,
    "replay": ReplayBackend,
    "live": LiveBackend,
    "record": RecordBackend,
}
_override: contextvars.ContextVar[Backend | None] = contextvars.ContextVar(
    "atelier_backend", default=None
)
_stores: dict[Path, Any] = {}


def choose_backend(s: Settings) -> Backend:
    """The backend for these settings (or the one installed by :func:`use_backend`)."""
    chosen = _override.get()
    if chosen is not None:
        return chosen
    return _BACKENDS[s.mode](s)


@contextmanager
def use_backend(backend: Backend) -> Iterator[Backend]:
    """Route every call made inside the block to *backend* (tests, demos)."""
    token = _override.set(backend)
    try:
        yield backend
    finally:
        _override.reset(token)


def cassette_store(s: Settings):
    """The cassette store for ``s.cassette_dir`` (one per folder and process)."""
    from toolkit.llm.replay import CassetteStore

    root = s.cassette_dir.resolve()
    if root not in _stores:
        _stores[root] = CassetteStore(root)
    return _stores[root]


def cassette_name(s: Settings) -> str:
    """The folder a recording goes to: ATELIER_CASSETTE, else the notebook's name."""
    if s.cassette_name:
        return s.cassette_name
    import os

    session = os.environ.get("JPY_SESSION_NAME")  # set by Jupyter for notebook kernels
    return Path(session).stem if session else "default"
