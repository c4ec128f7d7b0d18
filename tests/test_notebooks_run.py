"""Every course notebook runs top to bottom: offline, and live against the local server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

from toolkit.course.curriculum import load

ROOT = Path(__file__).resolve().parent.parent
CUR = load(ROOT)
NOTEBOOKS = [p for p in [ROOT / CUR.home, *(ROOT / m.file for m in CUR.modules())] if p.exists()]
IDS = [str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS]


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.relative_to(ROOT)}: a cell failed:\n{str(exc)[-3000:]}")
    return nb, time.perf_counter() - start


def _no_error_outputs(nb, rel):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{rel} cell {i}: {out.get('ename')}"
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                assert "Traceback" not in out.get("text", ""), f"{rel} cell {i}: traceback"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_offline_under_nbval(path, tmp_path):
    """Offline, no key, no network: nbval (lax: every cell runs without error)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    (tmp_path / "home").mkdir()
    env.update(ATELIER_MODE="offline", ATELIER_ENV_FILE=str(tmp_path / "no.env"),
               ATELIER_SHARED_DIR=str(tmp_path / "partage"), HOME=str(tmp_path / "home"),
               ATELIER_CASSETTES=str(tmp_path / "cassettes"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         "--nbval-cell-timeout=120", "-o", "addopts=", str(path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"{path.relative_to(ROOT)}:\n{result.stdout[-4000:]}"
    assert " passed" in result.stdout and " failed" not in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_live(path, monkeypatch, tmp_path, openai_server, api_key):
    openai_server.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))
    (tmp_path / "home").mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # notebooks save results under ~
    nb, _ = execute(path)
    _no_error_outputs(nb, path.relative_to(ROOT))
    assert api_key not in nbformat.writes(nb), "the key leaked into a notebook output"
    badges = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "atelier-answer" in out.get("data", {}).get("text/html", "")
    ]
    for badge in badges:  # a prepared `simulated=` text is for offline mode only
        assert "data-mode='live'" in badge, badge[:300]


#: What the generic offline simulation writes when a demo has no prepared answer, and what a
#: prepared answer says when the notebook's own prompt no longer matches it.
PLACEHOLDERS = re.compile(
    r"Élément simulé|\d \(simulé\)|simulé \d|valeur simulée|point à préciser|"
    r"montre seulement la forme|Réponse simulée à|Liste simulée|Tableau simulé|"
    r"Lettre simulée|Résumé simulé|Description simulée|votre consigne a changé",
    re.IGNORECASE,
)


def _output_text(out) -> str:
    parts = [out.get("text", "")]
    for mime, value in (out.get("data") or {}).items():
        if mime.startswith("text/") or mime == "application/json":
            parts.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_offline_demos_show_prepared_answers(path, monkeypatch, tmp_path):
    """Offline, every demo shows the answer prepared for its prompt, never a generic filler."""
    for name in list(os.environ):
        if name.startswith(("ATELIER_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))
    (tmp_path / "home").mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    nb, _ = execute(path)
    rel = path.relative_to(ROOT)
    _no_error_outputs(nb, rel)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            found = PLACEHOLDERS.search(_output_text(out))
            assert found is None, f"{rel} cell {i}: generic offline text « {found.group(0)} »"
