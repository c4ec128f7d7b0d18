"""Every setting of the toolkit, declared once, read from the environment and the course's ``.env``.

Each setting is one field of :class:`Settings` declared with :func:`_setting`: its variable
name, type (a parser), default, one French help line and its group.  That one declaration
feeds ``settings()``, the generated ``.env.example`` (``python tools/env_example.py``) and
the settings section of ``atelier doctor`` (:func:`settings_rows`); ``tests/test_config.py``
fails when they drift apart.

Settings are re-read at every call (a notebook may change ``os.environ``), cached on the
values of the declared variables so a call costs a few microseconds; ``.env`` is loaded once,
without overriding variables already set.  Secrets are wrapped in :class:`Secret`, whose
``repr``/``str`` only ever show the last four characters.

To add a setting: add one field to :class:`Settings`, in the group where it belongs::

    max_tokens: int | None = _setting(
        "ATELIER_MAX_TOKENS", _int, None, "Longueur maximale d'une réponse, en jetons.",
        group=LIMITS, minimum=1,
    )

then run ``python tools/env_example.py`` to regenerate ``.env.example``; read it anywhere as
``settings().max_tokens`` (never through ``os.environ``).  A value that needs more than one
variable (the API key, the mode) is derived in :func:`_resolve`.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from toolkit.errors import ConfigError

__all__ = [
    "CLASSIFICATIONS",
    "MODES",
    "MODE_WORDS",
    "Secret",
    "Settings",
    "course_root",
    "env_example",
    "is_local_host",
    "is_local_url",
    "mode_word",
    "settings",
    "settings_rows",
    "simulated_model",
    "strip_userinfo",
]

MODES = ("live", "replay", "offline", "record")
#: The one French word of each mode, used everywhere a mode is named: the answer badge, the
#: status table, ``atelier doctor``, the terminal and the lab banner.
MODE_WORDS = {
    "live": "en direct",
    "replay": "rejoué",
    "offline": "hors ligne",
    "record": "enregistrement",
}
PRIVACY_RULES = ("warn", "mask", "block", "off")
#: Data classification levels, as French and Swiss administrations use them (issue 14).
CLASSIFICATIONS = ("public", "interne", "confidentiel", "secret")
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_IMAGE_MODEL = "gpt-image-1"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 1
MAX_RETRIES = 3
DEFAULT_AZURE_API_VERSION = "2024-10-21"
DEFAULT_MAX_TOKENS = 1024
DEFAULT_MAX_RESPONSE_MB = 8.0

_dotenv_loaded = False
#: The ``.env`` file loaded (if any) and the variables it set, shown by ``atelier doctor``.
_dotenv_file: Path | None = None
_dotenv_names: frozenset[str] = frozenset()


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


def mode_word(mode: str) -> str:
    """The French word of *mode* (« en direct », « rejoué », « hors ligne »...)."""
    return MODE_WORDS.get(mode, mode)


def simulated_model(model: str) -> str:
    """How the offline mode names the model it stands in for: ``simulation (gpt-4o-mini)``."""
    return f"simulation ({model})"


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



# --- Parsers: (variable name, raw non-empty text, field metadata) -> value ------------------


def _text(name: str, raw: str, meta: dict) -> str:
    return raw.strip()


def _secret(name: str, raw: str, meta: dict) -> Secret:
    return Secret(raw)  # kept as typed: a key is never trimmed behind the user's back


def _path(name: str, raw: str, meta: dict) -> Path:
    return Path(raw.strip())


def _hosts(name: str, raw: str, meta: dict) -> tuple[str, ...]:
    return tuple(h.strip() for h in raw.split(",") if h.strip())


def _choice(name: str, raw: str, meta: dict) -> str:
    value = raw.strip().lower()
    if value not in meta["choices"]:
        raise ConfigError(f"{name}={value!r} {meta['unknown']}.", meta["hint"])
    return value


def _locale_name(name: str, raw: str, meta: dict) -> str:
    # "fr-ch", "fr_CH" and "FR_ch" all name the same locale; Babel wants "fr_CH".
    lang, _, region = raw.strip().replace("-", "_").partition("_")
    value = f"{lang.lower()}_{region.upper()}" if region else lang.lower()
    if value not in meta["choices"]:
        raise ConfigError(f"{name}={raw.strip()!r} n'est pas une langue du cours.",
                          f"Choisissez parmi : {', '.join(meta['choices'])}.")
    return value


def _float(name: str, raw: str, meta: dict) -> float:
    raw = raw.strip()
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} n'est pas un nombre.",
            f"Mettez par exemple {name}={meta['default']:g}.",
        ) from None
    minimum = meta.get("minimum") or 0.0
    if value < minimum:
        raise ConfigError(f"{name}={raw} est trop petit.", f"Mettez une valeur >= {minimum:g}.")
    return value


def _flag(name: str, raw: str, meta: dict) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "oui", "on"):
        return True
    if value in ("0", "false", "no", "non", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} n'est ni oui ni non.", f"Mettez {name}=1 ou {name}=0.")


def _int(name: str, raw: str, meta: dict) -> int:
    raw = raw.strip().replace("_", "").replace(" ", "")
    if not raw.isdigit():
        raise ConfigError(
            f"{name}={raw!r} n'est pas un nombre entier.", f"Mettez par exemple {name}=20000."
        )
    value = int(raw)
    minimum = meta.get("minimum") or 0
    if value < minimum:
        raise ConfigError(f"{name}={raw} est trop petit.", f"Mettez une valeur >= {minimum}.")
    if meta.get("maximum") is not None:  # a ceiling, not an error (e.g. retries)
        value = min(value, meta["maximum"])
    return value


_Parser = Callable[[str, str, dict], Any]


def _setting(
    name: str,
    parse: _Parser,
    default: Any,
    help: str,
    *,
    group: str,
    example: str = "",
    **extra: Any,
) -> Any:
    """Declare the setting read from variable *name* (a :class:`Settings` field)."""
    # French typography: a narrow no-break space before ; : ! ? in the help line.
    help = re.sub(r" ([;:!?])", "\u202f\\1", help)
    meta = {"env": name, "parse": parse, "default": default, "help": help, "group": group,
            "example": example, **extra}
    return field(default=default, metadata=meta)


MODEL = "Accès au modèle (mode en direct)"
AZURE = "Azure OpenAI (à la place de l'accès ci-dessus)"
LIMITS = "Mode et limites"
PRIVACY = "Garde de confidentialité"
LOCAL = "Modèle local et classification des données"
WORKSHOP = "Atelier"
EXERCISES = "Exercices (nbgrader)"
HUB = "Hub de l'atelier (atelier hub ...)"
#: Groups written commented out in .env.example (an alternative, not a default choice).
_COMMENTED_GROUPS = (AZURE,)


@dataclass(frozen=True)
class Settings:
    """Everything the toolkit reads from the environment, resolved (see the module docstring)."""

    # -- model access
    openai_api_key: Secret | None = _setting(
        "OPENAI_API_KEY", _secret, None,
        "Clé du serveur compatible OpenAI (OpenAI, Albert, passerelle LiteLLM...). "
        "Inutile pour un serveur sur cette machine (Ollama, vLLM, LM Studio).",
        group=MODEL,
    )
    base_url: str | None = _setting(
        "OPENAI_BASE_URL", _text, None,
        "Adresse du serveur ; vide = OpenAI (https://api.openai.com/v1). Par exemple Ollama "
        "http://127.0.0.1:11434/v1, LM Studio http://127.0.0.1:1234/v1, vLLM "
        "http://127.0.0.1:8000/v1, LiteLLM https://litellm.example.org.",
        group=MODEL,
    )
    model: str = _setting(
        "ATELIER_MODEL", _text, DEFAULT_MODEL,
        "Nom du modèle tel que le serveur le connaît (sur Azure, le nom du déploiement).",
        group=MODEL,
    )
    image_model: str = _setting(
        "ATELIER_IMAGE_MODEL", _text, DEFAULT_IMAGE_MODEL,
        "Modèle d'images utilisé par toolkit.draw.", group=MODEL,
    )
    # -- Azure OpenAI
    azure_endpoint: str | None = _setting(
        "AZURE_OPENAI_ENDPOINT", _text, None, "Adresse de la ressource Azure OpenAI.",
        group=AZURE, example="https://ma-ressource.openai.azure.com",
    )
    azure_api_key: Secret | None = _setting(
        "AZURE_OPENAI_API_KEY", _secret, None,
        "Clé de la ressource Azure OpenAI (prioritaire sur OPENAI_API_KEY).", group=AZURE,
    )
    azure_api_version: str = _setting(
        "OPENAI_API_VERSION", _text, DEFAULT_AZURE_API_VERSION,
        "Version de l'API Azure OpenAI.", group=AZURE, example=DEFAULT_AZURE_API_VERSION,
    )
    # -- mode and limits
    mode: str = _setting(
        "ATELIER_MODE", _choice, "",
        "live (en direct), replay (réponses enregistrées), offline (réponses simulées) ou "
        "record (enregistrer) ; vide = live si une clé ou une adresse est configurée, "
        "sinon offline.",
        group=LIMITS, choices=MODES, unknown="n'est pas un mode connu",
        hint="Choisissez live (en direct), replay (réponses enregistrées) ou offline "
        "(réponses simulées).",
    )
    timeout: float = _setting(
        "ATELIER_TIMEOUT", _float, DEFAULT_TIMEOUT,
        "Secondes avant d'abandonner un appel au modèle.", group=LIMITS, minimum=0.1,
    )
    retries: int = _setting(
        "ATELIER_RETRIES", _int, DEFAULT_RETRIES,
        f"Nouveaux essais après une erreur 429 ou 5xx (au plus {MAX_RETRIES}).",
        group=LIMITS, maximum=MAX_RETRIES,
    )
    budget_tokens: int | None = _setting(
        "ATELIER_BUDGET_TOKENS", _int, None,
        "Budget de jetons d'une session (un noyau de notebook) ; vide = pas de budget.",
        group=LIMITS, minimum=1,
    )
    max_tokens: int = _setting(
        "ATELIER_MAX_TOKENS", _int, DEFAULT_MAX_TOKENS,
        "Nombre maximal de jetons demandés au modèle pour une réponse (réservés sur le "
        "budget avant l'appel).",
        group=LIMITS, minimum=1,
    )
    max_response_mb: float = _setting(
        "ATELIER_MAX_RESPONSE_MB", _float, DEFAULT_MAX_RESPONSE_MB,
        "Taille maximale d'une réponse du serveur, en mégaoctets ; au-delà, la réponse est "
        "refusée.",
        group=LIMITS, minimum=0.001,
    )
    participant: str | None = _setting(
        "ATELIER_PARTICIPANT", _text, None,
        "Identifiant du ou de la participant·e, clé de son budget de jetons (par défaut "
        "l'utilisateur du hub, JUPYTERHUB_USER).",
        group=LIMITS,
    )
    record_log: Path | None = _setting(
        "ATELIER_RECORD_LOG", _path, None,
        "Fichier où « atelier record » note ce qui a été masqué ou refusé (posé par la "
        "commande).",
        group=LIMITS,
    )
    record_personal_data: bool = _setting(
        "ATELIER_RECORD_PERSONAL_DATA", _flag, False,
        "1 pour enregistrer des données personnelles non masquées (posé par « atelier record "
        "--allow-personal-data »).",
        group=LIMITS,
    )
    cassette_dir: Path = _setting(
        "ATELIER_CASSETTES", _path, None,
        "Dossier des réponses enregistrées pour le mode replay (par défaut cassettes/ dans "
        "le dossier du cours).",
        group=LIMITS,
    )
    cassette_name: str | None = _setting(
        "ATELIER_CASSETTE", _text, None,
        "Nom du fichier de réponses enregistrées (par défaut celui du notebook).", group=LIMITS,
    )
    prices_file: Path | None = _setting(
        "ATELIER_PRICES", _path, None,
        "Votre propre table de prix (YAML, même forme que toolkit/data/prices.yml).",
        group=LIMITS,
    )
    # -- confidentiality guard
    privacy: str = _setting(
        "ATELIER_PRIVACY", _choice, "warn",
        "Que faire quand une consigne destinée à un serveur distant contient des données "
        "personnelles ou confidentielles : warn (avertir), mask (masquer), block (bloquer) "
        "ou off.",
        group=PRIVACY, choices=PRIVACY_RULES, unknown="n'est pas une règle connue",
        hint="Choisissez warn (avertir), mask (masquer) ou block (bloquer).",
    )
    privacy_exempt_hosts: tuple[str, ...] = _setting(
        "ATELIER_PRIVACY_EXEMPT_HOSTS", _hosts, (),
        "Serveurs internes exemptés de la garde, séparés par des virgules "
        "(.intra.exemple.ch couvre tous ses sous-domaines).",
        group=PRIVACY,
    )
    privacy_terms: Path | None = _setting(
        "ATELIER_PRIVACY_TERMS", _path, None,
        "Fichier YAML des termes propres à l'organisation (noms de code, mentions), voir "
        "toolkit/data/privacy/termes-exemple.yml.",
        group=PRIVACY,
    )
    # -- local model and routing by classification
    classification: str = _setting(
        "ATELIER_CLASSIFICATION", _choice, "interne",
        "Classification par défaut des consignes : public, interne, confidentiel (seulement "
        "vers un modèle local ou interne) ou secret (jamais envoyé).",
        group=LOCAL, choices=CLASSIFICATIONS, unknown="n'est pas un niveau connu",
        hint="Choisissez public, interne, confidentiel ou secret.",
    )
    local_base_url: str | None = _setting(
        "ATELIER_LOCAL_BASE_URL", _text, None,
        "Adresse du modèle local (posée par « atelier model serve »), par exemple "
        "http://127.0.0.1:8090/v1 ; reçoit les consignes confidentielles.",
        group=LOCAL,
    )
    local_model: str | None = _setting(
        "ATELIER_LOCAL_MODEL", _text, None,
        "Nom du modèle servi à l'adresse locale (posé par « atelier model serve »).",
        group=LOCAL,
    )
    models_dir: Path = _setting(  # set in _resolve when the variable is empty
        "ATELIER_MODELS_DIR", _path, None,
        "Dossier des fichiers GGUF du cours (par défaut models/ dans le dossier du cours).",
        group=LOCAL,
    )
    # -- workshop
    survey_pre_url: str | None = _setting(
        "ATELIER_SURVEY_PRE_URL", _text, None,
        "Lien du questionnaire de départ (affiché avec un code QR).", group=WORKSHOP,
    )
    survey_post_url: str | None = _setting(
        "ATELIER_SURVEY_POST_URL", _text, None,
        "Lien du questionnaire de fin (affiché avec un code QR).", group=WORKSHOP,
    )
    shared_dir: Path | None = _setting(
        "ATELIER_SHARED_DIR", _path, None,
        "Dossier partagé du tour de table et du top 3, par exemple un lecteur réseau "
        "(/mnt/partage/atelier-ia) ou un volume du hub ; par défaut ~/atelier-partage.",
        group=WORKSHOP,
    )
    lab_dir: Path | None = _setting(
        "ATELIER_LAB_DIR", _path, None,
        "Dossier des espaces de travail d'«\u00a0atelier lab\u00a0» (une copie du cours par "
        "version et par édition, hors du dépôt) ; par défaut ~/atelier-ia.",
        group=WORKSHOP,
    )
    organisation: str = _setting(
        "ATELIER_ORGANISATION", _text, "Atelier IA",
        "Nom de l'organisation affiché sur les diaporamas et les rapports.", group=WORKSHOP,
    )
    locale: str = _setting(
        "ATELIER_LOCALE", _locale_name, "fr_CH",
        "Formats des nombres, pourcentages et montants : fr_CH (1'234,5) ou fr_FR (1 234,5).",
        group=WORKSHOP, choices=("fr_CH", "fr_FR", "fr_BE", "fr_CA"),
    )
    logo: Path | None = _setting(
        "ATELIER_LOGO", _path, None,
        "Logo de l'organisation (PNG, JPEG ou SVG) sur les diaporamas et les rapports.",
        group=WORKSHOP,
    )
    trainer: str | None = _setting(
        "ATELIER_TRAINER", _text, None,
        "Nom du formateur ou de la formatrice sur les feuilles d'émargement et les "
        "attestations (atelier preuves).",
        group=WORKSHOP,
    )
    training_place: str | None = _setting(
        "ATELIER_TRAINING_PLACE", _text, None,
        "Lieu de la formation sur les feuilles d'émargement et les attestations.",
        group=WORKSHOP,
    )
    authorised_tools: str | None = _setting(
        "ATELIER_AUTHORISED_TOOLS", _text, None,
        "Outils d'IA autorisés par l'organisation, notés au registre de formation "
        "(atelier preuves registre), par exemple « Albert, Copilot (compte de l'organisation) ».",
        group=WORKSHOP,
    )
    refresher_months: int = _setting(
        "ATELIER_REFRESHER_MONTHS", _int, 12,
        "Mois avant la prochaine mise à jour des connaissances, notée au registre de formation.",
        group=WORKSHOP, minimum=1,
    )
    survey_salt: Secret | None = _setting(
        "ATELIER_SURVEY_SALT", _secret, None,
        "Sel des pseudonymes des participants dans les exports du questionnaire "
        "(gardez-le secret) ; vide = un sel aléatoire à chaque analyse.",
        group=WORKSHOP,
    )
    env_file: Path | None = _setting(
        "ATELIER_ENV_FILE", _path, None,
        "Un autre fichier de réglages à lire à la place du .env du cours.", group=WORKSHOP,
    )
    # -- exercises
    nbgrader_db: Path | None = _setting(
        "ATELIER_NBGRADER_DB", _path, None,
        "Base de notes du cours (par défaut exercises/gradebook.db).", group=EXERCISES,
    )
    nbgrader_exchange: Path | None = _setting(
        "ATELIER_NBGRADER_EXCHANGE", _path, None,
        "Dossier d'échange des devoirs (par défaut exercises/exchange).", group=EXERCISES,
    )
    # -- hub
    hub_state: Path | None = _setting(
        "ATELIER_HUB_STATE", _path, None,
        "Dossier d'état du hub (par défaut /var/lib/atelier-hub).", group=HUB,
    )
    # -- derived in _resolve (no variable of their own)
    mode_reason: str = ""
    #: Where ``atelier model serve`` keeps its state (pid, port, model, start time).
    state_dir: Path = Path(".atelier")
    #: Whether ATELIER_ORGANISATION was set: a notebook may then fall back on its own wording
    #: (« Notre organisation ») instead of the default name shown on decks and proofs.
    organisation_given: bool = False

    @property
    def inhouse_hosts(self) -> tuple[str, ...]:
        """Hosts declared in-house (ATELIER_PRIVACY_EXEMPT_HOSTS): confidential prompts may go."""
        return self.privacy_exempt_hosts

    @property
    def api_key(self) -> Secret | None:
        """The key handed to the SDK: Azure's when set, else OpenAI's."""
        return self.azure_api_key or self.openai_api_key

    @property
    def max_response_bytes(self) -> int:
        """The response-size cap in bytes (ATELIER_MAX_RESPONSE_MB)."""
        return int(self.max_response_mb * 1_000_000)

    @property
    def endpoint(self) -> str:
        """Human-readable endpoint (never contains the key, even one written in the URL)."""
        if self.azure_endpoint:
            return f"Azure OpenAI {strip_userinfo(self.azure_endpoint)}"
        return strip_userinfo(self.base_url) or "https://api.openai.com/v1"

    @property
    def is_local(self) -> bool:
        return is_local_url(self.azure_endpoint or self.base_url)


#: The declared settings, in declaration order: (field name, metadata).
_DECLARED: tuple[tuple[str, dict], ...] = tuple(
    (f.name, dict(f.metadata)) for f in dataclasses.fields(Settings) if "env" in f.metadata
)
#: Every variable settings() depends on (with the working folder, the cache key): the
#: declared ones, then the variables of other programs a setting falls back on.
_FALLBACKS = ("JUPYTERHUB_USER",)
_VARIABLES: tuple[str, ...] = tuple(meta["env"] for _, meta in _DECLARED) + _FALLBACKS


def _load_dotenv() -> None:
    """Load the course's ``.env`` (or ``ATELIER_ENV_FILE``) once, never overriding."""
    global _dotenv_loaded, _dotenv_file, _dotenv_names
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    # ATELIER_ENV_FILE is read here directly: it says which file holds the other settings.
    explicit = os.environ.get("ATELIER_ENV_FILE")
    path = Path(explicit) if explicit else (root / ".env" if (root := course_root()) else None)
    if path is None or not path.is_file():
        return
    from dotenv import dotenv_values

    added = set()
    for name, value in dotenv_values(path).items():
        if value is not None and name not in os.environ:
            os.environ[name] = value
            added.add(name)
    _dotenv_file, _dotenv_names = path, frozenset(added)


def settings() -> Settings:
    """Read the current settings (``.env`` loaded once, environment re-read every time).

    Resolved settings are cached on the values of the variables they depend on, so a
    notebook that changes ``os.environ`` sees the change at its next call.
    """
    _load_dotenv()
    snapshot = tuple(map(os.environ.get, _VARIABLES))
    return _resolve(snapshot, os.getcwd())


def _parse(attr: str, meta: dict, raw: str | None) -> Any:
    if raw is None or not raw.strip():
        return meta["default"]
    return meta["parse"](meta["env"], raw, meta)


@functools.lru_cache(maxsize=16)
def _resolve(snapshot: tuple, cwd: str) -> Settings:
    values = {
        attr: _parse(attr, meta, raw)
        for (attr, meta), raw in zip(_DECLARED, snapshot[: len(_DECLARED)], strict=True)
    }
    fallbacks = dict(zip(_FALLBACKS, snapshot[len(_DECLARED) :], strict=True))
    if not values["participant"]:  # the hub sets JUPYTERHUB_USER for each participant
        values["participant"] = (fallbacks["JUPYTERHUB_USER"] or "").strip() or None
    if values["local_base_url"]:
        values["local_base_url"] = values["local_base_url"].rstrip("/")
    if not (values["openai_api_key"] or values["azure_api_key"] or values["base_url"]
            or values["azure_endpoint"]) and values["local_base_url"]:
        # Only a local model configured (atelier model serve): it is the configured endpoint.
        values["base_url"] = values["local_base_url"]
        model_raw = snapshot[_VARIABLES.index("ATELIER_MODEL")]
        if not (model_raw or "").strip() and values["local_model"]:
            values["model"] = values["local_model"]
    if values["mode"]:
        reason = "choisi par ATELIER_MODE"
    elif values["openai_api_key"] or values["azure_api_key"] or values["base_url"] \
            or values["azure_endpoint"]:
        values["mode"], reason = "live", "une clé ou une adresse de modèle est configurée"
    else:
        values["mode"], reason = "offline", "aucune clé ni adresse de modèle n'est configurée"
    root = course_root(Path(cwd))
    if values["cassette_dir"] is None:
        values["cassette_dir"] = (root or Path(cwd)) / "cassettes"
    if values["models_dir"] is None:
        values["models_dir"] = (root or Path(cwd)) / "models"
    # Outside a course the server state goes to the user's home, so `status` finds it anywhere.
    state_dir = root / ".atelier" if root else Path.home() / ".atelier"
    organisation_raw = snapshot[_VARIABLES.index("ATELIER_ORGANISATION")]
    return Settings(**values, mode_reason=reason, state_dir=state_dir,
                    organisation_given=bool((organisation_raw or "").strip()))


def settings_rows() -> list[tuple[str, str, bool | None]]:
    """Rows (label, value, ok) for ``atelier doctor``: each setting set, checked on its own.

    A value that does not parse is a failed row naming the variable and the fix; an
    ``ATELIER_*`` variable nobody declared (a typo) is a warning.
    """
    _load_dotenv()
    rows: list[tuple[str, str, bool | None]] = []
    if _dotenv_file is not None:
        rows.append(("Fichier de réglages", str(_dotenv_file), None))
    unset = 0
    for attr, meta in _DECLARED:
        name = meta["env"]
        raw = os.environ.get(name)
        if raw is None or not raw.strip():
            unset += 1
            continue
        where = " (fichier .env)" if name in _dotenv_names else ""
        try:
            value = _parse(attr, meta, raw)
        except ConfigError as exc:
            rows.append((name, str(exc), False))
            continue
        shown = value.masked() if isinstance(value, Secret) else raw.strip()
        if "://" in shown:  # a key written in a URL (user:KEY@host) is never shown
            shown = strip_userinfo(shown) or shown
        rows.append((name, shown + where, True))
    for name in sorted(os.environ):
        if name.startswith("ATELIER_") and name not in _VARIABLES:
            rows.append((name, "réglage inconnu : faute de frappe ? (voir .env.example)", None))
    rows.append(("Autres réglages", f"{unset} à leur valeur par défaut (voir .env.example)", None))
    return rows


def _default_text(meta: dict) -> str:
    default = meta["default"]
    if default in (None, "", ()) or str(default) in meta["help"]:
        return ""
    shown = f"{default:g}" if isinstance(default, float) else str(default)
    return f" Par\u00a0défaut\u202f: {shown}."


def env_example() -> str:
    """The text of ``.env.example``, generated from the declaration of :class:`Settings`."""
    lines = [
        "# Atelier IA — réglages. Copiez ce fichier en .env (ne le versionnez jamais) et",
        "# remplissez ce qui vous sert ; une ligne vide garde la valeur par défaut.",
        "# Sans clé ni adresse de modèle, le cours fonctionne hors ligne (réponses simulées).",
        "# Fichier généré depuis toolkit/config.py par «\u00a0python tools/env_example.py\u00a0»",
        "# (ne le modifiez pas à la main).",
    ]
    group = None
    for _attr, meta in _DECLARED:
        if meta["group"] != group:
            group = meta["group"]
            lines += ["", f"# --- {group} " + "-" * max(3, 88 - len(group))]
        help_text = meta["help"] + _default_text(meta)
        lines += textwrap.wrap(help_text, 90, initial_indent="# ", subsequent_indent="# ")
        prefix = "# " if group in _COMMENTED_GROUPS else ""
        lines.append(f"{prefix}{meta['env']}={meta['example']}")
    return "\n".join(lines) + "\n"
