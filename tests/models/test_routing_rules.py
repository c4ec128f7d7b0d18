"""The routing decision (pure): every level against every combination of endpoints, in-house
hosts, where a level comes from, and the refusals' French messages."""

from __future__ import annotations

import itertools

import pytest

from toolkit.errors import ConfigError, PrivacyBlockedError, RoutingRefusedError
from toolkit.llm import routing
from toolkit.llm.routing import Endpoint, decide, is_inhouse, raise_level, requested_level

REMOTE = Endpoint("external", "https://api.openai.com/v1", "gpt-4o-mini")
DEFAULT = Endpoint("external", None, "gpt-4o-mini")  # the SDK's default: OpenAI
ALBERT = Endpoint("external", "https://albert.api.etalab.gouv.fr/v1", "albert-large")
INHOUSE = Endpoint("external", "https://llm.intra.exemple.ch/v1", "qwen")
SERVED = Endpoint("local", "http://127.0.0.1:8090/v1", "smollm2-135m-instruct")
OLLAMA6 = Endpoint("local", "http://[::1]:11434/v1", "qwen2.5:3b")
HOSTS = (".intra.exemple.ch",)

EXTERNALS = [None, REMOTE, DEFAULT, ALBERT, INHOUSE]
LOCALS = [None, SERVED, OLLAMA6]


@pytest.fixture(autouse=True)
def _no_notebook_level():
    routing.set_classification(None)
    yield
    routing.set_classification(None)


@pytest.mark.parametrize(
    ("level", "external", "local"), list(itertools.product(routing.LEVELS, EXTERNALS, LOCALS))
)
def test_decision_table(level, external, local):
    """The rule, stated once and checked on all 60 combinations."""
    inside = [e for e in (external, local) if e is not None and is_inhouse(e.url, HOSTS)]
    if level == "secret":  # refused before anything else, even with nothing configured
        with pytest.raises(RoutingRefusedError, match="secret"):
            decide(level, external, local, HOSTS)
        return
    if external is None and local is None:
        with pytest.raises(ConfigError):
            decide(level, external, local, HOSTS)
        return
    if level == "confidentiel" and not inside:
        with pytest.raises(RoutingRefusedError) as info:
            decide(level, external, local, HOSTS)
        assert "Rien n'a été envoyé" in info.value.message
        assert "atelier model serve" in info.value.fix  # says where it may go
        return
    route = decide(level, external, local, HOSTS)
    if level == "confidentiel":
        assert route.endpoint == inside[0] and route.inhouse
    else:  # public / interne: the configured endpoint first, else the local one
        assert route.endpoint == (external or local)
    assert route.level == level


@pytest.mark.parametrize("external", [REMOTE, DEFAULT, ALBERT])
def test_confidential_never_goes_out_even_as_the_only_choice(external):
    with pytest.raises(RoutingRefusedError):
        decide("confidentiel", external, None, ())


def test_refusals_are_privacy_errors():
    assert issubclass(RoutingRefusedError, PrivacyBlockedError)


@pytest.mark.parametrize(
    ("url", "hosts", "expected"),
    [
        ("http://127.0.0.1:8090/v1", (), True),
        ("http://127.8.9.10/v1", (), True),
        ("http://localhost:11434/v1", (), True),
        ("http://[::1]:1234/v1", (), True),
        ("https://api.openai.com/v1", (), False),
        (None, (), False),
        ("", (), False),
        ("https://llm.intra.exemple.ch/v1", ("llm.intra.exemple.ch",), True),
        ("https://gpu3.intra.exemple.ch/v1", (".intra.exemple.ch",), True),
        ("https://gpu3.intra.exemple.ch/v1", ("*.intra.exemple.ch",), True),
        ("https://intra.exemple.ch.evil.com/v1", (".intra.exemple.ch",), False),
        ("https://evilintra.exemple.ch/v1", (".intra.exemple.ch",), False),
        ("http://10.0.0.5:8000/v1", ("10.0.0.5",), True),
        ("http://10.0.0.6:8000/v1", ("10.0.0.5",), False),
        ("http://127.0.0.1.nip.io/v1", (), False),
    ],
)
def test_inhouse_hosts(url, hosts, expected):
    assert is_inhouse(url, hosts) is expected


def test_level_precedence_call_then_notebook_then_default():
    assert requested_level(None, "interne")[0] == "interne"
    routing.set_classification("Confidentiel")
    assert requested_level(None, "public") == ("confidentiel", "choisi pour ce notebook")
    assert requested_level("public", "secret")[0] == "public"
    routing.set_classification(None)
    assert requested_level(None, "secret")[0] == "secret"


@pytest.mark.parametrize("bad", ["confidential", "très secret", ""])
def test_unknown_levels_are_refused(bad):
    with pytest.raises(ConfigError, match="public, interne, confidentiel ou secret"):
        requested_level(bad, "interne")
    with pytest.raises(ConfigError):
        routing.set_classification(bad)


def test_raise_level_only_raises():
    for a, b in itertools.product(routing.LEVELS, repeat=2):
        got = raise_level(a, b)
        assert got in (a, b)
        assert routing.LEVELS.index(got) == max(routing.LEVELS.index(a), routing.LEVELS.index(b))


def test_badges():
    assert decide("public", None, SERVED).badge == (
        "modèle local · smollm2-135m-instruct · rien ne quitte cet ordinateur"
    )
    assert decide("public", REMOTE, SERVED).badge.startswith("serveur externe api.openai.com")
    assert "rien ne quitte l'organisation" in decide("confidentiel", INHOUSE, None, HOSTS).badge
    assert decide("public", DEFAULT, None).endpoint.host == "api.openai.com"


def test_settings_validate_the_level(monkeypatch):
    from toolkit.config import settings

    monkeypatch.setenv("ATELIER_CLASSIFICATION", "CONFIDENTIEL")
    assert settings().classification == "confidentiel"
    monkeypatch.setenv("ATELIER_CLASSIFICATION", "top-secret")
    with pytest.raises(ConfigError, match="ATELIER_CLASSIFICATION"):
        settings()
