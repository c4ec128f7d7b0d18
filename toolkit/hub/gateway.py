"""Per-participant model keys, so that nobody uses (or sees) the trainer's key.

With a LiteLLM proxy (``gateway_kind="litellm"``) each participant gets a virtual key with a
budget from ``POST /key/generate`` (the proxy needs its PostgreSQL database for that); with
``"static"`` keys are generated here and must be declared to the upstream (tests, small set-ups).
Keys are kept in ``<state>/hub/keys.json`` (root only, 0600) and handed by the spawner to the
participant's server as ``OPENAI_API_KEY``.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.hub.passwords import save_private_json
from toolkit.hub.settings import HubSettings


def load_keys(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def save_keys(path: Path, keys: dict[str, str]) -> None:
    save_private_json(path, keys)


def master_key(settings: HubSettings) -> str:
    key = os.environ.get("LITELLM_MASTER_KEY")
    path = settings.layout.hub / "litellm-master-key"
    if not key and path.is_file():
        key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ConfigError(
            "La clé maîtresse de la passerelle LiteLLM est introuvable.",
            "Définissez LITELLM_MASTER_KEY avant « atelier hub up », ou écrivez-la dans "
            f"{path} (droits 600).",
        )
    return key


def _litellm_key(settings: HubSettings, username: str) -> str:
    base = (settings.gateway_url or "").rstrip("/")
    if base.endswith("/v1"):
        base = base[:-3]
    body = {
        "user_id": username,
        "key_alias": f"atelier-{username}",
        "max_budget": settings.budget_usd,
        "duration": settings.key_duration,  # keys end with the 60-day programme
        "metadata": {"atelier": True},
    }
    if settings.model:
        body["models"] = [settings.model]
    request = urllib.request.Request(
        f"{base}/key/generate",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {master_key(settings)}",
                 "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read())["key"]
    except (urllib.error.URLError, OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"La passerelle LiteLLM ({base}) n'a pas créé de clé pour « {username} ».",
            "Vérifiez qu'elle tourne avec sa base PostgreSQL et que la clé maîtresse est juste "
            "(voir deploy/README.md).",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def ensure_keys(settings: HubSettings, usernames: list[str]) -> dict[str, str]:
    """Give every name a key (existing keys are kept); returns the whole table."""
    path = settings.layout.keys
    keys = load_keys(path)
    if not settings.gateway_url:
        return keys
    changed = False
    for username in usernames:
        if username in keys:
            continue
        if settings.gateway_kind == "litellm":
            keys[username] = _litellm_key(settings, username)
        else:
            keys[username] = "sk-atelier-" + secrets.token_urlsafe(24)
        changed = True
    if changed:
        save_keys(path, keys)
    return keys


def participant_environment(settings: HubSettings, username: str) -> dict[str, str]:
    """Model settings for one participant's server (empty without a gateway: offline mode)."""
    if not settings.gateway_url:
        return {}
    key = load_keys(settings.layout.keys).get(username)
    if not key:
        return {}
    env = {"OPENAI_BASE_URL": settings.gateway_url, "OPENAI_API_KEY": key}
    if settings.model:
        env["ATELIER_MODEL"] = settings.model
    return env
