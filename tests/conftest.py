"""Shared fixtures: a clean environment for every test and a real local OpenAI-compatible server."""

from __future__ import annotations

import os
import secrets

import pytest

from toolkit import config
from toolkit.llm import client
from toolkit.testing.openai_server import FakeOpenAIServer

_PREFIXES = ("ATELIER_", "OPENAI_", "AZURE_OPENAI_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No setting leaks in from the machine (or a developer's .env) into a test."""
    for name in list(os.environ):
        if name.startswith(_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "_dotenv_loaded", True)
    monkeypatch.setenv("ATELIER_CASSETTES", str(tmp_path / "cassettes"))
    client.reset_session()
    yield
    client.reset_session()


@pytest.fixture(scope="session")
def api_key() -> str:
    """A random key, made up for this run: tests check it never shows anywhere."""
    return "sk-test-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def openai_server(api_key):
    server = FakeOpenAIServer(api_key=api_key, hang_seconds=20).start()
    yield server
    server.stop()


@pytest.fixture
def live(monkeypatch, openai_server, api_key):
    """Live mode against the local server (through the real openai SDK)."""
    openai_server.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    monkeypatch.setenv("ATELIER_TIMEOUT", "5")
    return openai_server


@pytest.fixture
def azure(live, monkeypatch, api_key):
    """Live mode against the local server reached as Azure OpenAI (no OpenAI variables)."""
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", f"http://127.0.0.1:{live.port}")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", api_key)
    return live


@pytest.fixture
def widget_text():
    """``widget_text(obj)``: the text form of a widget, checked to be its bundle's plain text
    beside a widget view (what nbconvert and a terminal show instead of the widget)."""

    def check(obj) -> str:
        text = str(obj)
        bundle = obj._repr_mimebundle_()
        assert bundle["text/plain"] == text
        assert "application/vnd.jupyter.widget-view+json" in bundle
        return text

    return check
