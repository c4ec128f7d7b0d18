"""Record against the local server, then replay with no network."""

from __future__ import annotations

import json

import pytest

import toolkit
from toolkit.errors import ReplayMissError
from toolkit.llm.replay import CassetteStore, normalise_request, request_key


def _record(monkeypatch, name="01-bienvenue"):
    monkeypatch.setenv("ATELIER_MODE", "record")
    monkeypatch.setenv("ATELIER_CASSETTE", name)


def _replay(monkeypatch):
    # No endpoint at all: replay must not need one.
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ATELIER_MODE", "replay")
    toolkit.llm.client.reset_session()


def test_record_then_replay_without_network(live, monkeypatch, tmp_path, api_key):
    _record(monkeypatch)
    recorded = toolkit.ask("Donne 3 idées de sujets de newsletter interne", temperature=0.3)
    picture = toolkit.draw("Un pictogramme de mairie")
    assert recorded.mode == "record"
    files = list((tmp_path / "cassettes" / "01-bienvenue").glob("*.json"))
    assert len(files) == 2
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert api_key not in text and "Authorization" not in text
        json.loads(text)

    _replay(monkeypatch)
    replayed = toolkit.ask("Donne 3 idées de sujets de newsletter interne  \n", temperature=0.3)
    assert replayed.mode == "replay"
    assert replayed.text == recorded.text
    assert replayed.completion_tokens == recorded.completion_tokens
    assert "rejoué · réponse enregistrée" in replayed._repr_html_()
    assert toolkit.draw("Un pictogramme de mairie").image.size == picture.image.size


def test_replay_miss_names_prompt_and_command(monkeypatch):
    _replay(monkeypatch)
    with pytest.raises(ReplayMissError) as info:
        toolkit.ask("Une question jamais enregistrée sur le budget communal")
    assert "Une question jamais enregistrée" in info.value.message
    assert "atelier record" in info.value.fix


def test_temperature_and_model_are_part_of_the_key():
    base = normalise_request("chat", [{"role": "user", "content": "a"}])
    assert request_key(base) == request_key(
        normalise_request("chat", [{"role": "user", "content": "a \n\n"}])
    )
    assert request_key(base) != request_key(
        normalise_request("chat", [{"role": "user", "content": "a"}], temperature=0.5)
    )
    assert request_key(base) != request_key(
        normalise_request("chat", [{"role": "user", "content": "a"}], model="m")
    )


def test_store_sees_cassettes_added_later(tmp_path):
    store = CassetteStore(tmp_path)
    assert store.get("abc") is None
    other = CassetteStore(tmp_path)
    other.put("nb", "abc", {"kind": "chat"}, {"text": "ok"})
    assert store.get("abc") == {"text": "ok"}
    assert len(store) == 1
