"""Routing by classification for real: a remote stand-in (the test OpenAI server, reached
under a non-local host name, so the guard and the router both see a remote endpoint) logs
every request, and the real llama.cpp server is the local endpoint. No ``confidentiel`` or
``secret`` prompt ever reaches the remote one.

The one mock: name resolution. ``api.externe.example`` resolves to 127.0.0.1 (patched
``socket.getaddrinfo``), so the real SDK makes real HTTP requests that never leave the machine.
"""

from __future__ import annotations

import socket
import sys

import pytest

import toolkit
from toolkit.errors import RoutingRefusedError
from toolkit.llm import routing

REMOTE_HOST = "api.externe.example"

PERSONAL = [
    "Rédige une réponse à marie.dubois@exemple.ch au sujet de son dossier.",
    "Prépare le virement vers l'IBAN CH93 0076 2011 6238 5295 7 pour la facture 2024-118.",
    "Le numéro AVS de l'employée est 756.9217.0769.85 : résume son dossier.",
    "Rappelle M. Martin au 06 12 34 56 78 pour confirmer le rendez-vous.",
]


@pytest.fixture
def both(local, openai_server, api_key, monkeypatch):
    """External endpoint = the stand-in (via a proxy), local endpoint = llama.cpp."""
    openai_server.reset()
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        return real("127.0.0.1" if host == REMOTE_HOST else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://{REMOTE_HOST}:{openai_server.port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    routing.set_classification(None)
    yield openai_server
    routing.set_classification(None)


def _remote_saw(server, text: str) -> bool:
    return any(text in str(r["body"]) for r in server.requests)


def test_public_goes_to_the_external_endpoint(both):
    answer = toolkit.ask("Propose un titre pour une offre d'emploi de comptable.", stream=False)
    assert _remote_saw(both, "comptable")
    assert answer.origin.startswith("serveur externe api.externe.example")


def test_confidential_goes_to_the_local_model_only(both):
    answer = toolkit.ask(
        "Résume le rapport d'audit interne du service social.",
        classification="confidentiel",
        stream=False,
    )
    assert both.requests == []
    assert answer.origin.startswith("modèle local · smollm2")


def test_secret_goes_nowhere(both):
    with pytest.raises(RoutingRefusedError, match="secret"):
        toolkit.ask("Plan d'évacuation du bâtiment A.", classification="secret", stream=False)
    assert both.requests == []


@pytest.mark.parametrize("prompt", PERSONAL, ids=["email", "iban", "avs", "phone"])
def test_personal_data_is_rerouted_to_the_local_model(both, prompt):
    answer = toolkit.ask(prompt, stream=False)  # default level: interne, policy warn
    assert both.requests == [], "personal data reached the remote endpoint"
    assert answer.origin.startswith("modèle local")
    assert any("confidentiel" in w and "données personnelles" in w for w in answer.warnings)


def test_personal_data_without_a_local_endpoint_is_refused(both, monkeypatch):
    monkeypatch.delenv("ATELIER_LOCAL_BASE_URL")
    for prompt in PERSONAL:
        with pytest.raises(RoutingRefusedError) as info:
            toolkit.ask(prompt, stream=False)
        assert "api.externe.example" in info.value.message
    assert both.requests == []


def test_masked_personal_data_may_go_out_masked(both, monkeypatch):
    monkeypatch.setenv("ATELIER_PRIVACY", "mask")
    toolkit.ask(PERSONAL[0], stream=False)
    assert _remote_saw(both, "[EMAIL_1]") and not _remote_saw(both, "marie.dubois@exemple.ch")


def test_notebook_wide_and_environment_levels(both, monkeypatch):
    routing.set_classification("confidentiel")
    assert toolkit.ask("Bonjour.", stream=False).origin.startswith("modèle local")
    routing.set_classification(None)
    monkeypatch.setenv("ATELIER_CLASSIFICATION", "confidentiel")
    assert toolkit.ask("Bonjour.", stream=False).origin.startswith("modèle local")
    assert toolkit.ask("Bonjour.", classification="public", stream=False).origin.startswith(
        "serveur externe"
    )
    assert len(both.requests) == 1


def test_a_guard_that_cannot_be_imported_sends_nothing_out(both, monkeypatch):
    monkeypatch.setitem(sys.modules, "toolkit.privacy.policy", None)  # import now fails
    answer = toolkit.ask("Propose un titre pour une offre d'emploi.", stream=False)
    assert both.requests == [] and answer.origin.startswith("modèle local")
    assert any("n'a pas pu s'exécuter" in w for w in answer.warnings)
    monkeypatch.delenv("ATELIER_LOCAL_BASE_URL")
    with pytest.raises(RoutingRefusedError, match="n'a pas pu s'exécuter"):
        toolkit.ask("Propose un titre pour une offre d'emploi.", stream=False)
    assert both.requests == []


def test_a_guard_that_crashes_sends_nothing_out(both, monkeypatch):
    import toolkit.privacy.policy as policy

    def broken(*args, **kwargs):
        raise RuntimeError("spaCy model missing")

    monkeypatch.setattr(policy, "guard", broken)
    answer = toolkit.ask("Propose un titre pour une offre d'emploi.", stream=False)
    assert both.requests == [] and answer.origin.startswith("modèle local")


def test_images_are_never_drawn_from_confidential_prompts(both, monkeypatch):
    monkeypatch.setenv("ATELIER_CLASSIFICATION", "confidentiel")
    with pytest.raises(RoutingRefusedError):
        toolkit.draw("Le plan du site protégé")
    assert both.requests == []
