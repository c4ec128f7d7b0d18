"""Every faulty reply, through ``toolkit.ask`` and the real SDK: bounded, French, no key."""

from __future__ import annotations

import logging
import time

import pytest
from _fault_table import CAUSE, EXPECTED, TIMEOUT, slow_server

import toolkit
from toolkit import errors


@pytest.fixture
def faulty(live, monkeypatch):
    monkeypatch.setenv("ATELIER_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("ATELIER_MAX_RESPONSE_MB", "1")
    old = slow_server(live)
    toolkit.ask("Bonjour", stream=False)  # the SDK imported once: not part of any deadline
    live.reset()
    yield live
    for k, v in old.items():
        setattr(live, k, v)


@pytest.mark.parametrize(("fault", "stream"), sorted(EXPECTED), ids=lambda v: str(v))
def test_fault_ends_in_time_with_a_french_message(faulty, api_key, fault, stream, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    expected = EXPECTED[(fault, stream)]
    start = time.monotonic()
    shown: list[str] = []
    if expected == "incomplete":
        answer = toolkit.ask("Bonjour", model=f"fault-{fault}", stream=stream)
        assert not answer.complete
        assert answer.text, "a cut answer keeps the text received"
        assert any("Réponse incomplète" in w for w in answer.warnings)
        assert "réponse incomplète" in answer.summary()
        assert "data-complete='false'" in answer._repr_html_()
        shown += [answer._repr_html_(), answer.summary(), *answer.warnings]
    else:
        with pytest.raises(errors.LLMError) as info:
            toolkit.ask("Bonjour", model=f"fault-{fault}", stream=stream)
        err = info.value
        assert type(err) is expected, f"{type(err).__name__}: {err}"
        assert CAUSE[fault] in err.message.lower()
        assert err.fix and "Que faire" in str(err)
        assert len(err._render_traceback_()) == 2
        shown += [str(err), err.detail or "", *err._render_traceback_()]
    elapsed = time.monotonic() - start
    assert elapsed <= 2 * TIMEOUT + 0.5, f"{fault} took {elapsed:.2f} s"
    out = capsys.readouterr()
    shown += [out.out, out.err, caplog.text]
    assert not any("Traceback" in text for text in shown)
    assert not any(api_key in text for text in shown)


def test_slow_429_is_not_retried_past_the_deadline_and_names_the_wait(faulty):
    start = time.monotonic()
    with pytest.raises(errors.RateLimitError) as info:
        toolkit.ask("Bonjour", model="fault-slow429", stream=False)
    assert time.monotonic() - start < 2 * TIMEOUT
    assert "5\u202fs" in info.value.fix  # the server's Retry-After, not « une minute »
    assert len([r for r in faulty.requests if r["body"].get("model") == "fault-slow429"]) == 1


def test_a_retry_is_made_only_when_it_fits(faulty, monkeypatch):
    # slow500 answers after 1 s: with a 2 s timeout (deadline just under 4 s), a first retry
    # fits; a second would start with too little time left, whatever ATELIER_RETRIES says.
    monkeypatch.setenv("ATELIER_RETRIES", "3")
    start = time.monotonic()
    with pytest.raises(errors.ServerError):
        toolkit.ask("Bonjour", model="fault-slow500", stream=False)
    assert time.monotonic() - start <= 2 * TIMEOUT
    assert len(faulty.requests) == 2
    faulty.reset()
    monkeypatch.setenv("ATELIER_RETRIES", "0")
    with pytest.raises(errors.ServerError):
        toolkit.ask("Bonjour", model="fault-slow500", stream=False)
    assert len(faulty.requests) == 1


def test_retried_stream_does_not_glue_both_attempts(live, capsys):
    live.inject("reset")
    answer = toolkit.ask("Donne 3 idées", stream=True)
    out = capsys.readouterr()
    assert "Nouvel essai" in out.err
    # The cut first try stays on its own line; the second try is printed whole, once.
    assert out.out.startswith("début de réponse \n")
    assert out.out.endswith(answer.text + "\n")
    assert out.out.count(answer.text) == 1


def test_max_tokens_is_sent_and_a_cut_answer_says_so(live, monkeypatch):
    monkeypatch.setenv("ATELIER_MAX_TOKENS", "5")
    answer = toolkit.ask("Donne 6 idées de titres", stream=False)
    assert live.requests[-1]["body"]["max_tokens"] == 5
    assert answer.completion_tokens == 5 and answer.finish_reason == "length"
    assert not answer.complete
    assert any("ATELIER_MAX_TOKENS" in w for w in answer.warnings)


def test_a_key_in_the_url_userinfo_is_never_shown(live, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "sk-in-url-" + "7" * 24
    url = live.base_url.replace("http://", f"http://user:{secret}@")
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    shown = [toolkit.settings().endpoint, str(toolkit.doctor())]
    # httpx turns a URL's userinfo into Basic auth, which this server refuses: the point
    # here is only what gets shown.
    with pytest.raises(errors.LLMError) as info:
        toolkit.ask("Bonjour")
    shown += [str(info.value), info.value.detail or ""]
    monkeypatch.setenv("OPENAI_BASE_URL", url.replace(str(live.port), "1"))
    with pytest.raises(errors.EndpointUnreachableError) as info:
        toolkit.ask("Bonjour")
    shown += [str(info.value), info.value.detail or "", *capsys.readouterr(), caplog.text]
    assert not any(secret in text for text in shown)
    assert "127.0.0.1" in info.value.message or "127.0.0.1" in shown[0]


def test_doctor_waits_the_timeout_it_states(live, monkeypatch):
    monkeypatch.setenv("ATELIER_TIMEOUT", "1")
    live.inject("hang")
    start = time.monotonic()
    report = toolkit.doctor()
    assert time.monotonic() - start < 2.5  # one wait of ATELIER_TIMEOUT, not a fixed 5 s
    assert not report.ok
    assert "délai de 1 s" in str(report)


def test_doctor_accepts_an_azure_deployment_name(azure, monkeypatch):
    monkeypatch.setenv("ATELIER_MODEL", "mon-deploiement-rh")
    report = toolkit.status(check=True)
    text = str(report)
    assert "mon-deploiement-rh" in text and "déploiement" in text
    assert "n'est pas dans la liste" not in text
    assert report.ok, text
