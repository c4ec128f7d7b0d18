"""Live mode: the ``openai`` SDK against any OpenAI-compatible endpoint (or Azure OpenAI).

The SDK's own retries are off (``max_retries=0``); this module retries at most
``ATELIER_RETRIES`` times, only on 429, 5xx and dropped connections, never on a timeout (a
hung endpoint would hang again), so a cell never waits much longer than ``ATELIER_TIMEOUT``.
Every SDK error becomes a :mod:`toolkit.errors` class with a French message; the key never
appears in a message.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from toolkit.config import Settings, is_local_url
from toolkit.errors import (
    AuthenticationError,
    BadRequestError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    LLMError,
    MissingKeyError,
    ModelNotFoundError,
    RateLimitError,
    ServerError,
)

__all__ = ["ChatResult", "chat", "generate_image", "list_models", "map_error"]

#: Longest Retry-After we wait for before giving up with a clear message.
MAX_RETRY_AFTER = 5.0
LOCAL_PLACEHOLDER_KEY = "atelier-local-no-key"


@dataclass
class ChatResult:
    text: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    finish_reason: str | None


def _host(s: Settings) -> str:
    url = s.azure_endpoint or s.base_url or "https://api.openai.com/v1"
    return urlparse(url).netloc or url


@functools.lru_cache(maxsize=8)
def _client(kind: str, base_url: str | None, key: str, timeout: float, api_version: str | None):
    import openai

    if kind == "azure":
        return openai.AzureOpenAI(
            azure_endpoint=base_url,
            api_key=key,
            api_version=api_version,
            timeout=timeout,
            max_retries=0,
        )
    return openai.OpenAI(base_url=base_url, api_key=key, timeout=timeout, max_retries=0)


def client_for(s: Settings):
    """The SDK client for these settings (cached; building one costs a few ms)."""
    if s.api_key is None and not s.is_local:
        where = s.endpoint
        raise MissingKeyError(
            f"Aucune clé d'API n'est configurée pour {where}.",
            "Mettez OPENAI_API_KEY=... dans le fichier .env du cours (voir .env.example), "
            "ou pointez OPENAI_BASE_URL vers un serveur local, ou passez en mode hors ligne "
            "(ATELIER_MODE=offline).",
        )
    key = s.api_key.reveal() if s.api_key else LOCAL_PLACEHOLDER_KEY
    if s.azure_endpoint:
        return _client("azure", s.azure_endpoint, key, s.timeout, s.azure_api_version)
    return _client("openai", s.base_url, key, s.timeout, None)


def _redact(text: str, s: Settings) -> str:
    if s.api_key:
        text = text.replace(s.api_key.reveal(), s.api_key.masked())
    return text


def map_error(exc: Exception, s: Settings, model: str | None = None) -> LLMError:
    """Turn an SDK exception into a toolkit error with a French message and a fix."""
    import openai

    host = _host(s)
    detail = _redact(f"{type(exc).__name__}: {exc}", s)
    status = getattr(exc, "status_code", None)
    offline_hint = "sans réseau, passez en mode hors ligne (ATELIER_MODE=offline)"
    if isinstance(exc, openai.APITimeoutError):
        return EndpointTimeoutError(
            f"Le serveur {host} n'a pas répondu dans le délai de {s.timeout:g} s.",
            f"Relancez la cellule ; si le serveur est lent, augmentez ATELIER_TIMEOUT ; "
            f"{offline_hint}.",
            detail=detail,
        )
    if isinstance(exc, openai.APIConnectionError):
        return EndpointUnreachableError(
            f"Impossible de joindre le serveur du modèle ({s.endpoint}).",
            "Vérifiez OPENAI_BASE_URL et que le serveur est démarré (par exemple « ollama "
            f"serve »), ou le réseau ; {offline_hint}.",
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
        return RateLimitError(
            f"Trop de requêtes ou quota épuisé chez {host} (HTTP 429).",
            "Attendez une minute puis relancez la cellule ; si cela persiste, vérifiez le "
            "quota du compte ou utilisez des réponses enregistrées (ATELIER_MODE=replay).",
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
            f"Relancez la cellule dans quelques instants ; {offline_hint}.",
            detail=detail,
        )
    return LLMError(
        f"Le serveur {host} a renvoyé une erreur inattendue ({type(exc).__name__}).",
        "Relancez la cellule ; si cela persiste, lancez « atelier doctor ».",
        detail=detail,
    )


def _retry_delay(exc: Exception) -> float | None:
    """Seconds to wait before a retry, or None when this error is not worth retrying."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return None
    if isinstance(exc, openai.RateLimitError):
        after = None
        try:
            after = float(exc.response.headers.get("retry-after", ""))
        except (AttributeError, TypeError, ValueError):
            after = None
        if after is not None and after > MAX_RETRY_AFTER:
            return None
        return after if after is not None else 1.0
    if isinstance(exc, openai.APIConnectionError):
        return 0.5
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return 0.5
    return None


def _with_retries(s: Settings, model: str, call: Callable):
    attempt = 0
    while True:
        try:
            return call()
        except LLMError:
            raise
        except Exception as exc:
            import openai

            if not isinstance(exc, openai.OpenAIError):
                raise
            delay = _retry_delay(exc)
            if delay is None or attempt >= s.retries:
                raise map_error(exc, s, model) from None
            attempt += 1
            time.sleep(delay)


def chat(
    s: Settings,
    messages: list[dict],
    *,
    model: str,
    temperature: float | None,
    on_delta: Callable[[str], None] | None = None,
) -> ChatResult:
    """One chat completion; with *on_delta*, streamed (called with the text so far)."""
    client = client_for(s)
    kwargs: dict = {"model": model, "messages": messages}
    if temperature is not None:
        kwargs["temperature"] = temperature
    if s.max_tokens:
        kwargs["max_tokens"] = s.max_tokens

    if on_delta is None:

        def call():
            r = client.chat.completions.create(**kwargs)
            choice = r.choices[0] if r.choices else None
            usage = r.usage
            return ChatResult(
                text=(choice.message.content or "") if choice else "",
                model=r.model or model,
                prompt_tokens=usage.prompt_tokens if usage else None,
                completion_tokens=usage.completion_tokens if usage else None,
                finish_reason=choice.finish_reason if choice else None,
            )

        return _with_retries(s, model, call)

    def call_stream():
        stream = client.chat.completions.create(
            **kwargs, stream=True, stream_options={"include_usage": True}
        )
        parts: list[str] = []
        result = ChatResult("", model, None, None, None)
        try:
            for chunk in stream:
                if chunk.model:
                    result.model = chunk.model
                if chunk.usage:
                    result.prompt_tokens = chunk.usage.prompt_tokens
                    result.completion_tokens = chunk.usage.completion_tokens
                for choice in chunk.choices or ():
                    delta = choice.delta.content if choice.delta else None
                    if delta:
                        parts.append(delta)
                        on_delta("".join(parts))
                    if choice.finish_reason:
                        result.finish_reason = choice.finish_reason
        finally:
            stream.close()
        result.text = "".join(parts)
        return result

    return _with_retries(s, model, call_stream)


def generate_image(s: Settings, prompt: str, *, model: str, size: str) -> bytes:
    """PNG (or other image) bytes generated by the images API."""
    import base64

    client = client_for(s)
    kwargs: dict = {"model": model, "prompt": prompt, "size": size, "n": 1}
    if model.startswith("dall-e"):
        kwargs["response_format"] = "b64_json"

    def call():
        r = client.images.generate(**kwargs)
        item = r.data[0]
        if getattr(item, "b64_json", None):
            return base64.b64decode(item.b64_json)
        if getattr(item, "url", None):
            import urllib.request

            with urllib.request.urlopen(item.url, timeout=s.timeout) as resp:
                return resp.read()
        raise LLMError("Le serveur n'a renvoyé aucune image.", "Relancez la cellule.")

    return _with_retries(s, model, call)


def list_models(s: Settings, timeout: float = 5.0) -> list[str]:
    """Model names the endpoint offers (short timeout: used by ``atelier doctor``)."""
    client = client_for(s).with_options(timeout=timeout, max_retries=0)
    try:
        return sorted(m.id for m in client.models.list())
    except Exception as exc:
        import openai

        if isinstance(exc, openai.OpenAIError):
            raise map_error(exc, s) from None
        raise


def is_local(s: Settings) -> bool:
    return is_local_url(s.azure_endpoint or s.base_url)
