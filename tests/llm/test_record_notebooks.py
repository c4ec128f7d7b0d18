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
    out = capsys.readouterr().out
    assert "enregistrée" in out and "(s)" not in out
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


def _notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Limites"),
        nbformat.v4.new_code_cell("import toolkit\ntoolkit.ask('Donne 3 idées de titres')"),
        nbformat.v4.new_code_cell(
            "toolkit.ask('Rédige une réponse à marie.dubois@exemple.ch sur son dossier.')"
        ),
    ]
    path = tmp_path / "05-limites.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("policy", "flag", "said", "ok"),
    [
        ("warn", [], "cellule 3 : refusé", False),
        ("mask", [], "cellule 3 : masqué", True),
        ("warn", ["--allow-personal-data"], "cellule 3 : enregistré tel quel", True),
    ],
)
def test_record_applies_the_policy_and_says_so_per_cell(
    live, monkeypatch, tmp_path, capsys, policy, flag, said, ok
):
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("ATELIER_PRIVACY", policy)
    path = _notebook(tmp_path)
    status = main(["record", *flag, str(path)])
    out = capsys.readouterr().out
    assert said in out, out
    assert (status == 0) is ok, out
    stored = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "cassettes").glob("*/*.json")
    )
    assert ("marie.dubois" in stored) is bool(flag)
    if not ok:
        assert "la cellule 3 a échoué (RecordRefusedError" in out
