"""``atelier lab``: a workspace outside the repository per edition, merged cell by cell at each
start, with the JupyterLab settings the course ships (French, no news, nbgrader's authoring
tools off for participants)."""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import TRAINER_TAG, load
from toolkit.course.lab import (
    ensure_french_locale,
    lab_command,
    lab_settings,
    write_lab_settings,
)
from toolkit.course.workspace import (
    MANIFEST,
    merge_notebook,
    prepare_workspace,
    source_hash,
    workspace_dir,
)
from toolkit.testing.lab import get, start_lab, tracked_notebooks_digest

ROOT = Path(__file__).resolve().parent.parent
NBGRADER_LAB = Path(sys.prefix) / "share/jupyter/labextensions/@jupyter/nbgrader"


# ---- the merge, cell by cell -------------------------------------------------------------

def _nb(*cells: tuple[str, str]) -> dict:
    nb = nbformat.v4.new_notebook()
    for cid, src in cells:
        cell = nbformat.v4.new_code_cell(src)
        cell["id"] = cid
        nb.cells.append(cell)
    return json.loads(nbformat.writes(nb))


def _manifest(nb: dict) -> dict[str, str]:
    return {c["id"]: source_hash(c["source"]) for c in nb["cells"]}


def _sources(nb: dict) -> list[tuple[str, str]]:
    return [(c["id"], "".join(c["source"])) for c in nb["cells"]]


V1 = _nb(("a", "titre v1"), ("b", "prompt = ''"), ("c", "verifier(prompt)"), ("d", "fin v1"))


def test_untouched_cells_take_the_new_version_and_edited_ones_stay():
    mine = json.loads(json.dumps(V1))
    mine["cells"][1]["source"] = "prompt = 'Tu es juriste...'"  # the participant's answer
    mine["cells"][2]["outputs"] = [nbformat.v4.new_output("stream", text="ok")]
    v2 = _nb(("a", "titre v2"), ("b", "prompt = ''"), ("c", "verifier(prompt)"), ("d", "fin v2"))
    m = merge_notebook(v2, mine, _manifest(V1))
    assert _sources(m.notebook) == [("a", "titre v2"), ("b", "prompt = 'Tu es juriste...'"),
                                    ("c", "verifier(prompt)"), ("d", "fin v2")]
    assert (m.updated, m.kept, m.conflicts) == (2, 1, 0)
    # An unchanged cell keeps what the participant ran (their outputs).
    assert m.notebook["cells"][2]["outputs"][0]["text"] == "ok"


def test_added_cells_stay_where_the_participant_put_them():
    mine = json.loads(json.dumps(V1))
    mine["cells"].insert(2, _nb(("mine1", "# mon essai"))["cells"][0])
    mine["cells"].insert(0, _nb(("mine0", "# en tête"))["cells"][0])
    v2 = _nb(("a", "titre v2"), ("b", "prompt = ''"), ("new", "nouvelle cellule"),
             ("c", "verifier(prompt)"), ("d", "fin v1"))
    m = merge_notebook(v2, mine, _manifest(V1))
    assert [cid for cid, _ in _sources(m.notebook)] == ["mine0", "a", "b", "mine1", "new", "c",
                                                        "d"]
    assert m.kept == 2


def test_deleted_cells_stay_deleted_and_dropped_cells_go_unless_edited():
    mine = json.loads(json.dumps(V1))
    del mine["cells"][3]  # the participant deleted « fin »
    mine["cells"][2]["source"] = "verifier(prompt, detail=True)"  # and edited « c »
    v2 = _nb(("a", "titre v1"), ("d", "fin v2"))  # the course dropped b and c
    m = merge_notebook(v2, mine, _manifest(V1))
    # b (dropped, never edited) goes; c (dropped, edited) is theirs and stays after a.
    assert _sources(m.notebook) == [("a", "titre v1"), ("c", "verifier(prompt, detail=True)")]


def test_a_cell_both_sides_changed_is_a_conflict_and_theirs_wins():
    mine = json.loads(json.dumps(V1))
    mine["cells"][0]["source"] = "mon titre"
    v2 = _nb(("a", "titre v2"), ("b", "prompt = ''"), ("c", "verifier(prompt)"), ("d", "fin v1"))
    m = merge_notebook(v2, mine, _manifest(V1))
    assert m.conflicts == 1 and _sources(m.notebook)[0] == ("a", "mon titre")
    same = merge_notebook(V1, json.loads(json.dumps(V1)), _manifest(V1))
    assert (same.updated, same.kept, same.conflicts) == (0, 0, 0)


def test_the_newest_older_version_seeds_a_new_one(tmp_path):
    from toolkit.course.workspace import _previous_workspace

    for version in ("1.9.0", "1.10.0", "2.0.0", "notes"):
        (tmp_path / version / "participant" / ".atelier").mkdir(parents=True)
        (tmp_path / version / "participant" / MANIFEST).write_text("{}")
    (tmp_path / "1.11.0" / "animateur" / ".atelier").mkdir(parents=True)  # other edition
    (tmp_path / "1.11.0" / "animateur" / MANIFEST).write_text("{}")
    assert _previous_workspace(tmp_path / "1.12.0" / "participant") == \
        tmp_path / "1.10.0" / "participant"  # by number, not alphabetically
    assert _previous_workspace(tmp_path / "1.0.0" / "participant") is None


def test_source_saved_as_a_list_of_lines_is_not_an_edit():
    assert source_hash(["ligne 1\n", "ligne 2"]) == source_hash("ligne 1\nligne 2")


# ---- the workspace, end to end on a copy of the course ------------------------------------

def _course_copy(tmp_path: Path) -> Path:
    course = tmp_path / "cours"
    shutil.copytree(ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (course / "exercises").mkdir()
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", course / "exercises")
    shutil.copy2(ROOT / "curriculum.yml", course / "curriculum.yml")
    return course


def _set_version(course: Path, version: str) -> None:
    text = (course / "curriculum.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version:.*$", f"version: {version}", text, count=1)
    (course / "curriculum.yml").write_text(text, encoding="utf-8")


def _first_code_cell(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                and TRAINER_TAG not in c.metadata.get("tags", []))


def test_workspace_update_keeps_edits_and_never_writes_the_course(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_LAB_DIR", str(tmp_path / "ateliers"))
    course = _course_copy(tmp_path)
    before = tracked_notebooks_digest(ROOT)
    cur = load(course)
    first = cur.sessions[0].modules[0].file  # notebooks/01-acculturation/01-bienvenue.ipynb
    rel = Path(first).relative_to("notebooks").as_posix()

    report = prepare_workspace("participant", cur=cur)
    ws = workspace_dir("participant", cur=cur)
    assert report.created and report.path == ws == tmp_path / "ateliers" / cur.version / \
        "participant"
    assert (ws / MANIFEST).is_file() and (ws / "00-accueil.ipynb").is_file()
    now = time.time()
    assert all(p.stat().st_mtime <= now + 1 for p in ws.rglob("*") if p.is_file()), \
        "a copied file is dated in the future (« -9 min » in the file browser)"
    nb = nbformat.read(ws / rel, as_version=4)
    assert not [c for c in nb.cells if TRAINER_TAG in c.metadata.get("tags", [])]

    # The participant edits a cell; the course then ships 9.9.9, which changes another cell.
    i = _first_code_cell(nb)
    nb.cells[i].source = "# ma version à moi\n" + nb.cells[i].source
    edited_id = nb.cells[i].id
    nbformat.write(nb, ws / rel)
    src = nbformat.read(course / first, as_version=4)
    j = next(k for k, c in enumerate(src.cells) if c.cell_type == "markdown"
             and TRAINER_TAG not in c.metadata.get("tags", []) and c.id != edited_id and k > 2)
    changed_id = src.cells[j].id
    src.cells[j].source += "\n\nPhrase ajoutée dans la version 9.9.9."
    nbformat.write(src, course / first)
    _set_version(course, "9.9.9")

    report = prepare_workspace("participant", cur=load(course))
    new_ws = tmp_path / "ateliers" / "9.9.9" / "participant"
    assert report.path == new_ws and report.seeded_from == ws
    assert "ajoutée à côté" in str(report) and rel in str(report)
    merged = {c.id: c.source for c in nbformat.read(new_ws / rel, as_version=4).cells}
    assert merged[edited_id].startswith("# ma version à moi")
    assert merged[changed_id].endswith("Phrase ajoutée dans la version 9.9.9.")
    # The older version's folder is left as the participant left it.
    old = {c.id: c.source for c in nbformat.read(ws / rel, as_version=4).cells}
    assert old[edited_id].startswith("# ma version à moi")
    assert "9.9.9" not in old[changed_id]

    # A restart of the same version changes nothing and says so.
    again = prepare_workspace("participant", cur=load(course))
    assert "déjà à jour" in str(again)
    assert tracked_notebooks_digest(ROOT) == before


def test_participant_settings_disable_every_nbgrader_plugin_but_the_trainer_keeps_them(tmp_path):
    if not NBGRADER_LAB.is_dir():
        pytest.skip("nbgrader's JupyterLab extension is not installed")
    shipped = set()
    for js in (NBGRADER_LAB / "static").glob("*.js"):
        # Every plugin id the extension names (some through a variable, not ``id:"..."``).
        shipped |= set(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', js.read_text("utf-8")))
    assert {"@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:menu",
            "@jupyter/nbgrader:formgrader"} <= shipped
    disabled = lab_settings("participant")["page_config.json"]["disabledExtensions"]
    assert shipped <= {k for k, v in disabled.items() if v}, shipped - set(disabled)
    assert "page_config.json" not in lab_settings("trainer")

    overrides = lab_settings("participant")["overrides.json"]
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "fr_FR"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # Every overridden setting exists in JupyterLab's own schemas (a typo would be ignored).
    schemas = Path(sys.prefix) / "share/jupyter/lab/schemas"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text("utf-8"))
        assert set(values) <= set(schema["properties"]), plugin

    ws = tmp_path / "ws"
    write_lab_settings(ws, "participant")
    assert (ws / ".atelier/lab/settings/page_config.json").is_file()
    server = json.loads((ws / ".atelier/lab/jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"][
        "nbgrader.server_extensions.formgrader"] is False
    write_lab_settings(ws, "trainer")  # the same folder reused by a trainer
    assert not (ws / ".atelier/lab/settings/page_config.json").exists()


def test_environment_wide_defaults_for_the_hub_and_docker_merge(tmp_path):
    path = ensure_french_locale(tmp_path)
    data = json.loads(path.read_text())
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "fr_FR"
    path.write_text(json.dumps({"other": {"x": 1},
                                "@jupyterlab/notebook-extension:tracker": {"y": 2}}))
    data = json.loads(ensure_french_locale(tmp_path).read_text())
    assert data["other"] == {"x": 1}
    assert data["@jupyterlab/notebook-extension:tracker"] == {"y": 2,
                                                              "autoStartDefaultKernel": True}
    assert data["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_command_serves_the_workspace_not_the_repository(tmp_path):
    cmd = lab_command(tmp_path, 9999, "127.0.0.1", True)
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--LabApp.default_url=/lab/tree/00-accueil.ipynb" in cmd
    assert f"--LabApp.app_settings_dir={tmp_path / '.atelier/lab/settings'}" in cmd
    # the interpreter may live in the checkout (.venv); no option may point into the course
    assert cmd[0] == sys.executable
    assert not any(str(ROOT) in part for part in cmd[1:])


# ---- the real `atelier lab`, both editions ------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("edition", ["trainer", "participant"])
def test_atelier_lab_serves_each_edition(tmp_path, edition):
    before = tracked_notebooks_digest(ROOT)
    extra = ("--participant",) if edition == "participant" else ()
    lab = start_lab(ROOT, tmp_path, *extra)
    base, token = lab.base, lab.token
    try:
        status, page = get(f"{base}/lab", token)
        assert status == 200 and "JupyterLab" in page
        _, body = get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin", token)
        setting = json.loads(body)  # overrides.json sets the default; no user choice yet
        assert setting["schema"]["properties"]["locale"]["default"] == "fr_FR"
        _, body = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification",
                       token)
        assert json.loads(body)["schema"]["properties"]["fetchNews"]["default"] == "false"
        _, body = get(f"{base}/lab/api/translations/fr_FR", token)
        assert json.loads(body)["data"], "French language pack not served"
        _, body = get(f"{base}/api/contents/01-acculturation?content=1", token)
        assert {i["name"] for i in json.loads(body)["content"]} >= {"01-bienvenue.ipynb"}
        disabled = re.search(r'"disabledExtensions": (\{[^}]*\}|\[[^\]]*\])', page)
        if edition == "trainer":
            # The formgrader finds the course in the workspace's copy of exercises/.
            # (the first call creates the gradebook: slow on a loaded machine)
            _, body = get(f"{base}/formgrader/api/assignments", token, timeout=120)
            names = {a["name"] for a in json.loads(body)}
            assert "01-anatomie-du-prompt" in names, names
            assert "@jupyter/nbgrader:create-assignment" not in (disabled.group(1)
                                                                   if disabled else "")
        else:
            with pytest.raises(urllib.error.HTTPError) as err:
                get(f"{base}/formgrader/api/assignments", token)
            assert err.value.code == 404
            assert disabled and "@jupyter/nbgrader:create-assignment" in disabled.group(1)
    finally:
        out = lab.stop()
    assert "Mode hors ligne" in out
    assert "Espace de travail" in out and str(tmp_path / "ateliers") in out
    assert tracked_notebooks_digest(ROOT) == before
