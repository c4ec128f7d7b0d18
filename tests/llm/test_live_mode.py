"""Live mode through the real openai SDK against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

import toolkit
from toolkit import errors


def test_live_answer_with_server_usage(live):
    answer = toolkit.ask('Réponds en JSON avec les clés "titre" et "resume".', system="Tu es RH.")
    assert answer.mode == "live"
    assert answer.text.startswith("{")
    assert set(json.loads(answer.text)) == {"titre", "resume"}
    body = live.requests[-1]["body"]
    assert body["messages"][0] == {"role": "system", "content": "Tu es RH."}
    assert body["model"] == "gpt-4o-mini"
    assert answer.prompt_tokens > 0 and answer.completion_tokens > 0
    assert answer.cost == 0.0  # local endpoint
    assert "en direct" in answer._repr_html_()
    assert answer.notice and "en direct" in answer.notice.lower()


class _Collect:
    """A sink that keeps every piece (the backend interface's streaming side)."""

    def __init__(self):
        self.pieces: list[str] = []
        self.restarts = 0
        self.failed = False

    def __call__(self, delta: str) -> None:
        self.pieces.append(delta)

    def restart(self) -> None:
        self.restarts += 1
        self.pieces.clear()

    def finish(self, answer) -> None:
        pass

    def fail(self) -> None:
        self.failed = True


def test_streaming_collects_every_piece(live):
    from toolkit.config import settings
    from toolkit.llm.backends import Deadline, LiveBackend, Request

    sink = _Collect()
    request = Request(
        messages=({"role": "user", "content": "Donne 6 idées"},),
        model="gpt-4o-mini",
        temperature=0.2,
        max_tokens=500,
        stream=True,
    )
    answer = LiveBackend(settings()).complete(request, Deadline(10), sink=sink)
    assert len(sink.pieces) >= 3
    assert "".join(sink.pieces) == answer.text
    assert answer.completion_tokens and answer.prompt_tokens  # include_usage honoured
    body = live.requests[-1]["body"]
    assert body["stream"] is True and body["temperature"] == 0.2
    assert body["max_tokens"] == 500


def test_stream_flag_gives_same_text(live, capsys):
    plain = toolkit.ask("Donne 3 conseils", stream=False)
    streamed = toolkit.ask("Donne 3 conseils", stream=True)
    assert streamed.text == plain.text
    assert plain.text in capsys.readouterr().out  # printed as it arrived


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("401", errors.AuthenticationError, "refusé la clé"),
        ("403", errors.AuthenticationError, "refusé la clé"),
        ("404", errors.ModelNotFoundError, "n'est pas proposé"),
    ],
)
def test_http_errors_become_french_errors(live, fault, error, words):
    live.inject(fault)
    with pytest.raises(error) as info:
        toolkit.ask("Bonjour")
    assert words in info.value.message
    assert info.value.fix


def test_unknown_model(live):
    with pytest.raises(errors.ModelNotFoundError, match="missing-model"):
        toolkit.ask("Bonjour", model="missing-model")


def test_one_retry_then_success_on_429_and_500(live):
    live.inject("429")
    assert toolkit.ask("Bonjour").mode == "live"
    live.inject("500")
    assert toolkit.ask("Bonjour").mode == "live"


def test_retries_are_bounded(live, monkeypatch):
    live.inject("429", "429", "429")
    with pytest.raises(errors.RateLimitError):
        toolkit.ask("Bonjour")
    assert len(live.faults) == 1  # first try + one retry, not more
    live.reset()
    monkeypatch.setenv("ATELIER_RETRIES", "0")
    live.inject("500", "500")
    with pytest.raises(errors.ServerError):
        toolkit.ask("Bonjour")
    assert len(live.faults) == 1


def test_hung_endpoint_fails_within_twice_the_timeout(live, monkeypatch):
    monkeypatch.setenv("ATELIER_TIMEOUT", "1")
    live.inject("hang", "hang")
    start = time.monotonic()
    with pytest.raises(errors.EndpointTimeoutError) as info:
        toolkit.ask("Bonjour", stream=False)
    elapsed = time.monotonic() - start
    assert elapsed < 2 * 1.0
    assert "1 s" in info.value.message


def test_refused_connection(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nobody listens there
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("ATELIER_RETRIES", "0")
    with pytest.raises(errors.EndpointUnreachableError, match="Impossible de joindre"):
        toolkit.ask("Bonjour")


def test_remote_endpoint_without_key_is_refused_before_any_request(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example.invalid/v1")
    with pytest.raises(errors.MissingKeyError, match="Aucune clé"):
        toolkit.ask("Bonjour")


def test_local_endpoint_needs_no_key(live, monkeypatch):
    live.api_key, saved = None, live.api_key
    try:
        monkeypatch.delenv("OPENAI_API_KEY")
        assert toolkit.ask("Bonjour").mode == "live"
        headers = {k.lower(): v for k, v in live.requests[-1]["headers"].items()}
        auth = headers.get("authorization", "")
        assert auth.startswith("Bearer ") and "sk-" not in auth
    finally:
        live.api_key = saved


def test_azure_openai(azure, monkeypatch):
    monkeypatch.setenv("ATELIER_MODEL", "gpt-4o-mini")
    answer = toolkit.ask("Bonjour")
    assert answer.mode == "live"
    request = azure.requests[-1]
    assert request["path"].startswith("/openai/deployments/gpt-4o-mini/chat/completions")
    assert "api-version=" in request["path"]


def test_vision_sends_image(live, tmp_path):
    from PIL import Image

    img = tmp_path / "formulaire.png"
    Image.new("RGB", (20, 20), "white").save(img)
    answer = toolkit.ask("Que contient ce formulaire ?", images=[img])
    content = live.requests[-1]["body"]["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "Que contient ce formulaire ?"}
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "image" in answer.text


def test_draw_live(live):
    picture = toolkit.draw("Un logo sobre pour un service des impôts")
    assert picture.mode == "live"
    assert picture.image.size == (64, 64)
    assert live.requests[-1]["path"].endswith("/images/generations")


def test_budget_applies_live(live, monkeypatch):
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "60")
    toolkit.ask("Bonjour")
    count = len(live.requests)
    with pytest.raises(errors.BudgetExceededError):
        toolkit.ask("Bonjour")
    assert len(live.requests) == count  # refused before any request


def test_key_never_appears(live, api_key, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    shown = []
    answer = toolkit.ask("Bonjour")
    shown += [repr(answer), str(answer), answer._repr_html_(), repr(toolkit.settings())]
    shown.append(str(toolkit.doctor()))
    for fault in ("401", "429", "500"):
        live.inject(fault, fault)
        with pytest.raises(errors.LLMError) as info:
            toolkit.ask("Bonjour")
        shown += [str(info.value), info.value.detail or "", *info.value._render_traceback_()]
    out = capsys.readouterr()
    shown += [out.out, out.err, caplog.text]
    for text in shown:
        assert api_key not in text
    assert api_key[-4:] in str(toolkit.doctor())  # masked form is shown
