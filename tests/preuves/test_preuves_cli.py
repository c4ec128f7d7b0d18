"""``atelier preuves`` end to end: the sample survey gives one PDF per participant."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def needs_chromium():
    if shutil.which("chromium"):
        return
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail("chromium absent en CI : lancez « bash tools/browser-deps.sh ».",
                    pytrace=False)
    pytest.skip("chromium absent (bash tools/browser-deps.sh l'installe)")


@pytest.mark.slow
def test_attestations_on_the_sample_survey_write_one_pdf_per_participant(tmp_path, capsys,
                                                                        monkeypatch):
    needs_chromium()
    monkeypatch.chdir(ROOT)
    roster = ROOT / "toolkit" / "data" / "preuves" / "exemple-participants.csv"
    people = [line for line in roster.read_text(encoding="utf-8").splitlines()[1:] if line]
    code = main(["preuves", "attestations", "--survey", str(ROOT / "toolkit/data/survey"),
                 "--participants", str(roster), "--date", "2026-11-17", "--out", str(tmp_path)])
    assert code == 0
    pdfs = sorted((tmp_path / "attestations").glob("*.pdf"))
    assert len(pdfs) == len(people) == 12
    for pdf in pdfs:
        head = pdf.read_bytes()[:5]
        assert head == b"%PDF-", pdf
        assert pdf.stat().st_size > 5000, pdf
    with zipfile.ZipFile(tmp_path / "attestations.zip") as z:
        assert len([n for n in z.namelist() if n.endswith(".pdf")]) == 12
    out = capsys.readouterr().out
    assert "attestations.zip" in out and "Hugo Petit : pas d'évaluation" in out


def test_cli_errors_are_french_and_short(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    bad = tmp_path / "liste.csv"
    bad.write_text("prenom;nom;code\nAna;Lopez;SY28AS\nBo;Chen;QQ11QQ\n", encoding="utf-8")
    code = main(["preuves", "attestations", "--survey", str(ROOT / "toolkit/data/survey"),
                 "--participants", str(bad), "--out", str(tmp_path), "--no-pdf"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "Ligne 3 de liste.csv (Bo Chen)" in err and "QQ11QQ" in err


def test_registre_and_emargement_from_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    roster = str(ROOT / "toolkit" / "data" / "preuves" / "exemple-participants.csv")
    assert main(["preuves", "registre", "--participants", roster, "--date", "2026-11-17",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "registre-ia.xlsx").is_file()
    assert main(["preuves", "emargement", "01-acculturation", "--participants", roster,
                 "--out", str(tmp_path), "--no-pdf"]) == 0
    assert (tmp_path / "emargement-01-acculturation.html").is_file()
    assert "registre-ia.csv" in capsys.readouterr().out
