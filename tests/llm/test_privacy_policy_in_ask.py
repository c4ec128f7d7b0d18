"""The confidentiality guard inside ``toolkit.ask``: warn, mask, block, exempt, offline.

The stand-in server runs on 127.0.0.1, which the guard rightly exempts; to exercise a remote
endpoint, the tests declare it non-local by patching ``is_local_endpoint`` (the only mock).
"""

from __future__ import annotations

import pytest

import toolkit
from toolkit.errors import PrivacyBlockedError, RoutingRefusedError

PROMPT = "Rédige une réponse à marie.dubois@exemple.ch au sujet de son dossier."


@pytest.fixture
def remote(live, monkeypatch):
    import toolkit.privacy.policy as policy

    monkeypatch.setattr(policy, "is_local_endpoint", lambda *a, **k: False)
    return live


def _sent(server) -> str:
    return server.requests[-1]["body"]["messages"][-1]["content"]


def test_local_endpoint_is_exempt(live):
    answer = toolkit.ask(PROMPT)
    assert answer.privacy.action == "exempt"
    assert "marie.dubois@exemple.ch" in _sent(live)
    assert answer.warnings == []


def test_warn_with_personal_data_never_sends_it_to_a_remote_endpoint(remote):
    # Personal data makes the prompt « confidentiel » (issue 14): with no local endpoint it is
    # refused, whatever the policy (see tests/models/test_routing_live.py for the local route).
    before = len(remote.requests)
    with pytest.raises(RoutingRefusedError) as info:
        toolkit.ask(PROMPT)
    assert len(remote.requests) == before
    assert "confidentiel" in info.value.message and "données personnelles" in info.value.message


def test_warn_without_personal_data_sends_as_is(remote):
    answer = toolkit.ask("Rédige un titre pour une offre d'emploi de comptable.")
    assert answer.privacy.action == "none"
    assert "comptable" in _sent(remote)
    assert answer.origin.startswith("serveur externe 127.0.0.1")


def test_mask_sends_placeholders_and_restores_the_answer(remote, monkeypatch):
    monkeypatch.setenv("ATELIER_PRIVACY", "mask")
    answer = toolkit.ask(PROMPT)
    sent = _sent(remote)
    assert "marie.dubois@exemple.ch" not in sent
    assert "[EMAIL_1]" in sent
    # The stand-in server quotes the start of the prompt: the real value is put back locally.
    assert "[EMAIL_1]" not in answer.text
    assert "marie.dubois@exemple.ch" in answer.text


def test_block_sends_nothing(remote, monkeypatch):
    monkeypatch.setenv("ATELIER_PRIVACY", "block")
    before = len(remote.requests)
    with pytest.raises(PrivacyBlockedError) as info:
        toolkit.ask(PROMPT)
    assert len(remote.requests) == before
    assert "bloqué" in info.value.message


def test_offline_shows_what_would_have_happened(monkeypatch):
    monkeypatch.setenv("ATELIER_PRIVACY", "block")
    answer = toolkit.ask(PROMPT)  # offline: nothing leaves, nothing is blocked
    assert answer.mode == "offline"
    assert answer.privacy.action == "blocked"
    assert any("rien n'est parti" in w for w in answer.warnings)
