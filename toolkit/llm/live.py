"""Live mode: the ``openai`` SDK against any OpenAI-compatible endpoint (or Azure OpenAI).

Every call ends by its :class:`~toolkit.llm.backends.Deadline`: a transport under the SDK
clamps connect/read/write timeouts to what is left, checks the clock between received
chunks, caps the body at ATELIER_MAX_RESPONSE_MB, and shuts the socket when the deadline
passes in the middle of a read.  The SDK's own retries are off; this module retries at most
``ATELIER_RETRIES`` times, on 429, 5xx and dropped connections, never on a timeout, and only
when the wait and a new attempt fit in what is left.  Replies are parsed here, so a web page,
bad JSON, non-UTF-8 bytes or an empty reply become :mod:`toolkit.errors` classes with a
French message.  The key (from the settings or written in the URL) never appears in one.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import heapq
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from toolkit.config import Settings, is_local_url, strip_userinfo
from toolkit.errors import (
    AuthenticationError,
    BadReplyError,
    BadRequestError,
    DeadlineExceededError,
    EmptyReplyError,
    EncodingReplyError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    HTMLReplyError,
    InvalidJSONError,
    LLMError,
    MissingKeyError,
    ModelNotFoundError,
    RateLimitError,
    ReplyTooLargeError,
    ServerError,
    StreamError,
)

if TYPE_CHECKING:
    from toolkit.llm.backends import Deadline

__all__ = ["ChatResult", "chat", "generate_image", "list_models", "map_error"]

#: Longest Retry-After we wait for before giving up with a clear message.
MAX_RETRY_AFTER = 5.0
LOCAL_PLACEHOLDER_KEY = "atelier-local-no-key"
OFFLINE_HINT = "sans réseau, passez en mode hors ligne (ATELIER_MODE=offline)"


@dataclass
class ChatResult:
    text: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    finish_reason: str | None
    complete: bool = True
    #: French notes shown with the answer (cut by the deadline or by max_tokens).
    notes: list[str] = field(default_factory=list)


# -- the transport: deadline, size cap ------------------------------------------------------


class _Cut(Exception):
    """The deadline passed between two stream events."""


@dataclass
class _Limits:
    deadline: Deadline
    max_bytes: int
    deadline_hit: bool = False
    too_large: bool = False
    received: int = 0


_limits: contextvars.ContextVar[_Limits | None] = contextvars.ContextVar(
    "atelier_call_limits", default=None
)


class _Watchdog:
    """One thread that fires callbacks at their time (a thread per call costs milliseconds)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._alarms: list[tuple[float, int, Callable[[], object]]] = []
        self._cancelled: set[int] = set()
        self._count = 0
        threading.Thread(target=self._run, name="atelier-deadline", daemon=True).start()

    def arm(self, at: float, callback: Callable[[], object]) -> int:
        with self._cond:
            self._count += 1
            # Wake the thread only when this alarm comes first: a wake-up per call costs a
            # context switch, which a busy machine makes slow.
            first = not self._alarms or at < self._alarms[0][0]
            heapq.heappush(self._alarms, (at, self._count, callback))
            if first:
                self._cond.notify()
            return self._count

    def cancel(self, alarm: int) -> None:
        with self._cond:
            self._cancelled.add(alarm)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._alarms and self._alarms[0][1] in self._cancelled:
                    self._cancelled.discard(heapq.heappop(self._alarms)[1])
                if not self._alarms:
                    self._cond.wait()
                    continue
                at, _, callback = self._alarms[0]
                wait = at - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._alarms)
            callback()


@functools.lru_cache(maxsize=1)
def _watchdog() -> _Watchdog:
    return _Watchdog()


@functools.lru_cache(maxsize=1)
def _transport_classes():
    import httpx2

    class DeadlineHit(httpx2.ReadTimeout):
        """The call's deadline passed while the reply was arriving."""

    class TooLarge(httpx2.ReadError):
        """The body went past ATELIER_MAX_RESPONSE_MB."""

    class GuardedStream(httpx2.SyncByteStream):
        def __init__(self, inner, limits: _Limits, network_stream, request):
            self._inner = inner
            self._limits = limits
            self._request = request
            self._sock = None
            if network_stream is not None:
                try:
                    self._sock = network_stream.get_extra_info("socket")
                except (AttributeError, OSError):
                    self._sock = None

        def _shutdown(self) -> None:
            # Wakes a read blocked past the deadline (a read timeout alone would wait longer).
            self._limits.deadline_hit = True
            if self._sock is not None:
                with contextlib.suppress(OSError):  # already closed: nothing left to wake
                    self._sock.shutdown(socket.SHUT_RDWR)

        def __iter__(self) -> Iterator[bytes]:
            limits = self._limits
            left = limits.deadline.remaining()
            if left <= 0:
                limits.deadline_hit = True
                raise DeadlineHit("deadline reached", request=self._request)
            alarm = _watchdog().arm(limits.deadline.at, self._shutdown)
            try:
                for chunk in self._inner:
                    limits.received += len(chunk)
                    if limits.received > limits.max_bytes:
                        limits.too_large = True
                        raise TooLarge("body over the cap", request=self._request)
                    if limits.deadline.expired:
                        limits.deadline_hit = True
                        raise DeadlineHit("deadline reached", request=self._request)
                    yield chunk
            except httpx2.HTTPError:
                if limits.deadline_hit or limits.deadline.expired:
                    limits.deadline_hit = True
                    raise DeadlineHit("deadline reached", request=self._request) from None
                raise
            finally:
                _watchdog().cancel(alarm)
            if limits.deadline_hit:
                # The socket shut at the deadline reads as a normal end of a close-delimited
                # body: it is not one.
                raise DeadlineHit("deadline reached", request=self._request)

        def close(self) -> None:
            self._inner.close()

    class GuardTransport(httpx2.BaseTransport):
        """Wraps the real transport: timeouts clamped to the deadline, body guarded."""

        def __init__(self, inner):
            self._inner = inner

        def handle_request(self, request):
            limits = _limits.get()
            if limits is not None:
                left = limits.deadline.remaining()
                if left <= 0:
                    limits.deadline_hit = True
                    raise DeadlineHit("deadline reached", request=request)
                timeouts = dict(request.extensions.get("timeout") or {})
                for name in ("connect", "read", "write", "pool"):
                    value = timeouts.get(name)
                    timeouts[name] = left if value is None else min(value, left)
                request.extensions["timeout"] = timeouts
            response = self._inner.handle_request(request)
            if limits is not None:
                response.stream = GuardedStream(
                    response.stream, limits, response.extensions.get("network_stream"), request
                )
            return response

        def close(self) -> None:
            self._inner.close()

    return GuardTransport, DeadlineHit, TooLarge


_USERINFO = re.compile(r"(?<=//)[^/@\s]+@")


class _NoUserinfo(logging.Filter):
    """Removes a ``user:password@`` part from URLs that httpx and the SDK write to logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = _USERINFO.sub("****@", message), None
        return True


@functools.lru_cache(maxsize=1)
def _quiet_logs() -> None:
    for name in ("httpx2", "httpx", "httpcore2", "openai"):
        logging.getLogger(name).addFilter(_NoUserinfo())


@functools.lru_cache(maxsize=8)
def _client(kind: str, base_url: str | None, key: str, timeout: float, api_version: str | None):
    import httpx2
    import openai

    _quiet_logs()
    guard, _, _ = _transport_classes()
    http_client = openai.DefaultHttpx2Client(transport=guard(httpx2.HTTPTransport()))
    if kind == "azure" and base_url is not None:  # client_for passes the set endpoint
        return openai.AzureOpenAI(
            azure_endpoint=base_url,
            api_key=key,
            api_version=api_version,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )
    return openai.OpenAI(
        base_url=base_url, api_key=key, timeout=timeout, max_retries=0, http_client=http_client
    )


def client_for(s: Settings):
    """The SDK client for these settings (cached; building one costs a few ms)."""
    if s.api_key is None and not s.is_local:
        raise MissingKeyError(
            f"Aucune clé d'API n'est configurée pour {s.endpoint}.",
            "Mettez OPENAI_API_KEY=... dans le fichier .env du cours (voir .env.example), "
            "ou pointez OPENAI_BASE_URL vers un serveur local, ou passez en mode hors ligne "
            "(ATELIER_MODE=offline).",
        )
    key = s.api_key.reveal() if s.api_key else LOCAL_PLACEHOLDER_KEY
    if s.azure_endpoint:
        return _client("azure", s.azure_endpoint, key, s.timeout, s.azure_api_version)
    return _client("openai", s.base_url, key, s.timeout, None)


# -- messages -------------------------------------------------------------------------------


def _host(s: Settings) -> str:
    url = strip_userinfo(s.azure_endpoint or s.base_url) or "https://api.openai.com/v1"
    return urlparse(url).netloc or url


def _secrets(s: Settings) -> list[str]:
    found = [s.api_key.reveal()] if s.api_key else []
    for url in (s.base_url, s.azure_endpoint):
        parts = urlparse(url or "")
        found += [v for v in (parts.password, parts.username) if v]
    return [v for v in found if len(v) >= 4]


def _redact(text: str, s: Settings) -> str:
    for secret in _secrets(s):
        text = text.replace(secret, "****")
    return text


def _retry_after(exc) -> float | None:
    try:
        return float(exc.response.headers.get("retry-after", ""))
    except (AttributeError, TypeError, ValueError):
        return None


def _seconds(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "\u202fs"


def map_error(exc: Exception, s: Settings, model: str | None = None) -> LLMError:
    """Turn an SDK exception into a toolkit error with a French message and a fix."""
    import openai

    host = _host(s)
    detail = _redact(f"{type(exc).__name__}: {exc}", s)
    status = getattr(exc, "status_code", None)
    if isinstance(exc, openai.APITimeoutError):
        return EndpointTimeoutError(
            f"Le serveur {host} n'a pas répondu dans le délai de {s.timeout:g} s.",
            f"Relancez la cellule ; si le serveur est lent, augmentez ATELIER_TIMEOUT ; "
            f"{OFFLINE_HINT}.",
            detail=detail,
        )
    if isinstance(exc, openai.APIConnectionError):
        return EndpointUnreachableError(
            f"Impossible de joindre le serveur du modèle ({s.endpoint}), ou la connexion a été "
            "coupée pendant la réponse.",
            "Vérifiez OPENAI_BASE_URL et que le serveur est démarré (par exemple « ollama "
            f"serve »), ou le réseau ; {OFFLINE_HINT}.",
            detail=detail,
        )
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        shown = s.api_key.masked() if s.api_key else "aucune"
        return AuthenticationError(
            f"Le serveur {host} a refusé la clé d'API (HTTP {status}, clé {shown}).",
            "Vérifiez OPENAI_API_KEY dans le fichier .env, ou demandez une nouvelle clé à "
            "l'animateur ; les droits de la clé doivent couvrir ce modèle.",
            detail=detail,
        )
    if isinstance(exc, openai.NotFoundError):
        return ModelNotFoundError(
            f"Le modèle « {model or s.model} » n'est pas proposé par {host} (HTTP 404).",
            "Lancez « atelier doctor » pour voir les modèles proposés, puis mettez le bon nom "
            "dans ATELIER_MODEL.",
            detail=detail,
        )
    if isinstance(exc, openai.RateLimitError):
        after = _retry_after(exc)
        wait = (
            f"Attendez {_seconds(after)} (délai demandé par le serveur)"
            if after is not None and after > 0
            else "Attendez un moment"
        )
        return RateLimitError(
            f"Trop de requêtes ou quota épuisé chez {host} (HTTP 429).",
            f"{wait} puis relancez la cellule ; si cela persiste, vérifiez le quota du compte "
            "ou utilisez des réponses enregistrées (ATELIER_MODE=replay).",
            detail=detail,
        )
    if isinstance(exc, (openai.BadRequestError, openai.UnprocessableEntityError)):
        return BadRequestError(
            f"Le serveur {host} a refusé la demande comme invalide (HTTP {status}).",
            "Raccourcissez le texte ou retirez l'image ; vérifiez que le modèle accepte ce "
            "type de demande (vision, température).",
            detail=detail,
        )
    if isinstance(exc, openai.APIStatusError) and status and status >= 500:
        return ServerError(
            f"Le serveur {host} a rencontré une erreur (HTTP {status}).",
            f"Relancez la cellule dans quelques instants ; {OFFLINE_HINT}.",
            detail=detail,
        )
    if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIStatusError):
        return StreamError(
            f"Le serveur {host} a interrompu la réponse par une erreur : "
            f"« {_redact(str(getattr(exc, 'message', exc)), s)[:200]} ».",
            f"Relancez la cellule dans quelques instants ; {OFFLINE_HINT}.",
            detail=detail,
        )
    return LLMError(
        f"Le serveur {host} a renvoyé une erreur inattendue ({type(exc).__name__}).",
        "Relancez la cellule ; si cela persiste, lancez « atelier doctor ».",
        detail=detail,
    )


def _delay(s: Settings, deadline) -> str:
    shown = getattr(deadline, "shown", deadline.seconds)
    twice = " (deux fois ATELIER_TIMEOUT)" if abs(shown - 2 * s.timeout) < 1e-9 else ""
    return f"{shown:g} s{twice}"


def _deadline_error(s: Settings, deadline, detail: str | None = None) -> DeadlineExceededError:
    return DeadlineExceededError(
        f"Le serveur {_host(s)} n'a pas fini de répondre dans le délai de "
        f"{_delay(s, deadline)} : l'appel a été arrêté.",
        f"Relancez la cellule ; si le serveur est lent, augmentez ATELIER_TIMEOUT ; "
        f"{OFFLINE_HINT}.",
        detail=detail,
    )


def _too_large_error(s: Settings) -> ReplyTooLargeError:
    mb = s.max_response_bytes / 1_000_000
    return ReplyTooLargeError(
        f"La réponse du serveur {_host(s)} dépasse la taille maximale de {mb:g} Mo : "
        "elle a été abandonnée.",
        "Demandez une réponse plus courte, ou augmentez ATELIER_MAX_RESPONSE_MB si le serveur "
        "est sûr.",
    )


def _html_error(s: Settings) -> HTMLReplyError:
    return HTMLReplyError(
        f"Le serveur {_host(s)} a répondu par une page web, pas par une réponse de modèle : "
        "une page de connexion d'un proxy ?",
        "Vérifiez OPENAI_BASE_URL (elle finit en général par /v1) ; derrière un proxy, "
        "connectez-vous dans le navigateur ou demandez un accès direct à l'animateur ; "
        f"{OFFLINE_HINT}.",
    )


def _empty_error(s: Settings, what: str) -> EmptyReplyError:
    return EmptyReplyError(
        f"Le serveur {_host(s)} a répondu sans réponse de modèle ({what}).",
        f"Relancez la cellule ; si cela persiste, lancez « atelier doctor » ; {OFFLINE_HINT}.",
    )


# -- parsing --------------------------------------------------------------------------------


def _decode_json(s: Settings, content_type: str, body: bytes):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise EncodingReplyError(
            f"Le serveur {_host(s)} a répondu par des octets qui ne sont pas du texte UTF-8.",
            "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI ; "
            f"{OFFLINE_HINT}.",
        ) from None
    head = text.lstrip()[:200].lower()
    if "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<")):
        raise _html_error(s)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise InvalidJSONError(
            f"Le serveur {_host(s)} a répondu par un texte qui n'est pas du JSON valide.",
            "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI (chemin "
            f"/v1) ; relancez la cellule ; {OFFLINE_HINT}.",
        ) from None


def _parse_completion(s: Settings, content_type: str, body: bytes, model: str) -> ChatResult:
    data = _decode_json(s, content_type, body)
    if not isinstance(data, dict):
        raise InvalidJSONError(
            f"Le serveur {_host(s)} a répondu par du JSON qui n'est pas une réponse de modèle.",
            "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI.",
        )
    if isinstance(data.get("error"), dict | str):
        err = data["error"]
        message = err.get("message", "") if isinstance(err, dict) else err
        shown = _redact(str(message), s)[:200]
        raise BadReplyError(
            f"Le serveur {_host(s)} a répondu par une erreur : « {shown} ».",
            f"Relancez la cellule ; si cela persiste, lancez « atelier doctor » ; {OFFLINE_HINT}.",
        )
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices:
        raise _empty_error(s, "liste « choices » vide")
    choice = choices[0] if isinstance(choices[0], dict) else {}
    message = choice.get("message")
    if not isinstance(message, dict):
        raise _empty_error(s, "pas de « message » dans la réponse")
    text = message.get("content")
    if not isinstance(text, str) or not text:
        if choice.get("finish_reason") == "content_filter":
            raise _empty_error(s, "réponse retenue par le filtre de contenu du service")
        raise _empty_error(s, "texte vide")
    usage = data["usage"] if isinstance(data.get("usage"), dict) else {}
    result = ChatResult(
        text=text,
        model=data["model"] if isinstance(data.get("model"), str) else model,
        prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
        completion_tokens=_int_or_none(usage.get("completion_tokens")),
        finish_reason=choice.get("finish_reason"),
    )
    return result


def _int_or_none(value) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _length_note(result: ChatResult, max_tokens: int | None) -> None:
    if result.finish_reason == "length":
        result.complete = False
        limit = f" de {max_tokens} jetons" if max_tokens else ""
        result.notes.append(
            f"Réponse incomplète : le modèle a atteint la limite{limit} (ATELIER_MAX_TOKENS ou "
            "budget restant). Demandez une réponse plus courte, ou augmentez ATELIER_MAX_TOKENS."
        )


# -- attempts within the deadline -----------------------------------------------------------


def _retry_delay(exc: Exception) -> float | None:
    """Seconds to wait before a retry, or None when this error is not worth retrying."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return None
    if isinstance(exc, openai.RateLimitError):
        after = _retry_after(exc)
        if after is not None and after > MAX_RETRY_AFTER:
            return None
        return after if after is not None else 1.0
    if isinstance(exc, openai.APIConnectionError):
        return 0.5
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return 0.5
    return None


def _fits(delay: float, deadline, s: Settings) -> bool:
    # A new attempt is worth it only with some time left after the wait.
    return deadline.remaining() - delay >= min(1.0, s.timeout / 2)


def _attempts(s: Settings, model: str, deadline, attempt_fn, sink=None):
    """Run *attempt_fn(limits)* with retries that fit in the deadline; map every failure."""
    import httpx2
    import openai

    attempt = 0
    while True:
        if deadline.expired:
            raise _deadline_error(s, deadline)
        limits = _Limits(deadline, s.max_response_bytes)
        token = _limits.set(limits)
        try:
            return attempt_fn(limits)
        except LLMError:
            raise
        except (openai.OpenAIError, httpx2.HTTPError, ValueError) as exc:
            detail = _redact(f"{type(exc).__name__}: {exc}", s)
            if limits.too_large:
                raise _too_large_error(s) from None
            if limits.deadline_hit or (
                isinstance(exc, (openai.APITimeoutError, httpx2.TimeoutException))
                and deadline.remaining() <= 0.05
            ):
                raise _deadline_error(s, deadline, detail) from None
            if isinstance(exc, httpx2.TimeoutException):
                exc = openai.APITimeoutError(request=exc.request)
            elif isinstance(exc, httpx2.HTTPError):
                exc = openai.APIConnectionError(message=str(exc), request=exc.request)
            elif isinstance(exc, UnicodeDecodeError):
                raise EncodingReplyError(
                    f"Le serveur {_host(s)} a envoyé des octets qui ne sont pas du texte UTF-8.",
                    "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI ; "
                    f"{OFFLINE_HINT}.",
                    detail=detail,
                ) from None
            elif isinstance(exc, ValueError):
                raise InvalidJSONError(
                    f"Le serveur {_host(s)} a envoyé un morceau de réponse qui n'est pas du "
                    "JSON valide.",
                    "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI ; "
                    f"relancez la cellule ; {OFFLINE_HINT}.",
                    detail=detail,
                ) from None
            delay = _retry_delay(exc)
            if delay is None or attempt >= s.retries or not _fits(delay, deadline, s):
                raise map_error(exc, s, model) from None
            attempt += 1
            time.sleep(delay)
            if sink is not None:
                sink.restart()
        finally:
            _limits.reset(token)


def _per_read_timeout(s: Settings, deadline) -> float:
    return max(0.05, min(s.timeout, deadline.remaining()))


def chat(s: Settings, request, deadline, *, sink=None) -> ChatResult:
    """One chat completion within *deadline*; with *sink*, streamed into it."""
    client = client_for(s)
    kwargs: dict = {"model": request.model, "messages": list(request.messages)}
    if request.temperature is not None:
        kwargs["temperature"] = request.temperature
    if request.max_tokens is not None:
        kwargs["max_tokens"] = request.max_tokens

    def plain(limits: _Limits) -> ChatResult:
        raw = client.chat.completions.with_raw_response.create(
            **kwargs, timeout=_per_read_timeout(s, deadline)
        )
        http = raw.http_response
        result = _parse_completion(
            s, http.headers.get("content-type", ""), http.content, request.model
        )
        _length_note(result, request.max_tokens)
        return result

    def streamed(limits: _Limits) -> ChatResult:
        stream = client.chat.completions.create(
            **kwargs,
            stream=True,
            stream_options={"include_usage": True},
            timeout=_per_read_timeout(s, deadline),
        )
        content_type = stream.response.headers.get("content-type", "")
        if "text/event-stream" not in content_type.lower():
            # Not a stream: a web page, an error, or a server that ignored stream=True.
            try:
                body = stream.response.read()
            finally:
                stream.close()
            result = _parse_completion(s, content_type, body, request.model)
            if sink is not None:
                sink(result.text)
            _length_note(result, request.max_tokens)
            return result
        parts: list[str] = []
        result = ChatResult("", request.model, None, None, None)
        events = choices = 0
        try:
            for chunk in stream:
                events += 1
                if deadline.expired:
                    # Events already buffered would still take time to parse: stop here.
                    limits.deadline_hit = True
                    raise _Cut
                if getattr(chunk, "model", None):
                    result.model = chunk.model
                if getattr(chunk, "usage", None):
                    result.prompt_tokens = _int_or_none(chunk.usage.prompt_tokens)
                    result.completion_tokens = _int_or_none(chunk.usage.completion_tokens)
                for choice in chunk.choices or ():
                    choices += 1
                    delta = choice.delta.content if choice.delta else None
                    if delta:
                        parts.append(delta)
                        if sink is not None:
                            sink(delta)
                    if choice.finish_reason:
                        result.finish_reason = choice.finish_reason
        except Exception:  # re-raised below unless it is the deadline's cut
            if limits.deadline_hit and not parts:
                raise _deadline_error(s, deadline) from None
            if limits.deadline_hit:
                # Cut by the deadline: keep what arrived, say so.
                result.text = "".join(parts)
                result.complete = False
                result.notes.append(
                    f"Réponse incomplète : le serveur n'avait pas fini au bout de "
                    f"{_delay(s, deadline)} ; voici le texte "
                    "reçu jusque-là. Relancez la cellule, ou augmentez ATELIER_TIMEOUT."
                )
                return result
            raise
        finally:
            stream.close()
        if not events:
            raise _empty_error(s, "le flux s'est terminé sans aucune donnée")
        if not choices:
            raise _empty_error(s, "liste « choices » vide dans tout le flux")
        if not parts:
            raise _empty_error(s, "le flux ne contenait aucun texte")
        result.text = "".join(parts)
        _length_note(result, request.max_tokens)
        return result

    return _attempts(s, request.model, deadline, streamed if sink else plain, sink=sink)


def generate_image(s: Settings, request, deadline) -> bytes:
    """PNG (or other image) bytes generated by the images API, within *deadline*."""
    import base64
    import urllib.request

    client = client_for(s)
    kwargs: dict = {"model": request.model, "prompt": request.prompt, "n": 1}
    if request.size:
        kwargs["size"] = request.size
    if request.model.startswith("dall-e"):
        kwargs["response_format"] = "b64_json"

    def call(limits: _Limits) -> bytes:
        raw = client.images.with_raw_response.generate(
            **kwargs, timeout=_per_read_timeout(s, deadline)
        )
        http = raw.http_response
        data = _decode_json(s, http.headers.get("content-type", ""), http.content)
        items = data.get("data") if isinstance(data, dict) else None
        item = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
        if item.get("b64_json"):
            try:
                return base64.b64decode(item["b64_json"])
            except ValueError:
                raise _empty_error(s, "image illisible") from None
        if item.get("url"):
            with urllib.request.urlopen(item["url"], timeout=_per_read_timeout(s, deadline)) as r:
                return r.read(s.max_response_bytes)
        raise _empty_error(s, "aucune image")

    return _attempts(s, request.model, deadline, call)


def list_models(s: Settings, timeout: float | None = None) -> list[str]:
    """Model names the endpoint offers (used by ``atelier doctor``, within ATELIER_TIMEOUT)."""
    from toolkit.llm.backends import Deadline

    wait = s.timeout if timeout is None else timeout
    deadline = Deadline(wait)
    client = client_for(s)

    def call(limits: _Limits) -> list[str]:
        raw = client.models.with_raw_response.list(timeout=_per_read_timeout(s, deadline))
        http = raw.http_response
        data = _decode_json(s, http.headers.get("content-type", ""), http.content)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise InvalidJSONError(
                f"Le serveur {_host(s)} n'a pas renvoyé de liste de modèles.",
                "Vérifiez que OPENAI_BASE_URL désigne bien un serveur compatible OpenAI.",
            )
        return sorted(str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id"))

    import dataclasses

    # One attempt only: the doctor's wait is the one its message states.
    return _attempts(dataclasses.replace(s, timeout=wait, retries=0), s.model, deadline, call)


def is_local(s: Settings) -> bool:
    return is_local_url(s.azure_endpoint or s.base_url)
