"""Every session 1 notebook runs live against the real local model (short answers), and
module 3 shows the real model's probabilities, samples and hallucinations, not the fallback."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

from toolkit.course.curriculum import load

ROOT = Path(__file__).resolve().parents[2]
# 02 draws an image: the local model serves text only, so toolkit.draw shows a labelled
# placeholder and says why (see test_draw_with_the_local_model_says_it_is_text_only).
SESSION1 = [ROOT / m.file for m in load(ROOT).session("01-acculturation").modules]
_NAMES = [Path(m.file).name for m in load(ROOT).session("01-acculturation").modules]
MODULE3 = "03-comment-fonctionne-un-llm.ipynb"


def _outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.extend(str(v) for v in out.get("data", {}).values())
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("path", SESSION1, ids=_NAMES)
def test_session1_notebook_live_with_the_local_model(path, local, monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))
    monkeypatch.setenv("ATELIER_MAX_TOKENS", "16")
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})  # fmt: skip
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{str(exc)[-3000:]}")
    answers = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "atelier-answer" in out.get("data", {}).get("text/html", "")
    ]
    for html in answers:
        assert "data-mode='live'" in html and "rien ne quitte cet ordinateur" in html
    if path.name == MODULE3:
        by_id = {c.get("id"): _outputs(c) for c in nb.cells}
        for cid in ("03-vm-02", "03-vm-04", "03-vm-07"):
            assert "smollm2-135m-instruct" in by_id[cid], cid
            assert "Aucun modèle local" not in by_id[cid], cid
        assert "probabilité" in by_id["03-vm-02"] and "T = 1,5" in by_id["03-vm-04"]  # French decimals
        assert "bonne réponse" in by_id["03-vm-07"]
