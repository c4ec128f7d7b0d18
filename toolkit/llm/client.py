"""``ask``, ``chat`` and ``draw``: one interface over the three modes.

The mode comes from :func:`toolkit.config.settings` at every call (``ATELIER_MODE``, or live
when a key or base URL is configured, else offline).  This module owns the session's usage
and budget, the confidentiality check before a prompt leaves the machine, cassettes in
record / replay mode, and streaming into a notebook cell.
"""

from __future__ import annotations

import base64
import io
import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import Settings, settings
from toolkit.errors import BudgetExceededError, InputError, PrivacyBlockedError, ReplayMissError
from toolkit.llm import offline, tokens
from toolkit.llm.answer import Answer, Picture, format_cost
from toolkit.llm.pricing import load_prices

__all__ = ["Usage", "ask", "chat", "draw", "estimate_cost", "reset_session", "usage"]

log = logging.getLogger("toolkit.llm")

MODE_NOTICES = {
    "offline": "Mode hors ligne ({reason}) : les réponses sont simulées, aucun modèle n'est "
    "appelé. Pour un vrai modèle, configurez OPENAI_API_KEY ou OPENAI_BASE_URL (voir le README).",
    "replay": "Mode rejoué ({reason}) : les réponses viennent d'enregistrements faits à "
    "l'avance avec « atelier record ».",
    "live": "Mode en direct ({reason}) : modèle {model} sur {endpoint}.",
    "record": "Mode enregistrement ({reason}) : modèle {model} sur {endpoint} ; chaque réponse "
    "est enregistrée pour être rejouée hors ligne.",
}


@dataclass
class Usage:
    """Tokens and estimated cost used in this session (this Python process)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    budget_tokens: int | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def remaining(self) -> int | None:
        if self.budget_tokens is None:
            return None
        return max(self.budget_tokens - self.total_tokens, 0)

    def __str__(self) -> str:
        budget = (
            f" sur un budget de {self.budget_tokens} ({self.remaining} restants)"
            if self.budget_tokens
            else " (pas de budget fixé)"
        )
        return (
            f"{self.calls} appel(s), {self.total_tokens} jetons{budget}, "
            f"coût estimé {format_cost(self.cost)}"
        )

    def _repr_html_(self) -> str:
        return f"<p>📊 {self}</p>"


_lock = threading.Lock()
_usage = Usage()
_announced: set[str] = set()
_stores: dict[Path, object] = {}


def usage() -> Usage:
    """This session's usage, with the current budget."""
    _usage.budget_tokens = settings().budget_tokens
    return _usage


def reset_session() -> None:
    """Forget usage and announcements (a new session; used by tests and ``atelier``)."""
    global _usage
    with _lock:
        _usage = Usage()
        _announced.clear()


def _store(s: Settings):
    from toolkit.llm.replay import CassetteStore

    root = s.cassette_dir.resolve()
    if root not in _stores:
        _stores[root] = CassetteStore(root)
    return _stores[root]


def _cassette_name(s: Settings) -> str:
    if s.cassette_name:
        return s.cassette_name
    import os

    session = os.environ.get("JPY_SESSION_NAME")  # set by Jupyter for notebook kernels
    return Path(session).stem if session else "default"


def _check_budget(s: Settings, prompt_tokens: int) -> None:
    if s.budget_tokens is None:
        return
    used = _usage.total_tokens
    if used >= s.budget_tokens or used + prompt_tokens > s.budget_tokens:
        raise BudgetExceededError(
            f"Le budget de la session ({s.budget_tokens} jetons) est atteint : {used} jetons "
            f"déjà utilisés, et cette demande en compte {prompt_tokens}.",
            "Augmentez ATELIER_BUDGET_TOKENS, ou redémarrez le noyau pour ouvrir une nouvelle "
            "session ; vérifiez d'abord qu'aucune boucle n'appelle le modèle sans fin.",
        )


def _record_usage(prompt_tokens: int, completion_tokens: int, cost: float | None) -> None:
    with _lock:
        _usage.calls += 1
        _usage.prompt_tokens += prompt_tokens
        _usage.completion_tokens += completion_tokens
        _usage.cost += cost or 0.0


def _notice(s: Settings, model: str) -> str | None:
    if s.mode in _announced:
        return None
    _announced.add(s.mode)
    return MODE_NOTICES[s.mode].format(reason=s.mode_reason, model=model, endpoint=s.endpoint)


def _image_part(path) -> tuple[dict, Path]:
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"Image introuvable : {p}.", "Vérifiez le chemin du fichier (relatif au notebook)."
        )
    mime = {
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
    }.get(p.suffix.lower())
    if mime is None:
        raise InputError(
            f"Format d'image non pris en charge : {p.name}.",
            "Utilisez une image PNG, JPEG, GIF ou WebP.",
        )
    data = base64.b64encode(p.read_bytes()).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{data}"}}, p


def _in_notebook() -> bool:
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class _CellStream:
    """Shows a streamed answer in the notebook cell while it arrives."""

    def __init__(self, badge: str):
        from IPython.display import HTML, display

        self._html = HTML
        self._badge = badge
        self._last = 0.0
        self.handle = display(HTML(self._render("…")), display_id=True)

    def _render(self, text: str) -> str:
        import html as _h

        return (
            f"<div style='border-left:4px solid #1e7d45;padding:4px 10px'>"
            f"<div style='font-size:85%;color:#555'>{self._badge} · réponse en cours…</div>"
            f"<div style='white-space:pre-wrap'>{_h.escape(text)}</div></div>"
        )

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self.handle.update(self._html(self._render(text)))

    def finish(self, answer: Answer) -> None:
        from IPython import get_ipython

        self.handle.update(answer._repr_mimebundle_(), raw=True)
        shell = get_ipython()
        answer._shown_in = shell.execution_count if shell is not None else None


class _TerminalStream:
    def __init__(self):
        self._printed = 0

    def __call__(self, text: str) -> None:
        sys.stdout.write(text[self._printed :])
        sys.stdout.flush()
        self._printed = len(text)

    def finish(self, answer: Answer) -> None:
        sys.stdout.write(answer.text[self._printed :] + "\n")
        sys.stdout.flush()


_SEP = "\n\n\u2063\u2063\u2063\n\n"  # invisible separator between messages while scanning


def _privacy(s: Settings, messages: list[dict]):
    """Run the confidentiality guard on what would leave the machine.

    Returns the messages to send (masked when the policy says so) and the guard's result.
    All non-assistant texts are checked together so placeholders stay consistent.
    """
    if s.privacy == "off":
        return messages, None
    try:
        from toolkit.privacy.policy import guard, is_local_endpoint
    except ImportError:  # the guard is optional at import time (lighter installs)
        return messages, None
    slots = [
        i
        for i, m in enumerate(messages)
        if m.get("role") != "assistant" and isinstance(m.get("content"), str)
    ]
    text = _SEP.join(messages[i]["content"] for i in slots)
    if not text.strip():
        return messages, None
    local = is_local_endpoint(s.azure_endpoint or s.base_url, [])
    sending = s.mode in ("live", "record")
    # Offline and replay only show what would happen: structured identifiers are checked,
    # person names (a language model that takes seconds to load) only when text really leaves.
    result = guard(text, policy=s.privacy, local=local, ner=None if sending else False)
    if not sending:
        return messages, result
    if result.action == "blocked":
        raise PrivacyBlockedError(
            result.message,
            "Masquez ces données (toolkit.privacy.mask) ou retirez-les, puis relancez la cellule.",
        )
    if result.action == "masked":
        pieces = result.text.split(_SEP)
        if len(pieces) != len(slots):
            raise PrivacyBlockedError(
                "Le masquage des données personnelles a échoué ; rien n'a été envoyé.",
                "Masquez les données à la main ou retirez-les, puis relancez la cellule.",
            )
        messages = [dict(m) for m in messages]
        for i, piece in zip(slots, pieces, strict=True):
            messages[i]["content"] = piece
    return messages, result


def _privacy_warning(s: Settings, result) -> list[str]:
    if result is None or result.action in ("none", "exempt"):
        return []
    message = str(getattr(result, "message", "") or "")
    if s.mode not in ("live", "record") and message:
        return [
            f"En mode {('hors ligne' if s.mode == 'offline' else 'rejoué')}, rien n'est "
            f"parti ; en direct, voici ce qui se passerait : {message}"
        ]
    return [message] if message else []


def chat(
    messages: list[dict],
    *,
    model: str | None = None,
    temperature: float | None = None,
    images=None,
    stream: bool | None = None,
    simulated: str | None = None,
    classification: str | None = None,
) -> Answer:
    """Send a conversation (OpenAI-style ``messages``) and return the :class:`Answer`.

    ``images`` are attached to the last user message. ``stream=None`` streams live answers
    when running in a notebook. ``simulated`` is a prepared answer used in offline mode only
    (still labelled as simulated). ``classification`` (``public``, ``interne``,
    ``confidentiel``, ``secret``) decides where the prompt may go (:mod:`toolkit.llm.routing`).
    """
    if not isinstance(messages, list) or not messages:
        raise InputError(
            "La conversation est vide.",
            "Passez une liste de messages [{'role': 'user', 'content': '...'}].",
        )
    s = settings()
    chosen_model = model
    model_name = model or s.model
    messages = [dict(m) for m in messages]
    image_paths: list[Path] = []
    if images:
        parts = []
        for path in images if isinstance(images, (list, tuple)) else [images]:
            part, p = _image_part(path)
            parts.append(part)
            image_paths.append(p)
        last = messages[-1]
        text = last.get("content") or ""
        last["content"] = [{"type": "text", "text": text}, *parts]

    counted = messages

    def count_prompt() -> int:
        # Counted here (pure-Python BPE) only when needed: a budget to check, offline mode, or
        # an endpoint that reports no usage.
        return tokens.count_messages(counted, model_name)

    prompt_tokens: int | None = None
    if s.budget_tokens is not None or s.mode == "offline":
        prompt_tokens = count_prompt()
        _check_budget(s, prompt_tokens)
    route = None
    route_notes: list[str] = []
    if s.mode in ("live", "record"):  # routing by classification, fail-closed (issue 14)
        from toolkit.llm import local as _local

        s, route, messages, privacy, route_notes = _local.route(
            s, messages, classification, model_name, _privacy
        )
        if route.endpoint.role == "local":
            model_name = chosen_model = route.endpoint.model
    else:
        messages, privacy = _privacy(s, messages)
    warnings = _privacy_warning(s, privacy) + route_notes
    prices = load_prices(s.prices_file)
    notice = _notice(s, model_name)
    start = time.perf_counter()

    if s.mode == "offline":
        if simulated is not None:
            text = (
                simulated if simulated.startswith(offline.LABEL) else f"{offline.LABEL} {simulated}"
            )
        else:
            descriptions = [offline.describe_image_offline(p) for p in image_paths]
            text = offline.simulate_chat(messages, descriptions or None)
        completion = tokens.count_tokens(text, model_name)
        answer = Answer(
            text,
            "offline",
            f"simulation ({model_name})",
            prompt_tokens,
            completion,
            0.0,
            time.perf_counter() - start,
            "stop",
            prices.currency,
            notice,
            warnings,
            privacy,
        )
        _record_usage(prompt_tokens, completion, 0.0)
        return answer

    request = key = None
    if s.mode in ("replay", "record"):
        from toolkit.llm.replay import normalise_request, request_key

        request = normalise_request("chat", messages, model=chosen_model, temperature=temperature)
        key = request_key(request)

    if s.mode == "replay":
        recorded = _store(s).get(key)
        if recorded is None:
            first = _first_user_text(messages)
            raise ReplayMissError(
                f"Aucune réponse enregistrée pour la demande « {first} » "
                f"(dossier {s.cassette_dir}).",
                "Enregistrez-la avec un accès au modèle : "
                "« atelier record CHEMIN/DU/NOTEBOOK.ipynb »,"
                " ou passez en mode hors ligne (ATELIER_MODE=offline).",
            )
        p_tok = recorded.get("prompt_tokens") or prompt_tokens or count_prompt()
        c_tok = recorded.get("completion_tokens") or tokens.count_tokens(
            recorded["text"], model_name
        )
        cost = prices.chat_cost(recorded.get("model", model_name), p_tok, c_tok)
        answer = Answer(
            recorded["text"],
            "replay",
            recorded.get("model", model_name),
            p_tok,
            c_tok,
            cost,
            time.perf_counter() - start,
            recorded.get("finish_reason"),
            prices.currency,
            notice,
            warnings,
            privacy,
        )
        _record_usage(p_tok, c_tok, cost)
        return answer

    from toolkit.llm import live

    if stream is None:
        stream = _in_notebook()
    sink = None
    if stream:
        badge = route.badge if route is not None else f"en direct · {model_name}"
        sink = _CellStream(badge) if _in_notebook() else _TerminalStream()
    result = _local.call(
        route,
        s,
        lambda: live.chat(s, messages, model=model_name, temperature=temperature, on_delta=sink),
    )
    latency = time.perf_counter() - start
    text = result.text
    if privacy is not None and privacy.action == "masked" and getattr(privacy, "mapping", None):
        from toolkit.privacy import unmask

        text = unmask(text, privacy.mapping)
    p_tok = result.prompt_tokens if result.prompt_tokens is not None else count_prompt()
    c_tok = (
        result.completion_tokens
        if result.completion_tokens is not None
        else tokens.count_tokens(result.text, model_name)
    )
    cost = 0.0 if s.is_local else prices.chat_cost(result.model, p_tok, c_tok)
    answer = Answer(
        text,
        s.mode,
        result.model,
        p_tok,
        c_tok,
        cost,
        latency,
        result.finish_reason,
        prices.currency,
        notice,
        warnings,
        privacy,
        origin=route.badge if route is not None else None,
    )
    _record_usage(p_tok, c_tok, cost)
    if s.mode == "record":
        _store(s).put(
            _cassette_name(s),
            key,
            request,
            {
                "text": result.text,
                "model": result.model,
                "prompt_tokens": p_tok,
                "completion_tokens": c_tok,
                "finish_reason": result.finish_reason,
            },
        )
    if sink is not None:
        sink.finish(answer)
    log.debug(
        "chat %s model=%s tokens=%d+%d latency=%.2fs", s.mode, result.model, p_tok, c_tok, latency
    )
    return answer


def _first_user_text(messages: list[dict], width: int = 60) -> str:
    for m in messages:
        if m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):
                content = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
            flat = " ".join(str(content).split())
            return flat if len(flat) <= width else flat[: width - 1] + "…"
    return ""


def ask(
    prompt: str,
    *,
    system: str | None = None,
    model: str | None = None,
    temperature: float | None = None,
    images=None,
    stream: bool | None = None,
    simulated: str | None = None,
    classification: str | None = None,
) -> Answer:
    """Ask the configured model one question; see :func:`chat` for the options."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise InputError("Le prompt est vide.", "Écrivez votre demande entre les guillemets.")
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    return chat(
        messages,
        model=model,
        temperature=temperature,
        images=images,
        stream=stream,
        simulated=simulated,
        classification=classification,
    )


def draw(
    prompt: str, *, size: str = "1024x1024", model: str | None = None, simulated: str | None = None
) -> Picture:
    """Generate an image (live: the images API; offline: a labelled placeholder drawn here)."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise InputError("La description de l'image est vide.", "Décrivez l'image à produire.")
    s = settings()
    model_name = model or s.image_model
    prices = load_prices(s.prices_file)
    notice = _notice(s, model_name)
    start = time.perf_counter()
    prompt_tokens = tokens.count_tokens(prompt, None)
    _check_budget(s, prompt_tokens)
    if s.mode in ("live", "record"):  # no local image model: confidential prompts stay here
        from toolkit.llm import local as _local
        from toolkit.llm import routing

        level, why = routing.requested_level(None, s.classification)
        routing.decide(
            level, _local.endpoints(s, model_name)[0], None, _local.inhouse_predicate(s), why
        )
    _, privacy = _privacy(s, [{"role": "user", "content": prompt}])
    warnings = _privacy_warning(s, privacy)
    if s.mode == "offline":
        try:
            w, h = (int(x) for x in size.lower().split("x"))
        except ValueError:
            w = h = 1024
        scale = 512 / max(w, h)
        img = offline.simulate_image(simulated or prompt, (int(w * scale), int(h * scale)))
        _record_usage(prompt_tokens, 0, 0.0)
        return Picture(
            img,
            prompt,
            "offline",
            f"simulation ({model_name})",
            0.0,
            time.perf_counter() - start,
            prices.currency,
            notice,
            warnings,
        )
    from PIL import Image

    from toolkit.llm.replay import normalise_request, request_key

    request = normalise_request("image", prompt=prompt, size=size, model=model)
    key = request_key(request)
    if s.mode == "replay":
        recorded = _store(s).get(key)
        if recorded is None:
            raise ReplayMissError(
                f"Aucune image enregistrée pour « {prompt[:60]} » (dossier {s.cassette_dir}).",
                "Enregistrez-la avec « atelier record NOTEBOOK.ipynb », ou passez en mode hors "
                "ligne (ATELIER_MODE=offline).",
            )
        data = base64.b64decode(recorded["png_b64"])
        used_model = recorded.get("model", model_name)
    else:
        from toolkit.llm import live

        data = live.generate_image(s, prompt, model=model_name, size=size)
        used_model = model_name
        if s.mode == "record":
            _store(s).put(
                _cassette_name(s),
                key,
                request,
                {"png_b64": base64.b64encode(data).decode("ascii"), "model": used_model},
            )
    img = Image.open(io.BytesIO(data))
    img.load()
    cost = 0.0 if s.is_local else prices.image_cost(used_model)
    _record_usage(prompt_tokens, 0, cost)
    return Picture(
        img,
        prompt,
        "replay" if s.mode == "replay" else s.mode,
        used_model,
        cost,
        time.perf_counter() - start,
        prices.currency,
        notice,
        warnings,
    )


def estimate_cost(
    prompt: str, completion_tokens: int = 300, model: str | None = None
) -> float | None:
    """Estimated cost in the price table's currency of one call with this prompt (None: unknown)."""
    s = settings()
    model_name = model or s.model
    if s.mode == "offline" or s.is_local:
        return 0.0
    p_tok = tokens.count_messages([{"role": "user", "content": prompt}], model_name)
    return load_prices(s.prices_file).chat_cost(model_name, p_tok, completion_tokens)
