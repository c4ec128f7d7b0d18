"""``ask``, ``chat`` and ``draw``: one interface over the modes, and the steps they share.

The mode comes from :func:`toolkit.config.settings` at every call (``ATELIER_MODE``, or live
when a key or base URL is configured, else offline) and picks a backend
(:mod:`toolkit.llm.backends`).  This module owns what every mode shares: the budget
(reserved before the call, settled after), the confidentiality policy applied before a
prompt leaves the machine (or is keyed or recorded), the call's deadline, the display of a
streamed answer, and the session's usage.
"""

from __future__ import annotations

import base64
import dataclasses
import inspect
import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from toolkit.config import MODE_WORDS, Settings, mode_word, settings
from toolkit.errors import InputError, PrivacyBlockedError, RecordRefusedError
from toolkit.llm import offline, tokens
from toolkit.llm.answer import Answer, Picture
from toolkit.llm.backends import Deadline, Request, choose_backend
from toolkit.llm.budget import Ledger, Usage
from toolkit.llm.pricing import load_prices
from toolkit.llm.streaming import CellStream, TerminalStream, in_notebook

__all__ = ["Usage", "ask", "chat", "draw", "estimate_cost", "reset_session", "usage"]

log = logging.getLogger("toolkit.llm")

MODE_NOTICES = {
    "offline": f"Mode {MODE_WORDS['offline']} ({{reason}}) : les réponses sont simulées, aucun "
    "modèle n'est appelé. Pour un vrai modèle, configurez OPENAI_API_KEY ou OPENAI_BASE_URL "
    "(voir le README).",
    "replay": f"Mode {MODE_WORDS['replay']} ({{reason}}) : les réponses viennent "
    "d'enregistrements faits à l'avance avec « atelier record ».",
    "live": f"Mode {MODE_WORDS['live']} ({{reason}}) : modèle {{model}} sur {{endpoint}}.",
    "record": f"Mode {MODE_WORDS['record']} ({{reason}}) : modèle {{model}} sur {{endpoint}} ; "
    "chaque réponse est enregistrée pour être rejouée hors ligne.",
}


_ledger = Ledger()
_lock = threading.Lock()
_announced: set[str] = set()


def usage() -> Usage:
    """This session's usage (this participant's, when ATELIER_PARTICIPANT is set)."""
    s = settings()
    u = _ledger.usage(s.participant or "")
    u.budget_tokens = s.budget_tokens
    return u


def reset_session() -> None:
    """Forget usage and announcements (a new session; used by tests and ``atelier``)."""
    global _ledger
    with _lock:
        _ledger = Ledger()
        _announced.clear()


def _notice(s: Settings, model: str) -> str | None:
    with _lock:
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


_SEP = "\n\n\u2063\u2063\u2063\n\n"  # invisible separator between messages while scanning


def _apply_mask(messages: list[dict], slots: list[int], masked_text: str) -> list[dict]:
    pieces = masked_text.split(_SEP)
    if len(pieces) != len(slots):
        raise PrivacyBlockedError(
            "Le masquage des données personnelles a échoué ; rien n'a été envoyé.",
            "Masquez les données à la main ou retirez-les, puis relancez la cellule.",
        )
    messages = [dict(m) for m in messages]
    for i, piece in zip(slots, pieces, strict=True):
        messages[i]["content"] = piece
    return messages


def _privacy(s: Settings, messages: list[dict]):
    """Run the confidentiality guard on what would leave the machine (or be recorded).

    Returns the messages to send or key (masked when the policy says so), the guard's
    result, and, in replay, the other form of the messages to try as a fallback key.
    All non-assistant texts are checked together so placeholders stay consistent.
    """
    if s.privacy == "off":
        return messages, None, None
    try:
        from toolkit.privacy.policy import guard, is_local_endpoint
    except ImportError:  # the guard is optional at import time (lighter installs)
        return messages, None, None
    slots = [
        i
        for i, m in enumerate(messages)
        if m.get("role") != "assistant" and isinstance(m.get("content"), str)
    ]
    text = _SEP.join(messages[i]["content"] for i in slots)
    if not text.strip():
        return messages, None, None
    # A recording keeps the text in a plain file: the local-endpoint exemption does not
    # cover it, so record mode always scans.
    local = s.mode != "record" and is_local_endpoint(s.azure_endpoint or s.base_url, [])
    sending = s.mode in ("live", "record")
    if s.mode == "replay":
        # The key is computed on what record mode sent: masked under the mask policy, with
        # the same name detection, so a masked recording replays.
        if s.privacy == "mask":
            result = guard(text, policy="mask", local=False, ner=None)
            if result.action == "masked":
                return _apply_mask(messages, slots, result.text), result, messages
            return messages, result, None
        result = guard(text, policy=s.privacy, local=local, ner=False)
        other = None
        if result.findings:
            masked = guard(text, policy="mask", local=False, ner=False)
            if masked.action == "masked":
                other = _apply_mask(messages, slots, masked.text)
        return messages, result, other
    # Offline only shows what would happen: structured identifiers are checked, person names
    # (a language model that takes seconds to load) only when text really leaves.
    result = guard(text, policy=s.privacy, local=local, ner=None if sending else False)
    if s.mode == "record":
        _record_log(s, result)
    if not sending:
        return messages, result, None
    if result.action == "blocked":
        raise PrivacyBlockedError(
            result.message,
            "Masquez ces données (toolkit.privacy.mask) ou retirez-les, puis relancez la cellule.",
        )
    if (
        s.mode == "record"
        and result.findings
        and result.action != "masked"
        and not s.record_personal_data
    ):
        raise RecordRefusedError(
            f"Enregistrement refusé : {result.message}",
            "Enregistrez avec ATELIER_PRIVACY=mask (les données sont remplacées par des "
            "repères avant l'envoi et l'enregistrement), retirez ces données du notebook, "
            "ou, en connaissance de cause, « atelier record --allow-personal-data ».",
        )
    if result.action == "masked":
        messages = _apply_mask(messages, slots, result.text)
    return messages, result, None


def _record_log(s: Settings, result) -> None:
    """Note for ``atelier record`` what the policy found in this call (one JSON line)."""
    if s.record_log is None or not result.findings:
        return
    refused = result.action == "blocked" or (
        result.action != "masked" and not s.record_personal_data
    )
    entry = {
        "action": "refused" if refused else result.action,
        "count": len(result.findings),
        "message": result.message,
    }
    with _lock, open(s.record_log, "a", encoding="utf-8") as log_file:
        log_file.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _privacy_warning(s: Settings, result) -> list[str]:
    if result is None or result.action in ("none", "exempt"):
        return []
    message = str(getattr(result, "message", "") or "")
    if s.mode not in ("live", "record") and message:
        return [
            f"En mode {mode_word(s.mode)}, rien n'est parti ; {mode_word('live')}, voici ce "
            f"qui se passerait : {message}"
        ]
    return [message] if message else []


#: Above this many characters, completion tokens are estimated (4 characters a token): exact
#: pure-Python counting of a multi-megabyte answer would take seconds after the call ended.
EXACT_COUNT_CHARS = 100_000


def _estimate(messages: list[dict]) -> int:
    """Prompt tokens at 4 characters a token (for a cut answer, see chat)."""
    size = sum(len(str(m.get("content") or "")) for m in messages)
    return 3 + 3 * len(messages) + -(-size // 4)


def _count_completion(text: str, model: str) -> int:
    if len(text) > EXACT_COUNT_CHARS:
        return -(-len(text) // 4)
    return tokens.count_tokens(text, model)


def _deadline(s: Settings) -> Deadline:
    """Every call ends within twice ATELIER_TIMEOUT: connection, waits, retries, streaming.

    5 % (at most 0.25 s) is kept back for closing the connection and building the answer.
    """
    return Deadline(2 * s.timeout - min(0.25, 0.05 * s.timeout), shown=2 * s.timeout)


def _reserve(s: Settings, prompt_tokens: int | None, max_tokens: int | None):
    return _ledger.reserve(s.participant or "", prompt_tokens or 0, max_tokens, s.budget_tokens)


def chat(
    messages: list[dict],
    *,
    model: str | None = None,
    temperature: float | None = None,
    images=None,
    stream: bool | None = None,
    simulated: str | None = None,
    max_tokens: int | None = None,
    exemple: str | list[str] | tuple[str, ...] | None = None,
    classification: str | None = None,
) -> Answer:
    """Send a conversation (OpenAI-style ``messages``) and return the :class:`Answer`.

    ``images`` are attached to the last user message. ``stream=None`` streams live answers
    when running in a notebook. ``simulated`` is a prepared answer used in offline mode only
    (still labelled as simulated); ``exemple`` names one stored in ``toolkit/data/exemples``
    (:mod:`toolkit.course.prepared`), which says so when the prompt has changed; several
    keys (a prompt before and after improvement) show the one written for the prompt sent.
    ``max_tokens`` defaults to ATELIER_MAX_TOKENS.
    ``classification`` (``public``, ``interne``, ``confidentiel``, ``secret``) decides where
    the prompt may go (:mod:`toolkit.llm.routing`).
    """
    if not isinstance(messages, list) or not messages:
        raise InputError(
            "La conversation est vide.",
            "Passez une liste de messages [{'role': 'user', 'content': '...'}].",
        )
    s = settings()
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
        # Counted here (pure-Python BPE) only when needed: a budget to hold, offline mode, or
        # an endpoint that reports no usage.
        return tokens.count_messages(counted, model_name)

    prompt_tokens: int | None = None
    if s.budget_tokens is not None or s.mode == "offline":
        prompt_tokens = count_prompt()
    reservation = _reserve(s, prompt_tokens, max_tokens or s.max_tokens)
    route = None
    route_notes: list[str] = []
    try:
        if s.mode in ("live", "record"):  # routing by classification, fail-closed (issue 14)
            from toolkit.llm import local as _local

            s, route, sent, privacy, route_notes = _local.route(
                s, messages, classification, model_name, lambda s_, m: _privacy(s_, m)[:2]
            )
            other = None
            if route.endpoint.role == "local":
                model_name = route.endpoint.model
        else:
            sent, privacy, other = _privacy(s, messages)
    except BaseException:
        _ledger.release(reservation)
        raise
    if s.mode == "offline" and exemple is not None and simulated is None:
        from toolkit.course import prepared

        simulated = prepared.answer(exemple, messages)
    if stream is None:
        stream = in_notebook()
    stream = bool(stream) and s.mode in ("live", "record")
    request = Request(
        kind="chat",
        messages=tuple(sent),
        model=model_name,
        model_chosen=model is not None,
        temperature=temperature,
        max_tokens=reservation.max_tokens,
        stream=stream,
        simulated=simulated,
        image_descriptions=tuple(offline.describe_image_offline(p) for p in image_paths)
        if s.mode == "offline"
        else (),
        fallback_keys=(
            Request(
                messages=tuple(other),
                model=model_name,
                model_chosen=model is not None,
                temperature=temperature,
            ).key(),
        )
        if other is not None
        else (),
    )
    warnings = _privacy_warning(s, privacy) + route_notes
    notice = _notice(s, model_name)
    sink = None
    if stream:
        badge = route.badge if route is not None else f"en direct · {model_name}"
        sink = CellStream(badge) if in_notebook() else TerminalStream()
    start = time.perf_counter()
    try:
        backend = _local.backend_for(s, route) if route is not None else choose_backend(s)
        answer = backend.complete(request, _deadline(s), sink=sink)
    except BaseException:
        _ledger.release(reservation)
        if sink is not None:
            sink.fail()
        raise
    text = answer.text
    if privacy is not None and privacy.action == "masked" and getattr(privacy, "mapping", None):
        from toolkit.privacy import unmask

        text = unmask(text, privacy.mapping)
    # A cut answer has already used the call's time: its tokens are estimated rather than
    # counted (loading the tokenizer alone can take seconds on a busy machine).
    cut = not answer.complete
    if answer.prompt_tokens is not None:
        p_tok = answer.prompt_tokens
    elif prompt_tokens is not None:
        p_tok = prompt_tokens
    else:
        p_tok = _estimate(counted) if cut else count_prompt()
    if answer.completion_tokens is not None:
        c_tok = answer.completion_tokens
    else:
        c_tok = -(-len(answer.text) // 4) if cut else _count_completion(answer.text, model_name)
    answer = dataclasses.replace(
        answer,
        text=text,
        prompt_tokens=p_tok,
        completion_tokens=c_tok,
        latency=time.perf_counter() - start,
        notice=notice,
        warnings=[*warnings, *answer.warnings],
        privacy=privacy,
        origin=route.badge if route is not None else None,
    )
    _ledger.settle(reservation, p_tok, c_tok, answer.cost)
    if sink is not None:
        sink.finish(answer)
    log.debug(
        "chat %s model=%s tokens=%d+%d latency=%.2fs",
        s.mode,
        answer.model,
        p_tok,
        c_tok,
        answer.latency,
    )
    return answer


def ask(prompt: str, *, system: str | None = None, **options: Any) -> Answer:
    """Ask the configured model one question; see :func:`chat` for the options."""
    unknown = next((k for k in options if k not in _CHAT_OPTIONS), None)
    if unknown is not None:  # worded as Python words it, for the French explanation
        raise TypeError(f"ask() got an unexpected keyword argument '{unknown}'")
    if not isinstance(prompt, str) or not prompt.strip():
        raise InputError("Le prompt est vide.", "Écrivez votre demande entre les guillemets.")
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    return chat(messages, **options)


def _ask_signature() -> inspect.Signature:
    """``ask(prompt, *, system=None, <every keyword option of chat>)``, for tooltips.

    :func:`chat` declares the options once; ``ask`` shows them (Shift+Tab in JupyterLab,
    ``help(ask)``) without typing them a second time.
    """
    own = inspect.signature(ask).parameters
    chat_sig = inspect.signature(chat)
    return chat_sig.replace(parameters=[own["prompt"], own["system"], *_CHAT_OPTIONS.values()])


_CHAT_OPTIONS = {
    name: p for name, p in inspect.signature(chat).parameters.items() if p.kind is p.KEYWORD_ONLY
}
ask.__signature__ = _ask_signature()  # type: ignore[attr-defined]


def draw(
    prompt: str, *, size: str = "1024x1024", model: str | None = None, simulated: str | None = None
) -> Picture:
    """Generate an image (live: the images API; offline: a labelled placeholder drawn here)."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise InputError("La description de l'image est vide.", "Décrivez l'image à produire.")
    s = settings()
    model_name = model or s.image_model
    notice = _notice(s, model_name)
    start = time.perf_counter()
    prompt_tokens = tokens.count_tokens(prompt, None)
    reservation = _reserve(s, prompt_tokens, None)
    try:
        if s.mode in ("live", "record"):  # no local image model: confidential prompts stay here
            from toolkit.llm import local as _local
            from toolkit.llm import routing

            level, why = routing.requested_level(None, s.classification)
            routing.decide(
                level, _local.endpoints(s, model_name)[0], None, _local.inhouse_predicate(s), why
            )
        sent, privacy, _ = _privacy(s, [{"role": "user", "content": prompt}])
        request = Request(
            kind="image",
            model=model_name,
            model_chosen=model is not None,
            prompt=sent[0]["content"],
            size=size,
            simulated=simulated,
        )
        text_only = s.mode in ("live", "record") and _text_only_local(s)
        if text_only:  # llama.cpp serves text only: a labelled placeholder, drawn here
            from toolkit.llm.backends import OfflineBackend

            picture = OfflineBackend(s).draw(request, _deadline(s))
            notice = (
                "Le modèle local ne produit que du texte : l'image ci-dessus est un exemple "
                "dessiné sur cet ordinateur, pas une image générée. Pour générer des images, "
                "configurez un serveur d'images (OPENAI_BASE_URL)."
            )
        else:
            picture = choose_backend(s).draw(request, _deadline(s))
    except BaseException:
        _ledger.release(reservation)
        raise
    _ledger.settle(reservation, prompt_tokens, 0, picture.cost)
    return dataclasses.replace(
        picture,
        prompt=prompt,
        latency=time.perf_counter() - start,
        notice=notice,
        warnings=_privacy_warning(s, privacy),
    )


def _text_only_local(s: Settings) -> bool:
    """True when the configured endpoint is the local llama.cpp model (it has no images API)."""
    if not s.local_base_url or s.azure_endpoint:
        return False
    return (s.base_url or "").rstrip("/") == s.local_base_url.rstrip("/")


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
