"""``atelier lab`` (what ``make lab`` runs) serves JupyterLab in French on the course home."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from toolkit.course.lab import ensure_french_locale, lab_command

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8")


def test_overrides_make_french_the_default(tmp_path):
    path = ensure_french_locale(tmp_path)
    data = json.loads(path.read_text())
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "fr_FR"
    path.write_text(json.dumps({"other": {"x": 1}}))
    data = json.loads(ensure_french_locale(tmp_path).read_text())
    assert data["other"] == {"x": 1} and "@jupyterlab/translation-extension:plugin" in data


def test_command_opens_the_home_page():
    cmd = lab_command(ROOT, 9999, "127.0.0.1", True)
    assert "--LabApp.default_url=/lab/tree/notebooks/00-accueil.ipynb" in cmd
    assert f"--ServerApp.root_dir={ROOT}" in cmd


@pytest.mark.slow
def test_atelier_lab_serves_french_jupyterlab(tmp_path):
    port, token = _free_port(), secrets.token_hex(12)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    env.update(
        JUPYTER_TOKEN=token,
        ATELIER_ENV_FILE=str(tmp_path / "none.env"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        # The course's gradebook and exchange stay out of the repository during the test.
        ATELIER_NBGRADER_DB=str(tmp_path / "gradebook.db"),
        ATELIER_NBGRADER_EXCHANGE=str(tmp_path / "exchange"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli", "lab", "--no-browser", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{proc.stdout.read()}")
                time.sleep(0.5)
        status, page = _get(f"{base}/lab", token)
        assert status == 200 and "JupyterLab" in page
        _, body = _get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin", token)
        setting = json.loads(body)  # overrides.json sets the default; no user choice yet
        assert setting["schema"]["properties"]["locale"]["default"] == "fr_FR"
        assert setting["settings"].get("locale", "fr_FR") == "fr_FR"
        _, body = _get(f"{base}/lab/api/translations/fr_FR", token)
        assert json.loads(body)["data"], "French language pack not served"
        _, body = _get(f"{base}/api/contents/notebooks/00-accueil.ipynb?content=0", token)
        assert json.loads(body)["type"] == "notebook"
        # The formgrader finds the course in exercises/ (root nbgrader_config.py).
        _, body = _get(f"{base}/formgrader/api/assignments", token)
        names = {a["name"] for a in json.loads(body)}
        assert "01-anatomie-du-prompt" in names, names
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert "Mode hors ligne" in out
