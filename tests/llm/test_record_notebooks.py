"""``atelier record`` end to end: record a notebook live, then replay it with no endpoint."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

from toolkit.cli import main
from toolkit.errors import ConfigError
from toolkit.llm.record import record_notebooks

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "notebooks" / "00-accueil.ipynb"


@pytest.mark.slow
def test_record_then_replay_a_notebook(live, monkeypatch, tmp_path, api_key, capsys):
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "none.env"))
    assert main(["record", str(HOME)]) == 0
    assert "réponse(s) enregistrée(s)" in capsys.readouterr().out
    cassettes = list((tmp_path / "cassettes" / "00-accueil").glob("*.json"))
    assert cassettes, "no cassette written"
    for path in cassettes:
        assert api_key not in path.read_text(encoding="utf-8")

    # Replay: no key, no address, the server unused.
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var)
    monkeypatch.setenv("ATELIER_MODE", "replay")
    count = len(live.requests)
    nb = nbformat.read(HOME, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(HOME.parent)}}
    ).execute()
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "rejoué · réponse enregistrée" in html
    assert len(live.requests) == count


def test_record_needs_a_real_endpoint(monkeypatch):
    with pytest.raises(ConfigError, match="accès à un vrai modèle"):
        record_notebooks([HOME])
