"""precheck(): unusable files are refused with a reason, deleted test cells come back."""

from __future__ import annotations

import json

import pytest
from grading_helpers import ASSIGNMENT, answered, cell_index, release_nb

from toolkit.grading.precheck import precheck


@pytest.fixture
def release_path(released_course):
    return released_course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "vide"),
        (b"def carre(x): return x*x\n", "JSON invalide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "pas un notebook"),
        (b'{"nom": "pas un notebook"}', "pas de liste de cellules"),
        (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
         "notebook vide"),
        (b'{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, '
         b'"nbformat_minor": 5}', "mal formé"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(tmp_path, release_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    result = precheck(path, release_path)
    assert not result.ok
    assert reason in result.reason


def test_clean_submission_is_left_alone(tmp_path, released_course, release_path):
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(answered(released_course)))
    result = precheck(path, release_path)
    assert result.ok
    assert result.repaired is None
    assert result.notes == []


def test_deleted_test_cell_is_restored_in_place(tmp_path, released_course, release_path):
    nb = answered(released_course)
    del nb["cells"][cell_index(nb, "test_carre")]
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    result = precheck(path, release_path)
    assert result.ok
    assert "test_carre" in result.notes[0]
    cells = result.repaired["cells"]
    assert cell_index(result.repaired, "test_carre") == cell_index(result.repaired, "carre") + 1
    # the participant's answer is kept, never replaced by the release stub
    answer = "".join(cells[cell_index(result.repaired, "carre")]["source"])
    assert answer.startswith("def carre(x):\n")
    assert "NotImplementedError" not in answer


def test_stripped_metadata_is_recovered_by_position(tmp_path, released_course, release_path):
    nb = answered(released_course)
    for cell in nb["cells"]:
        cell["metadata"].pop("nbgrader", None)
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    result = precheck(path, release_path)
    assert result.ok
    assert "par position" in result.notes[0]
    # The release's footer (« Vérifier mon travail ») has no nbgrader metadata to recover.
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in result.repaired["cells"]]
    assert ids == [c["metadata"].get("nbgrader", {}).get("grade_id")
                   for c in release_nb(released_course)["cells"]]


def test_stripped_metadata_and_new_cells_restores_tests_at_the_end(
        tmp_path, released_course, release_path):
    nb = answered(released_course)
    for cell in nb["cells"]:
        cell["metadata"].pop("nbgrader", None)
    nb["cells"].append({"cell_type": "code", "metadata": {}, "source": "print(1)",
                        "outputs": [], "execution_count": None})
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    result = precheck(path, release_path)
    restored = [c["metadata"]["nbgrader"]["grade_id"] for c in result.repaired["cells"]
                if "nbgrader" in c["metadata"]]
    assert {"test_carre", "test_saluer", "reflexion"} <= set(restored)
    assert "carre" not in restored  # an autograded answer is never replaced by the stub


def test_duplicated_grade_id_keeps_the_first(tmp_path, released_course, release_path):
    nb = answered(released_course)
    i = cell_index(nb, "test_saluer")
    nb["cells"].append(json.loads(json.dumps(nb["cells"][i])))
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    result = precheck(path, release_path)
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in result.repaired["cells"]]
    assert ids.count("test_saluer") == 1
    assert "en double" in result.notes[0]


def test_nbformat_3_is_upgraded_with_nbformat_and_graded(tmp_path, released_course, release_path):
    import nbformat

    v4 = nbformat.reads(json.dumps(answered(released_course)), as_version=4)
    path = tmp_path / "x.ipynb"
    path.write_text(nbformat.writes(nbformat.convert(v4, 3)), encoding="utf-8")
    result = precheck(path, release_path)
    assert result.ok, result.reason
    assert result.repaired["nbformat"] == 4
    assert any("format 3" in n for n in result.notes)
    assert cell_index(result.repaired, "test_carre") >= 0


def test_notebook_of_another_assignment_is_flagged(tmp_path, release_path):
    other = {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "q01-autre",
        "schema_version": 3}}, "outputs": [], "execution_count": None}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(other), encoding="utf-8")
    result = precheck(path, release_path)
    assert not result.ok
    assert "pas celui de cet exercice" in result.reason and "q01-autre" in result.reason


@pytest.mark.parametrize("how", ["renamed", "copied"])
def test_repaired_notebook_has_unique_cell_ids(tmp_path, released_course, release_path, how):
    nb = answered(released_course)
    i = cell_index(nb, "test_carre")
    if how == "renamed":
        nb["cells"][i]["metadata"]["nbgrader"]["grade_id"] = "test_carre_renomme"
    else:  # a copy of the test cell, its id kept, replaces the original
        nb["cells"][i]["metadata"]["nbgrader"]["grade_id"] = "test_carre_copie"
        nb["cells"].insert(i, json.loads(json.dumps(nb["cells"][i])))
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = precheck(path, release_path)
    assert result.ok
    ids = [c["id"] for c in result.repaired["cells"]]
    assert len(ids) == len(set(ids))
    assert cell_index(result.repaired, "test_carre") >= 0
    assert any("inconnue de l'exercice" in n for n in result.notes)
