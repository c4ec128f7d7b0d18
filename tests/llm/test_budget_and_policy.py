"""Budgets that hold under concurrency, per participant; replay and record under the policy."""

from __future__ import annotations

import json
import threading

import pytest

import toolkit
from toolkit import errors
from toolkit.llm.budget import Ledger
from toolkit.testing.threads import ask_from_threads

PERSONAL = "Rédige une réponse à marie.dubois@exemple.ch au sujet de son dossier."


def test_max_tokens_shrinks_to_what_the_budget_leaves(live, monkeypatch):
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "100")
    answer = toolkit.ask("Donne 6 idées de titres pour une newsletter interne", stream=False)
    sent = live.requests[-1]["body"]["max_tokens"]
    assert sent == 100 - answer.prompt_tokens
    assert toolkit.usage().total_tokens <= 100
    with pytest.raises(errors.BudgetExceededError):
        toolkit.ask("Encore")


@pytest.mark.parametrize("stream", [False, True])
def test_twenty_threads_stay_within_one_max_tokens_of_the_budget(live, monkeypatch, stream):
    budget, max_tokens = 1500, 120
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", str(budget))
    monkeypatch.setenv("ATELIER_MAX_TOKENS", str(max_tokens))
    live.stream_delay = 0.01  # calls overlap
    try:
        refused = ask_from_threads("Donne 6 idées pour un séminaire d'équipe", threads=20,
                                   calls=3, stream=stream)
    finally:
        live.stream_delay = 0.0
    used = toolkit.usage()
    assert refused, "the budget should have stopped some calls"
    assert used.reserved_tokens == 0
    assert used.total_tokens <= budget + max_tokens
    # The server's own count agrees with the session's.
    assert sum(r["body"]["max_tokens"] for r in live.requests) >= used.completion_tokens


def test_ledger_reservations_are_atomic():
    ledger = Ledger()
    grants: list[int] = []
    lock = threading.Lock()

    def take():
        try:
            r = ledger.reserve("", 10, 50, 1000)
        except errors.BudgetExceededError:
            return
        with lock:
            grants.append(r.tokens)
        ledger.settle(r, 10, r.max_tokens, 0.0)

    threads = [threading.Thread(target=take) for _ in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ledger.usage("").total_tokens == sum(grants) <= 1000


def test_budget_is_kept_per_participant(monkeypatch):
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "150")
    monkeypatch.setenv("ATELIER_PARTICIPANT", "alice")
    with pytest.raises(errors.BudgetExceededError) as info:  # noqa: PT012 - the loop is the point
        for _ in range(20):
            toolkit.ask("Encore une question")
    assert "alice" in info.value.message
    alice = toolkit.usage().total_tokens
    monkeypatch.setenv("ATELIER_PARTICIPANT", "bruno")
    assert toolkit.usage().total_tokens == 0
    toolkit.ask("Bonjour")  # bruno has his own budget
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    monkeypatch.delenv("ATELIER_PARTICIPANT")
    assert toolkit.usage().total_tokens == alice  # the hub's user name is the default key


@pytest.fixture
def remote(live, monkeypatch):
    import toolkit.privacy.policy as policy

    # The only mock: the stand-in server is on 127.0.0.1, which the policy rightly exempts.
    monkeypatch.setattr(policy, "is_local_endpoint", lambda *a, **k: False)
    return live


def _replay(monkeypatch):
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ATELIER_MODE", "replay")
    toolkit.llm.client.reset_session()


@pytest.mark.parametrize("replay_policy", ["mask", "warn"])
def test_a_masked_recording_replays(remote, monkeypatch, tmp_path, replay_policy):
    monkeypatch.setenv("ATELIER_PRIVACY", "mask")
    monkeypatch.setenv("ATELIER_MODE", "record")
    monkeypatch.setenv("ATELIER_CASSETTE", "05-limites")
    recorded = toolkit.ask(PERSONAL)
    files = list((tmp_path / "cassettes" / "05-limites").glob("*.json"))
    assert len(files) == 1
    stored = files[0].read_text(encoding="utf-8")
    assert "marie.dubois" not in stored and "[EMAIL_1]" in stored

    _replay(monkeypatch)
    monkeypatch.setenv("ATELIER_PRIVACY", replay_policy)
    replayed = toolkit.ask(PERSONAL)
    assert replayed.mode == "replay"
    if replay_policy == "mask":
        assert replayed.text == recorded.text  # unmasked locally, as live did
    else:
        assert "[EMAIL_1]" in replayed.text  # the recording's placeholders, never the data


def test_record_refuses_unmasked_personal_data(live, monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_MODE", "record")  # default policy: warn; endpoint is local
    before = len(live.requests)
    with pytest.raises(errors.RecordRefusedError) as info:
        toolkit.ask(PERSONAL)
    assert len(live.requests) == before
    assert "--allow-personal-data" in info.value.fix
    assert not list(tmp_path.glob("cassettes/*/*.json"))
    monkeypatch.setenv("ATELIER_RECORD_PERSONAL_DATA", "1")
    toolkit.ask(PERSONAL)
    assert len(list(tmp_path.glob("cassettes/*/*.json"))) == 1


def test_replay_shows_the_recorded_cost(live, monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "record")
    monkeypatch.setenv("ATELIER_MODEL", "atelier-test")  # a model the price table does not know
    live_answer = toolkit.ask("Donne 3 idées")
    assert live_answer.cost == 0.0
    _replay(monkeypatch)
    monkeypatch.setenv("ATELIER_MODEL", "atelier-test")
    replayed = toolkit.ask("Donne 3 idées")
    assert replayed.cost == live_answer.cost
    assert "coût inconnu" not in replayed.summary()


def test_use_backend_swaps_the_backend_like_a_transport(monkeypatch):
    from toolkit.llm.answer import Answer
    from toolkit.llm.backends import use_backend

    seen = []

    class Canned:
        mode = "live"

        def complete(self, request, deadline, *, sink=None):
            seen.append((request, deadline))
            return Answer(
                text="prête",
                mode="live",
                model=request.model,
                prompt_tokens=None,
                completion_tokens=None,
                cost=0.0,
            )

        def draw(self, request, deadline):
            raise NotImplementedError

    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "500")
    with use_backend(Canned()):
        answer = toolkit.ask("Bonjour", temperature=0.3)
    request, deadline = seen[0]
    assert answer.text == "prête" and answer.prompt_tokens > 0
    assert request.temperature == 0.3 and request.max_tokens and request.messages[-1]["content"]
    assert 0 < deadline.remaining() <= 2 * toolkit.settings().timeout
    assert json.dumps(request.normalised())  # the cassette key's input is plain data
