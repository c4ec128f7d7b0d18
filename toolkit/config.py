"""Settings read from the environment and the course's ``.env`` file.

Settings are re-read at every call (a notebook may change ``os.environ``); ``.env`` is loaded
once, without overriding variables already set.  The API key is wrapped in :class:`Secret`,
whose ``repr``/``str`` only ever show its last four characters.
"""

from __future__ import annotations

import functools
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from toolkit.errors import ConfigError

__all__ = [
    "CLASSIFICATIONS",
    "MODES",
    "Secret",
    "Settings",
    "course_root",
    "is_local_host",
    "is_local_url",
    "settings",
    "strip_userinfo",
]

MODES = ("live", "replay", "offline", "record")
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_IMAGE_MODEL = "gpt-image-1"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 1
MAX_RETRIES = 3
# -- LLM call limits (issue 13) -----------------------------------------------------------
#: ATELIER_MAX_TOKENS : nombre maximal de jetons demandés au modèle pour une réponse.
DEFAULT_MAX_TOKENS = 1024
#: ATELIER_MAX_RESPONSE_MB : taille maximale d'une réponse du serveur, en mégaoctets.
DEFAULT_MAX_RESPONSE_MB = 8.0

_dotenv_loaded = False


class Secret:
    """A secret string that never shows itself in ``repr``, ``str``, logs or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        """The real value: only for handing to the SDK."""
        return self._value

    def masked(self) -> str:
        if len(self._value) >= 12:
            return "…" + self._value[-4:]
        return "****"

    def __repr__(self) -> str:
        return f"Secret({self.masked()!r})"

    __str__ = masked

    def __format__(self, spec: str) -> str:
        return self.masked()

    def __reduce__(self):  # never pickled into a file by accident
        raise TypeError("Secret values cannot be pickled")


def course_root(start: Path | None = None) -> Path | None:
    """The course folder (the one holding ``curriculum.yml``), or None outside a course."""
    return _course_root(str(start or Path.cwd()))


@functools.lru_cache(maxsize=32)
def _course_root(start: str) -> Path | None:
    # Cached per folder: settings() runs at every model call and must stay cheap.
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / "curriculum.yml").is_file():
            return folder
    return None


def _load_dotenv() -> None:
    global _dotenv_loaded
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    candidates = []
    if os.environ.get("ATELIER_ENV_FILE"):  # an explicit file replaces the course's .env
        candidates.append(Path(os.environ["ATELIER_ENV_FILE"]))
    elif root := course_root():
        candidates.append(root / ".env")
    for path in candidates:
        if path.is_file():
            from dotenv import load_dotenv

            load_dotenv(path, override=False)
            return


def strip_userinfo(url: str | None) -> str | None:
    """*url* without a ``user:password@`` part (a key written in the URL is never shown)."""
    if not url:
        return url
    parts = urlparse(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def is_local_url(url: str | None) -> bool:
    """True when *url* points at this machine (loopback address or ``localhost``)."""
    if not url:
        return False
    return is_local_host(urlparse(url).hostname or "")


@functools.lru_cache(maxsize=64)
def is_local_host(host: str) -> bool:
    """True for ``localhost``, ``*.localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _float(env, name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} n'est pas un nombre.", f"Mettez par exemple {name}={default:g}."
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={raw} est trop petit.", f"Mettez une valeur >= {minimum:g}.")
    return value


def _int(env, name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = env.get(name, "").strip().replace("_", "").replace(" ", "")
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(
            f"{name}={raw!r} n'est pas un nombre entier.", f"Mettez par exemple {name}=20000."
        )
    value = int(raw)
    if value < minimum:
        raise ConfigError(f"{name}={raw} est trop petit.", f"Mettez une valeur >= {minimum}.")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the toolkit reads from the environment, resolved."""

    mode: str
    mode_reason: str
    base_url: str | None
    api_key: Secret | None = field(repr=True)
    model: str
    image_model: str
    timeout: float
    retries: int
    budget_tokens: int | None
    cassette_dir: Path
    cassette_name: str | None
    azure_endpoint: str | None
    azure_api_version: str | None
    privacy: str
    prices_file: Path | None
    # -- LLM call limits (issue 13) ---------------------------------------------------------
    max_tokens: int = DEFAULT_MAX_TOKENS
    max_response_bytes: int = int(DEFAULT_MAX_RESPONSE_MB * 1_000_000)
    participant: str | None = None
    record_log: Path | None = None
    record_personal_data: bool = False
    # -- local model and routing by classification (issue 14) --------------------------
    #: Default classification of a prompt (public, interne, confidentiel, secret).
    classification: str = "interne"
    #: The local endpoint (``atelier model serve`` or an in-house server) and its model.
    local_base_url: str | None = None
    local_model: str | None = None
    #: Hosts declared in-house: they may receive ``confidentiel`` prompts.
    inhouse_hosts: tuple[str, ...] = ()
    #: The course's folder of GGUF files (``atelier model list|add``).
    models_dir: Path = Path("models")
    #: Where ``atelier model serve`` keeps its state (pid, port, model, start time).
    state_dir: Path = Path(".atelier")

    @property
    def endpoint(self) -> str:
        """Human-readable endpoint (never contains the key, even one written in the URL)."""
        if self.azure_endpoint:
            return f"Azure OpenAI {strip_userinfo(self.azure_endpoint)}"
        return strip_userinfo(self.base_url) or "https://api.openai.com/v1"

    @property
    def is_local(self) -> bool:
        return is_local_url(self.azure_endpoint or self.base_url)


#: Every variable settings() depends on (with the working folder, the cache key).
_VARIABLES = (
    "AZURE_OPENAI_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AZURE_OPENAI_ENDPOINT",
    "ATELIER_MODE",
    "ATELIER_CASSETTES",
    "ATELIER_PRIVACY",
    "ATELIER_PRICES",
    "ATELIER_MODEL",
    "ATELIER_IMAGE_MODEL",
    "ATELIER_TIMEOUT",
    "ATELIER_RETRIES",
    "ATELIER_BUDGET_TOKENS",
    "ATELIER_CASSETTE",
    "OPENAI_API_VERSION",
    # -- LLM call limits (issue 13) ---------------------------------------------------------
    # ATELIER_MAX_TOKENS : jetons demandés au plus pour une réponse (défaut 1024).
    "ATELIER_MAX_TOKENS",
    # ATELIER_MAX_RESPONSE_MB : taille maximale d'une réponse du serveur en Mo (défaut 8).
    "ATELIER_MAX_RESPONSE_MB",
    # ATELIER_PARTICIPANT : identifiant du ou de la participant·e, clé du budget de jetons
    # (défaut : JUPYTERHUB_USER, posé par le hub).
    "ATELIER_PARTICIPANT",
    "JUPYTERHUB_USER",
    # ATELIER_RECORD_LOG : fichier où « atelier record » note ce qui a été masqué ou refusé.
    "ATELIER_RECORD_LOG",
    # ATELIER_RECORD_PERSONAL_DATA : 1 pour enregistrer des données personnelles non masquées
    # (posé par « atelier record --allow-personal-data »).
    "ATELIER_RECORD_PERSONAL_DATA",
    # local model and routing (see _local_block)
    "ATELIER_CLASSIFICATION",
    "ATELIER_LOCAL_BASE_URL",
    "ATELIER_LOCAL_MODEL",
    "ATELIER_PRIVACY_EXEMPT_HOSTS",
    "ATELIER_MODELS_DIR",
)


def settings() -> Settings:
    """Read the current settings (``.env`` loaded once, environment re-read every time).

    Resolved settings are cached on the values of the variables they depend on, so a
    notebook that changes ``os.environ`` sees the change at its next call.
    """
    _load_dotenv()
    snapshot = tuple(os.environ.get(name) for name in _VARIABLES)
    return _resolve(snapshot, os.getcwd())


@functools.lru_cache(maxsize=16)
def _resolve(snapshot: tuple, cwd: str) -> Settings:
    env = {k: v for k, v in zip(_VARIABLES, snapshot, strict=True) if v is not None}
    key = env.get("AZURE_OPENAI_API_KEY") or env.get("OPENAI_API_KEY") or ""
    base_url = env.get("OPENAI_BASE_URL", "").strip() or None
    azure = env.get("AZURE_OPENAI_ENDPOINT", "").strip() or None
    # Only a local model configured (atelier model serve): it is the configured endpoint.
    local_only = not (key or base_url or azure) and env.get("ATELIER_LOCAL_BASE_URL", "").strip()
    if local_only:
        base_url = env["ATELIER_LOCAL_BASE_URL"].strip().rstrip("/")
    mode = env.get("ATELIER_MODE", "").strip().lower()
    if mode:
        if mode not in MODES:
            raise ConfigError(
                f"ATELIER_MODE={mode!r} n'est pas un mode connu.",
                "Choisissez live (en direct), replay (réponses enregistrées) ou offline "
                "(réponses simulées).",
            )
        reason = "choisi par ATELIER_MODE"
    elif key or base_url or azure:
        mode, reason = "live", "une clé ou une adresse de modèle est configurée"
    else:
        mode, reason = "offline", "aucune clé ni adresse de modèle n'est configurée"
    root = course_root(Path(cwd)) or Path(cwd)
    cassette_dir = Path(env.get("ATELIER_CASSETTES", "") or root / "cassettes")
    privacy = env.get("ATELIER_PRIVACY", "warn").strip().lower() or "warn"
    if privacy not in ("warn", "mask", "block", "off"):
        raise ConfigError(
            f"ATELIER_PRIVACY={privacy!r} n'est pas une règle connue.",
            "Choisissez warn (avertir), mask (masquer) ou block (bloquer).",
        )
    prices = env.get("ATELIER_PRICES", "").strip()
    return Settings(
        mode=mode,
        mode_reason=reason,
        base_url=base_url,
        api_key=Secret(key) if key else None,
        model=env.get("ATELIER_MODEL", "").strip()
        or (local_only and env.get("ATELIER_LOCAL_MODEL", "").strip())
        or DEFAULT_MODEL,
        image_model=env.get("ATELIER_IMAGE_MODEL", "").strip() or DEFAULT_IMAGE_MODEL,
        timeout=_float(env, "ATELIER_TIMEOUT", DEFAULT_TIMEOUT, minimum=0.1),
        retries=min(_int(env, "ATELIER_RETRIES", DEFAULT_RETRIES) or 0, MAX_RETRIES),
        budget_tokens=_int(env, "ATELIER_BUDGET_TOKENS", None, minimum=1),
        cassette_dir=cassette_dir,
        cassette_name=env.get("ATELIER_CASSETTE", "").strip() or None,
        azure_endpoint=azure,
        azure_api_version=env.get("OPENAI_API_VERSION", "").strip() or "2024-10-21",
        privacy=privacy,
        prices_file=Path(prices) if prices else None,
        max_tokens=_int(env, "ATELIER_MAX_TOKENS", DEFAULT_MAX_TOKENS, minimum=1)
        or DEFAULT_MAX_TOKENS,
        max_response_bytes=int(
            _float(env, "ATELIER_MAX_RESPONSE_MB", DEFAULT_MAX_RESPONSE_MB, minimum=0.001)
            * 1_000_000
        ),
        participant=(
            env.get("ATELIER_PARTICIPANT", "").strip() or env.get("JUPYTERHUB_USER", "").strip()
        )
        or None,
        record_log=Path(env["ATELIER_RECORD_LOG"]) if env.get("ATELIER_RECORD_LOG") else None,
        record_personal_data=env.get("ATELIER_RECORD_PERSONAL_DATA", "").strip().lower()
        in ("1", "true", "yes", "oui"),
        **_local_block(env, root),
    )


# -- Local model and routing by classification (issue 14) ---------------------------------
CLASSIFICATIONS = ("public", "interne", "confidentiel", "secret")


def _local_block(env: dict, root: Path) -> dict:
    """Settings of the local model server and of routing by data classification."""
    level = env.get("ATELIER_CLASSIFICATION", "").strip().lower() or "interne"
    if level not in CLASSIFICATIONS:
        raise ConfigError(
            f"ATELIER_CLASSIFICATION={level!r} n'est pas un niveau connu.",
            "Choisissez public, interne, confidentiel ou secret.",
        )
    local = env.get("ATELIER_LOCAL_BASE_URL", "").strip().rstrip("/") or None
    hosts = tuple(
        h.strip() for h in env.get("ATELIER_PRIVACY_EXEMPT_HOSTS", "").split(",") if h.strip()
    )
    models = env.get("ATELIER_MODELS_DIR", "").strip()
    return {
        "classification": level,
        "local_base_url": local,
        "local_model": env.get("ATELIER_LOCAL_MODEL", "").strip() or None,
        "inhouse_hosts": hosts,
        "models_dir": Path(models) if models else root / "models",
        # Outside a course the state goes to the user's home, so `status` finds it anywhere.
        "state_dir": root / ".atelier"
        if (root / "curriculum.yml").is_file()
        else Path.home() / ".atelier",
    }
