"""Attestations: every field of Code du travail L.6353-1, matched through the roster only."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from toolkit.course.curriculum import load
from toolkit.errors import InputError
from toolkit.preuves.documents import NATURE, session_dates, write_attestations

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SURVEY = ROOT / "toolkit" / "data" / "survey"
SAMPLE_ROSTER = ROOT / "toolkit" / "data" / "preuves" / "exemple-participants.csv"

START = date(2026, 11, 17)


def text_of(path) -> str:
    """The visible text of a page, spaces normalised (no-break spaces become plain ones)."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    from toolkit.preuves.roster import read_roster

    out = tmp_path_factory.mktemp("attestations")
    people = read_roster(SAMPLE_ROSTER)
    return people, write_attestations(people, SAMPLE_SURVEY, start=START, out=out, pdf=False,
                                      trainer="Alex Formateur", root=ROOT)


def page(written, slug):
    return next(p for p in written[1].files if p.name == f"attestation-{slug}.html")


def expected_from_analyser(code: str) -> dict:
    """The person's results as the survey report counts them (its participants table)."""
    from toolkit.survey.analysis import analyse_files, pseudonymise

    analysis = analyse_files(SAMPLE_SURVEY / "exemple-avant.xlsx",
                             SAMPLE_SURVEY / "exemple-apres.xlsx", salt="sel-de-test")
    pseudo = pseudonymise([code], "sel-de-test")[0]
    row = analysis.participants.set_index("participant").loc[pseudo]
    return {"pre": int(row["niveau_avant"]), "post": int(row["niveau_apres"]),
            "quiz_pre": int(row["quiz_avant"]), "quiz_post": int(row["quiz_apres"]),
            "quiz_max": analysis.summary["quiz"]["max"]}


def test_each_legal_field_has_the_values_of_curriculum_and_survey(written):
    cur = load(ROOT)
    text = text_of(page(written, "camille-martin"))
    # Who, and the action: title, nature, duration, dates.
    assert "Camille Martin" in text and "Chargée de communication" in text
    assert squash(cur.title) in text
    assert squash(NATURE) in text
    total = sum(s.duration_min for s in cur.sessions)
    assert f"Durée {total // 60} h" in text
    dates = session_dates(cur, START)
    assert "du 17 novembre 2026 au 2 décembre 2026" in text  # J+0 and J+15
    assert dates["02-usages-avances"] == date(2026, 12, 2)
    # Objectives: every session's and every module's, word for word.
    for s in cur.sessions:
        assert squash(s.objective) in text
        for m in s.modules:
            for objective in m.objectives:
                assert squash(objective) in text, objective
    # Results of the evaluation: the levels and quiz the survey analyser finds for SY28AS.
    exp = expected_from_analyser("SY28AS")
    levels = cur.levels
    assert f"{exp['pre']} — {levels[exp['pre']]}" in text
    assert f"{exp['post']} — {levels[exp['post']]}" in text
    assert f"{exp['quiz_pre']} sur {exp['quiz_max']}" in text
    assert f"{exp['quiz_post']} sur {exp['quiz_max']}" in text
    # Identified by the roster, never by the survey code.
    assert "SY28AS" not in page(written, "camille-martin").read_text(encoding="utf-8")
    assert "Alex Formateur" in text and "Atelier IA" in text


def test_only_the_sessions_a_person_attended(written):
    text = text_of(page(written, "josephine-roux"))
    assert "le 17 novembre 2026" in text and "Durée 3 h" in text
    assert "Tour de table" not in text  # a module of session 2


def test_no_evaluation_and_incomplete_evaluation_say_so(written):
    html = page(written, "hugo-petit").read_text(encoding="utf-8")
    assert 'id="sans-evaluation"' in html and "pas passé l'évaluation" in html
    assert "Quiz de connaissances" not in html
    half = page(written, "claire-renaud").read_text(encoding="utf-8")  # answered before only
    assert 'id="evaluation-incomplete"' in half and "questionnaire de fin" in half
    assert "non évalué" in half
    assert any("Hugo Petit" in n for n in written[1].notes)


def test_one_page_per_roster_row_and_a_zip(written):
    people, result = written
    pages = [p for p in result.files if p.suffix == ".html"]
    assert len(pages) == len(people) == 12
    archive = next(p for p in result.files if p.suffix == ".zip")
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == sorted(p.name for p in pages)


def test_organisation_and_logo_from_settings(monkeypatch, tmp_path, roster):
    logo = tmp_path / "logo.png"
    logo.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                   "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049"
                                   "454e44ae426082"))
    monkeypatch.setenv("ATELIER_ORGANISATION", "Ville de Lyon")
    monkeypatch.setenv("ATELIER_LOGO", str(logo))
    monkeypatch.setenv("ATELIER_TRAINING_PLACE", "Hôtel de ville")
    result = write_attestations(roster[:1], SAMPLE_SURVEY, start=START, out=tmp_path,
                                pdf=False, root=ROOT)
    html = result.files[0].read_text(encoding="utf-8")
    assert 'alt="Logo de Ville de Lyon"' in html and 'src="data:image/png;base64,' in html
    assert "Hôtel de ville" in html and '<html lang="fr">' in html


@pytest.mark.parametrize(("rows", "bad_row", "needle"), [
    (["Ana;Lopez;RH;SY28AS", "Bo;Chen;FIN;ZZ99ZZ"], 3, "ZZ99ZZ"),
    (["Ana;Lopez;RH;sy-28-as", "Bo;Chen;FIN;SO17AY", "Cy;Diaz;OPS;XX00XX"], 4, "XX00XX"),
])
def test_a_code_in_neither_export_is_an_error_naming_the_row(make_roster, tmp_path, rows,
                                                            bad_row, needle):
    from toolkit.preuves.roster import read_roster

    people = read_roster(make_roster(rows))
    with pytest.raises(InputError) as err:
        write_attestations(people, SAMPLE_SURVEY, start=START, out=tmp_path, pdf=False,
                           root=ROOT)
    message = err.value.message
    assert f"Ligne {bad_row} de participants.csv" in message and needle in message
    assert "exemple-avant.xlsx" in message and "exemple-apres.xlsx" in message
    assert "videz la cellule" in err.value.fix
    assert not (tmp_path / "attestations.zip").exists()  # nothing half-written


def test_a_code_given_twice_names_both_rows(make_roster):
    from toolkit.preuves.roster import read_roster

    path = make_roster(["Ana;Lopez;RH;SY28AS", "Bo;Chen;FIN;SO17AY", "Cy;Diaz;OPS;sy28as"])
    with pytest.raises(InputError, match=r"Ligne 4 de .*participants.csv.*SY28AS.*ligne 2"):
        read_roster(path)


def test_grades_are_shown_from_the_gradebook_by_account(tmp_path, roster):
    import pandas as pd

    from toolkit.grading.export import GradesTable

    tidy = pd.DataFrame([
        {"participant": "cmartin", "exercice": "01-anatomie-du-prompt", "points": 4.5,
         "points_max": 5.0, "statut": "corrigé", "raison": ""},
        {"participant": "cmartin", "exercice": "05-confidentialite", "points": None,
         "points_max": 3.0, "statut": "non rendu", "raison": ""},
    ])
    grades = GradesTable(tidy, tidy)
    result = write_attestations(roster[:2], SAMPLE_SURVEY, start=START, out=tmp_path,
                                pdf=False, grades=grades, root=ROOT)
    first = text_of(result.files[0])
    assert "01-anatomie-du-prompt 4,5 sur 5 corrigé" in first
    assert "05-confidentialite — non rendu" in first
    assert "Aucun exercice rendu" in text_of(result.files[1])
