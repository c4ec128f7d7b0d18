"""collect(): naming patterns, zips, duplicates, and nothing silently dropped."""

from __future__ import annotations

import os
import time
import zipfile

import pytest

from toolkit.grading import collect, normalise_student_id
from toolkit.grading.collect import place
from toolkit.grading.course import Course

A = ["01-anatomie-du-prompt", "02-confidentialite"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Marie Dupont", "01-anatomie-du-prompt", "travail.ipynb"),
         ("marie_dupont", "01-anatomie-du-prompt")),
        (("dupont_marie", "01-anatomie-du-prompt.ipynb"),
         ("dupont_marie", "01-anatomie-du-prompt")),
        (("01-anatomie-du-prompt", "Élodie Müller.ipynb"),
         ("elodie_muller", "01-anatomie-du-prompt")),
        (("dupont_marie_01-anatomie-du-prompt.ipynb",),
         ("dupont_marie", "01-anatomie-du-prompt")),
        (("01-anatomie-du-prompt - Marie Dupont.ipynb",),
         ("marie_dupont", "01-anatomie-du-prompt")),
        (("Marie Dupont - 02_confidentialite.ipynb",), ("marie_dupont", "02-confidentialite")),
        (("Marie Dupont_123456_assignsubmission_file_01-anatomie-du-prompt.ipynb",),
         ("marie_dupont", "01-anatomie-du-prompt")),
        (("export", "01-anatomie-du-prompt - Jean-Luc Rochat (1).ipynb"),
         ("jean_luc_rochat", "01-anatomie-du-prompt")),
    ],
)
def test_place_recognises_documented_patterns(parts, expected):
    assert place(parts, A) == expected


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        (("marie_exercice1.ipynb",), "aucun nom d'exercice"),
        (("01-anatomie-du-prompt.ipynb",), "pas de nom de participant"),
    ],
)
def test_place_gives_a_reason(parts, reason):
    assert reason in place(parts, A)


def test_normalise_student_id():
    assert normalise_student_id("  Marie-Hélène DUPONT ") == "marie_helene_dupont"
    assert normalise_student_id("O'Brien/../x") == "o_brien_x"


def test_collect_folder_places_lists_and_deduplicates(course_copy, tmp_path):
    export = tmp_path / "export"
    (export / "Marie Dupont" / "01-demo").mkdir(parents=True)
    old = export / "Marie Dupont" / "01-demo" / "copie.ipynb"
    old.write_text('{"old": 1}')
    new = export / "01-demo - Marie Dupont.ipynb"
    new.write_text('{"new": 1}')
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    (export / "dupont_paul_01-demo.ipynb").write_text("{}")
    (export / "notes.docx").write_bytes(b"PK")
    (export / "sans_exercice.ipynb").write_text("{}")
    (export / ".DS_Store").write_bytes(b"\0")

    report = collect(export, course=Course.open(course_copy))

    placed = {(p.student, p.assignment) for p in report.placed}
    assert placed == {("marie_dupont", "01-demo"), ("dupont_paul", "01-demo")}
    target = course_copy / "submitted" / "marie_dupont" / "01-demo" / "01-demo.ipynb"
    assert target.read_text() == '{"new": 1}'  # the latest wins
    assert (target.parent / "timestamp.txt").exists()
    assert [d.origin for d in report.duplicates] == [str(old.relative_to(export))]
    reasons = {u.origin: u.reason for u in report.unplaced}
    assert set(reasons) == {"notes.docx", "sans_exercice.ipynb", ".DS_Store"}
    assert "pas un notebook" in reasons["notes.docx"]
    assert "aucun nom d'exercice" in reasons["sans_exercice.ipynb"]
    # every input file is accounted for
    assert len(report.placed) + len(report.unplaced) + len(report.duplicates) == 6
    assert "doublon" in str(report)
    assert "non placés\u00a0: 3" in str(report)
    assert "<table>" in report._repr_html_()


def test_collect_zip_uses_zip_dates(course_copy, tmp_path):
    archive = tmp_path / "rendus.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("a/01-demo - Ana Lopes.ipynb", (2026, 11, 30, 12, 0, 0)),
                    '{"v": "new"}')
        zf.writestr(zipfile.ZipInfo("b/lopes_ana_01-demo.ipynb", (2026, 11, 29, 12, 0, 0)),
                    '{"v": "other"}')
        zf.writestr(zipfile.ZipInfo("b/01-demo - ana lopes.ipynb", (2026, 11, 28, 12, 0, 0)),
                    '{"v": "old"}')
        zf.writestr("__MACOSX/._x.ipynb", "junk")

    report = collect(archive, course=Course.open(course_copy))

    assert sorted(p.student for p in report.placed) == ["ana_lopes", "lopes_ana"]
    got = course_copy / "submitted" / "ana_lopes" / "01-demo" / "01-demo.ipynb"
    assert got.read_text() == '{"v": "new"}'
    assert len(report.duplicates) == 1
    assert report.duplicates[0].origin.endswith("01-demo - ana lopes.ipynb")
    assert [u.reason for u in report.unplaced] == ["fichier système ignoré"]


def test_collect_dry_run_writes_nothing(course_copy, tmp_path):
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "x_01-demo.ipynb").write_text("{}")
    report = collect(tmp_path / "e", course=course_copy, dry_run=True)
    assert len(report.placed) == 1
    assert not (course_copy / "submitted").exists()


def test_collect_missing_path_is_an_input_error(course_copy, tmp_path):
    from toolkit.errors import InputError

    with pytest.raises(InputError, match="introuvable"):
        collect(tmp_path / "nope", course=course_copy)
