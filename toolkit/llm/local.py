"""The glue between settings, the confidentiality guard and :mod:`toolkit.llm.routing`: pick
the endpoint of one call (external or local), fail closed, and explain a local server that
died while answering.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from toolkit.config import Settings
from toolkit.errors import LocalServerDiedError, PrivacyBlockedError
from toolkit.llm import routing
from toolkit.llm.backends import LiveBackend

if TYPE_CHECKING:
    from toolkit.privacy.policy import GuardResult

__all__ = ["LocalBackend", "backend_for", "endpoints", "inhouse_predicate", "route"]

#: Model name sent to a local endpoint when none is configured (llama.cpp's server answers
#: with the one model it serves whatever the name).
DEFAULT_LOCAL_MODEL = "local"


def endpoints(s: Settings, model: str) -> tuple[routing.Endpoint, routing.Endpoint | None]:
    """(external, local) endpoints the settings name; the local one may be None."""
    # Always an external one: with nothing configured it is the SDK's default (OpenAI), and
    # the call then fails as before with "no key" (a local model alone is the base URL).
    external = routing.Endpoint(
        "external", s.azure_endpoint or s.base_url, model, azure=bool(s.azure_endpoint)
    )
    local = None
    if s.local_base_url:
        local = routing.Endpoint("local", s.local_base_url, s.local_model or DEFAULT_LOCAL_MODEL)
    return external, local


def inhouse_predicate(s: Settings) -> Callable[[str | None], bool]:
    """The guard's own notion of an in-house endpoint, so guard and routing never disagree."""
    try:
        from toolkit.privacy import policy
    except ImportError:  # no guard: the routing module's rule, same hosts
        return lambda url: routing.is_inhouse(url, s.inhouse_hosts)
    return lambda url: policy.is_local_endpoint(url, list(s.inhouse_hosts))


def _settings_for(s: Settings, endpoint: routing.Endpoint) -> Settings:
    if endpoint.role == "external":
        return s
    return dataclasses.replace(
        s,
        base_url=endpoint.url,
        azure_endpoint=None,
        openai_api_key=None,
        azure_api_key=None,
        model=endpoint.model,
        mode_reason=f"{s.mode_reason} ; modèle local",
    )


def route(
    s: Settings, messages: list[dict], explicit: str | None, model: str, privacy: Callable
) -> tuple[Settings, routing.Route, list[dict], GuardResult | None, list[str]]:
    """Decide where this call goes; return (settings, route, messages, guard result, notes).

    *privacy* is the client's guard step ``(settings, messages) -> (messages, result)``. It
    runs only when the prompt would leave for an endpoint outside the organisation. Personal
    data it finds (unless masked), or a guard that cannot run, raise the level to
    ``confidentiel``: the call then goes to an in-house endpoint or is refused.
    """
    level, why = routing.requested_level(explicit, s.classification)
    external, local = endpoints(s, model)
    inhouse = inhouse_predicate(s)
    chosen = routing.decide(level, external, local, inhouse, why)
    notes: list[str] = []
    result = None
    if chosen.inhouse:  # nothing leaves the organisation: the guard only labels it exempt
        try:
            messages, result = privacy(_settings_for(s, chosen.endpoint), messages)
        except PrivacyBlockedError:
            raise
        except Exception:  # noqa: BLE001 - the label is informative; the route is safe anyway
            result = None
    else:
        found: bool | None
        try:
            sent, result = privacy(s, messages)
        except PrivacyBlockedError:
            raise
        except Exception:  # noqa: BLE001 - fail closed: a guard that fails has not run
            found, sent = None, messages
        else:
            if result is not None:
                found = result.action == "warned"
            elif s.privacy == "off" or not _has_text(messages):
                found = False  # deliberately off, or nothing to check
            else:
                found = None  # the guard module could not be imported
        if found is None or found:
            cause = (
                "le contrôle de confidentialité n'a pas pu s'exécuter"
                if found is None
                else "des données personnelles ont été repérées"
            )
            level = routing.raise_level(level, "confidentiel")
            chosen = routing.decide(level, external, local, inhouse, cause)
            notes.append(
                f"Demande classée « {level} » ({cause}) : elle part vers "
                f"{chosen.badge.split(' · ')[0]} ({chosen.endpoint.host}), pas vers "
                f"{external.host if external else 'le serveur externe'}."
            )
            result = None  # the guard's "sent as is" warning no longer applies
        else:
            messages = sent
    return _settings_for(s, chosen.endpoint), chosen, messages, result, notes


def _has_text(messages: list[dict]) -> bool:
    return any(
        m.get("role") != "assistant" and isinstance(m.get("content"), str) and m["content"].strip()
        for m in messages
    )


def backend_for(s: Settings, chosen: routing.Route):
    """The backend for a routed call: a :class:`LocalBackend` for a model on this machine."""
    from toolkit.llm import backends

    override = backends._override.get()  # a backend swapped in by use_backend() wins
    if override is None and s.mode == "live" and chosen.endpoint.on_machine:
        return LocalBackend(s)
    return backends.choose_backend(s)


class LocalBackend(LiveBackend):
    """Live mode against a model on this machine; a server that dies mid-answer says so."""

    def complete(self, request, deadline, *, sink=None):
        try:
            answer = super().complete(request, deadline, sink=sink)
        except Exception:
            _explain_death(self.settings)
            raise
        if not answer.complete:  # a cut stream keeps what arrived: say why it was cut
            try:
                _explain_death(self.settings)
            except LocalServerDiedError as exc:
                answer.warnings.append(f"{exc.message} {exc.fix}")
        return answer


def _explain_death(s: Settings) -> None:
    """Raise :class:`LocalServerDiedError` if the server behind *s* was started here and died."""
    from toolkit.models.server import died

    dead = died(s.base_url)
    if dead is not None:
        raise LocalServerDiedError(
            f"Le modèle local {dead.model} s'est arrêté pendant la réponse (processus {dead.pid}).",
            f"Relancez-le avec « atelier model serve », puis la cellule ; le journal est dans "
            f"{dead.log}.",
        ) from None
