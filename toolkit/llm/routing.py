"""Routing by data classification, fail-closed: which endpoint a prompt may go to.

Four levels, as French and Swiss administrations use them: ``public`` and ``interne`` go to
the configured endpoint; ``confidentiel`` only to an endpoint on this machine or on a host
declared in-house; ``secret`` nowhere.  A prompt's level is the one asked for (argument, then
the notebook-wide setting, then ``ATELIER_CLASSIFICATION``), raised to ``confidentiel`` when
the confidentiality guard finds personal data or cannot run.  Pure decisions: no network,
no settings read here; :mod:`toolkit.llm.client` feeds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from toolkit.config import CLASSIFICATIONS, is_local_host
from toolkit.errors import ConfigError, RoutingRefusedError

__all__ = [
    "LEVELS",
    "Endpoint",
    "Route",
    "classification",
    "decide",
    "is_inhouse",
    "raise_level",
    "requested_level",
    "set_classification",
]

LEVELS = CLASSIFICATIONS
_RANK = {level: i for i, level in enumerate(LEVELS)}
_notebook_level: str | None = None


def _check(level: str, where: str) -> str:
    value = str(level).strip().lower()
    if value not in _RANK:
        raise ConfigError(
            f"Classification inconnue {where} : « {level} ».",
            "Choisissez public, interne, confidentiel ou secret.",
        )
    return value


def set_classification(level: str | None) -> None:
    """Notebook-wide classification for the following calls (None: back to the default)."""
    global _notebook_level
    _notebook_level = None if level is None else _check(level, "pour ce notebook")


def classification() -> str | None:
    """The notebook-wide classification, if one was set."""
    return _notebook_level


def requested_level(explicit: str | None, default: str) -> tuple[str, str]:
    """(level, where it came from): the argument, else the notebook's, else the default."""
    if explicit is not None:
        return _check(explicit, "dans l'appel"), "demandé dans l'appel"
    if _notebook_level is not None:
        return _notebook_level, "choisi pour ce notebook"
    return _check(default, "(ATELIER_CLASSIFICATION)"), "niveau par défaut"


def raise_level(level: str, minimum: str) -> str:
    """The stricter of two levels."""
    return level if _RANK[level] >= _RANK[minimum] else minimum


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_inhouse(url: str | None, inhouse_hosts: tuple[str, ...] | list[str] = ()) -> bool:
    """True for an endpoint on this machine or on a host declared in-house.

    An entry starting with a dot (``.intra.exemple.ch``) covers its sub-domains; ``None``
    (the provider's default endpoint) is never in-house.
    """
    host = _host(url)
    if not host:
        return False
    if is_local_host(host):
        return True
    for entry in inhouse_hosts:
        entry = entry.strip().lower()
        if entry.startswith(("*.", ".")):
            suffix = entry.lstrip("*")
            if host.endswith(suffix) or host == suffix.lstrip("."):
                return True
        elif entry and host == _host(entry):
            return True
    return False


@dataclass(frozen=True)
class Endpoint:
    """A place prompts can go: ``role`` is ``external`` (configured) or ``local``."""

    role: str
    url: str | None
    model: str
    azure: bool = False

    @property
    def host(self) -> str:
        return _host(self.url) or "api.openai.com"

    @property
    def on_machine(self) -> bool:
        return is_local_host(self.host)


@dataclass(frozen=True)
class Route:
    """Where one prompt goes, at which level, and why."""

    level: str
    endpoint: Endpoint
    inhouse: bool
    reason: str

    @property
    def badge(self) -> str:
        """Where the answer came from, for the answer's badge."""
        if not self.inhouse:
            return f"serveur externe {self.endpoint.host} · {self.endpoint.model}"
        if self.endpoint.on_machine:
            return f"modèle local · {self.endpoint.model} · rien ne quitte cet ordinateur"
        return (
            f"serveur interne {self.endpoint.host} · {self.endpoint.model} · rien ne quitte "
            "l'organisation"
        )


def _where_allowed(level: str) -> str:
    if level == "confidentiel":
        return (
            "un modèle sur cet ordinateur (« atelier model serve », puis ATELIER_LOCAL_BASE_URL) "
            "ou un serveur déclaré interne (ATELIER_PRIVACY_EXEMPT_HOSTS)"
        )
    return "un modèle d'IA, quel qu'il soit"


def decide(
    level: str,
    external: Endpoint | None,
    local: Endpoint | None,
    inhouse: tuple[str, ...] | list[str] | Callable[[str | None], bool] = (),
    reason: str = "niveau par défaut",
) -> Route:
    """The route for a prompt of *level*, or :class:`RoutingRefusedError` (nothing is sent).

    ``public``/``interne``: the external endpoint when one is configured, else the local one.
    ``confidentiel``: the first in-house endpoint (the external one may itself be in-house).
    ``secret``: always refused. *inhouse* is the list of hosts declared in-house, or a
    predicate on an endpoint's URL.
    """
    level = _check(level, "")
    if callable(inhouse):
        is_in = inhouse
    else:
        hosts = tuple(inhouse)

        def is_in(url: str | None) -> bool:
            return is_inhouse(url, hosts)

    if level == "secret":
        raise RoutingRefusedError(
            f"Demande classée « secret » ({reason}) : elle ne part vers aucun modèle, ni "
            "externe ni local.",
            "Une information secrète ne se traite pas avec un outil d'IA ; retirez-la du texte "
            "ou reclassez la demande si elle ne l'est pas.",
        )
    candidates = [e for e in (external, local) if e is not None]
    if not candidates:
        raise ConfigError(
            "Aucun modèle n'est configuré.",
            "Mettez OPENAI_BASE_URL (et OPENAI_API_KEY) dans .env, ou servez le modèle intégré "
            "avec « atelier model serve ».",
        )
    if level in ("public", "interne"):
        chosen = candidates[0]
        return Route(level, chosen, is_in(chosen.url), reason)
    for endpoint in candidates:
        if is_in(endpoint.url):
            return Route(level, endpoint, True, reason)
    out = external.host if external else "le serveur configuré"
    raise RoutingRefusedError(
        f"Demande classée « confidentiel » ({reason}) : elle ne peut pas partir vers {out}, "
        "qui est hors de l'organisation. Rien n'a été envoyé.",
        f"Elle peut aller vers {_where_allowed(level)} ; sinon, retirez les données "
        "confidentielles ou masquez-les (ATELIER_PRIVACY=mask).",
    )
