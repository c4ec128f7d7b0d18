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
    r"Lettre simulée|Résumé simulé|Description simulée|"
    # A notebook run as it is never changed its prompts: saying so is the vision demo's bug.
    r"(?:consigne|prompt|demande|liste de tâches|question) a changé",
    re.IGNORECASE,
)

#: What a participant should never see instead of text: Python reprs of strings, objects,
#: dataclasses, dicts and lists, shown when a cell ends with a bare expression.
RAW_REPR = re.compile(
    r"\A\s*(?:'[^\n]*'|\"[^\n]*\"|[\[{]['\"{\[(]|<[\w.]+ object at 0x|"
    r"<(?:Figure|Axes)\b|[A-Z]\w*\((?:\w+=))",
)


def _raw_repr(out) -> str | None:
    """The raw repr an output shows as its only content, if any (images carry a text twin)."""
    if out.get("output_type") not in ("execute_result", "display_data"):
        return None
    data = out.get("data") or {}
    if set(data) - {"text/plain"}:
        return None  # HTML, Markdown, an image or a widget is what the notebook shows
    text = data.get("text/plain", "")
    return text[:120] if RAW_REPR.search(text) else None


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
            raw = _raw_repr(out)
            assert raw is None, f"{rel} cell {i}: a Python repr instead of text: {raw}"
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                pytest.fail(f"{rel} cell {i}: warnings shown to participants:\n{out['text'][:500]}")


@pytest.mark.parametrize(("text", "shown"), [
    ("'Le chef de service.'", True),
    ('"Nous vous prions d\'agréer."', True),
    ("<toolkit.llm.answer.Answer object at 0x7f00>", True),
    ("Answer(text='Bonjour', mode='offline')", True),
    ("{'tache': 'Rédiger', 'importance': 3}", True),
    ("['a', 'b']", True),
    ("<Figure size 640x480 with 1 Axes>", True),
    ("NGramModel(n=2, 1129 mots lus)", True),
    ("Modèle de 2-grammes : 1129 mots lus", False),
    ("15 jetons : Les | habitants", False),
    ("Score : 25/100 (prompt trop vague)", False),
])
def test_the_raw_repr_check_tells_reprs_from_text(text, shown):
    out = {"output_type": "execute_result", "data": {"text/plain": text}}
    assert (_raw_repr(out) is not None) is shown
    with_html = {"output_type": "execute_result", "data": {"text/plain": text, "text/html": "<b>x</b>"}}
    assert _raw_repr(with_html) is None


@pytest.mark.parametrize("text", [
    "Votre consigne a changé : voici l'exemple préparé",
    "Votre prompt a changé\u00a0: voici le courriel préparé",
    "Votre liste de tâches a changé : voici",
])
def test_a_claim_that_the_prompt_changed_is_caught(text):
    assert PLACEHOLDERS.search(text)
