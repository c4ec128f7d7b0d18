"""Every course notebook runs top to bottom: offline, and live against the local server."""

from __future__ import annotations

import time
from pathlib import Path

import nbclient
import nbformat
import pytest

from toolkit.curriculum import load

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
def test_runs_offline(path, monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))
    (tmp_path / "home").mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # notebooks save results under ~
    nb, _ = execute(path)
    _no_error_outputs(nb, path.relative_to(ROOT))
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if "data" in o
    )
    if "atelier-answer" in html:
        assert "réponse simulée" in html


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
