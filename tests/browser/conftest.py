"""Real-browser fixtures: Debian's chromium driven by Playwright, a local static server.

Never a downloaded browser (`playwright install` is not used): chromium comes from Debian
(``tools/browser-deps.sh``). When it or the ``playwright`` package is missing the tests are
skipped locally, but FAIL under CI (``CI=true``) so a green run always means they ran.
Screenshots are kept in ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str):
    """Skip locally; fail loudly in CI, where browser tests must run."""
    if in_ci():
        pytest.fail(f"Tests navigateur impossibles en CI : {reason}. Lancez "
                    "« bash tools/browser-deps.sh » (fait par « make test ») et installez les "
                    "extras dev.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        unavailable(f"chromium absent ({CHROMIUM}) : bash tools/browser-deps.sh l'installe")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("le paquet Python « playwright » n'est pas installé (extras dev)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def artifacts(request) -> Path:
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Guard:
    """Blocks and records every request leaving 127.0.0.1 (the tests never reach further)."""

    def __init__(self):
        self.external: list[str] = []

    def __call__(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture
def new_page(browser):
    """``new_page()`` -> (page, guard, console errors); pages are closed afterwards."""
    contexts = []

    def make(**kwargs):
        ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR",
                                  **kwargs)
        contexts.append(ctx)
        guard = Guard()
        ctx.route("**/*", guard)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page, guard, errors

    yield make
    for ctx in contexts:
        ctx.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """``serve(folder)`` -> base URL of a static server on 127.0.0.1 (stopped afterwards)."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_port}"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def node_modules() -> Path:
    nm = ROOT / "slides" / "node_modules"
    if not (nm / "reveal.js" / "dist" / "reveal.js").is_file():
        unavailable("slides/node_modules absent : bash tools/browser-deps.sh lance npm ci")
    return nm
