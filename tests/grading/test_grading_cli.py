"""`atelier grade ...`: every action has an example; collect/export/validate end to end."""

from __future__ import annotations

import pytest
from grading_helpers import answered, submit

from toolkit.cli import COMMANDS, main

GRADE = next(c for c in COMMANDS if c.name == "grade")


@pytest.mark.parametrize("action", GRADE.actions, ids=[a.name for a in GRADE.actions])
def test_every_action_has_an_example(action, capsys):
    with pytest.raises(SystemExit):
        main(["grade", action.name, "--help"])
    out = capsys.readouterr().out
    assert "Exemple :" in out
    assert action.example in out


def test_collect_and_export_from_the_command_line(released_copy, tmp_path, capsys):
    export = tmp_path / "export"
    export.mkdir()
    (export / "01-demo - Zoé Favre.ipynb").write_text("{}")
    (export / "lisez-moi.txt").write_text("x")
    assert main(["grade", "collect", str(export), "--course", str(released_copy)]) == 0
    out = capsys.readouterr().out
    assert "zoe_favre/01-demo" in out
    assert "lisez-moi.txt\u00a0: ce n'est pas un notebook" in out
    code = main(["grade", "export", "--course", str(released_copy), "--no-excel",
                 "--output", str(tmp_path / "notes")])
    assert code == 0
    assert "zoe_favre;;non corrigé;" in (tmp_path / "notes.csv").read_text("utf-8-sig")


def test_unknown_assignment_suggests_the_closest(released_copy, capsys):
    assert main(["grade", "release", "01-dem", "--course", str(released_copy)]) == 1
    err = capsys.readouterr().err
    assert "Vouliez-vous dire «\u202f01-demo\u202f»" in err


def test_missing_course_says_what_to_do(tmp_path, capsys):
    assert main(["grade", "export", "--course", str(tmp_path)]) == 1
    assert "--course" in capsys.readouterr().err


def test_validate_in_french(released_copy, capsys):
    good = submit(released_copy, "x", answered(released_copy))
    assert main(["grade", "validate", str(good)]) == 0
    assert "les 2 tests visibles passent" in capsys.readouterr().out
    bad = released_copy / "release" / "01-demo" / "01-demo.ipynb"
    assert main(["grade", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert ("Cellule «\u202ftest_carre\u202f»\u00a0: La réponse n'est pas encore écrite. — Remplacez "
            "« raise NotImplementedError() » par votre code.") in out
    assert "Cellule «\u202freflexion\u202f»\u00a0: réponse non rédigée" in out
    assert "Traceback" not in out and "AssertionError" not in out


def test_check_is_validate_in_the_sandbox(released_copy, capsys):
    bad = submit(released_copy, "y", answered(released_copy, carre="def carre(x):\n"
                                                                 "    return x + x"))
    assert main(["grade", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "✗ 01-demo.ipynb\u00a0: à revoir avant de rendre." in out
    assert "carre(3) doit valoir 9" in out and "Traceback" not in out


def test_autograde_without_bubblewrap_refuses_in_french(released_copy, capsys, monkeypatch):
    from toolkit.grading import sandbox

    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    submit(released_copy, "z", answered(released_copy))
    assert main(["grade", "autograde", "--course", str(released_copy), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "bubblewrap" in err and "--no-sandbox" in err
    assert not (released_copy / "autograded").exists()


def test_validate_refuses_a_broken_file(tmp_path, capsys):
    broken = tmp_path / "x.ipynb"
    broken.write_text("pas du json")
    assert main(["grade", "validate", str(broken)]) == 1
    assert "JSON invalide" in capsys.readouterr().err
