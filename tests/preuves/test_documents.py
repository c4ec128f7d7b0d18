"""Attendance sheets, the AI-literacy register, Qualiopi evidence, rosters and PDF printing."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from toolkit.course.curriculum import load
from toolkit.errors import ConfigError, InputError
from toolkit.preuves.documents import (
    REGISTER_COLUMNS,
    half_days,
    read_register,
    write_emargement,
    write_qualiopi,
    write_registre,
)
from toolkit.preuves.render import french

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SURVEY = ROOT / "toolkit" / "data" / "survey"
START = date(2026, 11, 17)


def read(path) -> str:
    """The page with entities decoded and every kind of space made plain."""
    return re.sub(r"[\u00a0\u202f]", " ", unescape(path.read_text(encoding="utf-8")))


# -- attendance sheets -----------------------------------------------------------------------
def test_one_sheet_per_half_day_with_the_session_fields(tmp_path, roster):
    session = load(ROOT).session("01-acculturation")
    result = write_emargement("01-acculturation", roster, day=START, out=tmp_path, pdf=False,
                              trainer="Alex Formateur", root=ROOT)
    html = read(result.files[0])
    assert html.count('class="sheet"') == 1  # 3 h from 9:00: the morning only
    assert "17 novembre 2026" in html and "Alex Formateur" in html
    assert session.title in html and "de 9 h 00 à 12 h 00" in html
    assert html.count('class="signature"') == len(roster) + 3  # blank rows for late comers
    for person in roster:
        assert person.name in html


def test_a_session_over_lunch_gets_a_morning_and_an_afternoon_sheet(tmp_path, roster):
    session = load(ROOT).session("01-acculturation")
    halves = half_days(session, "11:00")
    assert [h["label"] for h in halves] == ["matin", "après-midi"]
    assert sum(h["minutes"] for h in halves) == session.planned_min
    result = write_emargement("01-acculturation", roster, start="11:00", out=tmp_path,
                              pdf=False, root=ROOT)
    assert result.files[0].read_text(encoding="utf-8").count('class="sheet"') == 2


def test_a_person_not_in_a_session_is_not_on_its_sheet(tmp_path, roster):
    result = write_emargement("02-usages-avances", roster, out=tmp_path, pdf=False, root=ROOT)
    html = read(result.files[0])
    assert "Joséphine Roux" not in html and "Camille Martin" in html


def test_an_unknown_session_is_a_french_error(tmp_path, roster):
    with pytest.raises(ConfigError, match="Session « 03-inconnue » inconnue"):
        write_emargement("03-inconnue", roster, out=tmp_path, pdf=False, root=ROOT)


# -- register --------------------------------------------------------------------------------
def test_register_rows_and_refresher_date(tmp_path, roster, monkeypatch):
    monkeypatch.setenv("ATELIER_AUTHORISED_TOOLS", "Albert, Copilot")
    monkeypatch.setenv("ATELIER_REFRESHER_MONTHS", "18")
    result = write_registre(roster, start=START, out=tmp_path, root=ROOT)
    frame = read_register(result.files[0])
    cur = load(ROOT)
    # 11 people in both sessions, Joséphine Roux in the first only.
    assert len(frame) == 11 * 2 + 1
    row = frame[(frame["personne"] == "Camille Martin")
                & (frame["session"] == "02-usages-avances")].iloc[0]
    assert row["date"] == "2026-12-02" and row["prochaine mise à jour"] == "2028-06-02"
    assert row["service"] == "COM" and row["outils autorisés"] == "Albert, Copilot"
    assert row["durée (h)"] == "3,0"
    assert row["thèmes"] == " · ".join(m.title for m in cur.session("02-usages-avances").modules)
    excel = read_register(result.files[1])
    assert excel.shape == frame.shape and list(excel.columns) == REGISTER_COLUMNS


def test_register_merges_sessions_without_doubling(tmp_path, make_roster):
    from toolkit.preuves.roster import read_roster

    first = read_roster(make_roster(["Ana;Lopez;RH;", "Bo;Chen;FIN;"], name="g1.csv"))
    second = read_roster(make_roster(["Cy;Diaz;OPS;"], name="g2.csv"))
    one = write_registre(first, start=START, out=tmp_path / "a", root=ROOT)
    two = write_registre(second, start=date(2027, 1, 12), out=tmp_path / "b",
                         merge=one.files[1], root=ROOT)
    merged = read_register(two.files[0])
    assert len(merged) == 6
    again = write_registre(second, start=date(2027, 1, 12), out=tmp_path / "c",
                           merge=two.files[0], root=ROOT)
    assert len(read_register(again.files[0])) == 6  # the same session twice: one row


def test_register_anonymous_uses_the_role(tmp_path, roster):
    result = write_registre(roster, start=START, out=tmp_path, anonymous=True, root=ROOT)
    frame = read_register(result.files[0])
    assert "Camille Martin" not in set(frame["personne"])
    assert "Chargée de communication" in set(frame["personne"])


# -- Qualiopi --------------------------------------------------------------------------------
def test_qualiopi_objectives_means_and_small_groups_hidden(tmp_path, survey):
    from toolkit.survey.analysis import MIN_GROUP, analyse

    result = write_qualiopi(survey, out=tmp_path, pdf=False, root=ROOT)
    html = read(result.files[0])
    for module in load(ROOT).modules():
        if module.session_id:
            assert module.objectives[0] in html
    assert "01-anatomie-du-prompt" in html and "quiz de connaissances" in html
    analysis = analyse(survey.pre_loaded, survey.post_loaded, None, survey.instrument)
    deps = analysis.tables["departments"]
    hidden = deps[deps["masque"]]["departement"].tolist()
    shown = deps[~deps["masque"]]["departement"].tolist()
    assert hidden and shown  # the sample has a department of 4
    for name in hidden:
        assert f"<td>{name}</td>" not in html
    for name in shown:
        assert f"<td>{name}</td>" in html
    assert f"{analysis.summary['n_matched']} personnes" in html
    assert MIN_GROUP == 5


def test_qualiopi_under_five_matched_shows_no_figure(tmp_path, survey):
    import dataclasses

    small = dataclasses.replace(survey)
    keep = list(survey.pre.index.intersection(survey.post.index)[:4])
    for name in ("pre_loaded", "post_loaded"):
        loaded = getattr(survey, name)
        data = loaded.data[loaded.data["CODE"].isin(keep)]
        setattr(small, name, dataclasses.replace(loaded, data=data, n_rows=len(data)))
    small.pre = survey.pre.loc[keep]
    small.post = survey.post.loc[keep]
    html = read(write_qualiopi(small, out=tmp_path, pdf=False, root=ROOT).files[0])
    assert 'id="groupe-trop-petit"' in html
    assert "Répartition des niveaux" not in html and "McNemar" not in html


# -- rosters and surveys ---------------------------------------------------------------------
def test_roster_headers_as_people_write_them(make_roster):
    from toolkit.preuves.roster import read_roster

    path = make_roster(["Ana Lopez,ana@x.org,Ressources humaines,Juriste,ab 12 cd,alopez,"
                        "01-acculturation"],
                       header="Nom complet,Courriel,Direction,Poste,Code enquête,Login,Sessions",
                       encoding="cp1252")
    person = read_roster(path)[0]
    assert person.department == "Ressources humaines" and person.role == "Juriste"
    assert person.code == "AB12CD" and person.username == "alopez"
    assert person.sessions == ("01-acculturation",)


@pytest.mark.parametrize(("rows", "header", "message"), [
    ([";Lopez;RH;"], "prenom;nomx;service;code", "aucune colonne « nom »"),
    (["Ana;;RH;", ";;RH;"], "prenom;nom;service;code", "Ligne 3 de participants.csv : le nom"),
    (["Ana;Lopez;RH;AB"], "prenom;nom;service;code", "Ligne 2 de participants.csv (Ana Lopez)"),
])
def test_roster_errors_name_the_row(make_roster, rows, header, message):
    from toolkit.preuves.roster import read_roster

    with pytest.raises(InputError) as err:
        read_roster(make_roster(rows, header=header))
    assert message in re.sub("[\u00a0\u202f]", " ", err.value.message)
    # French typography: no-break spaces before the colon and inside the quotes.
    assert " :" not in err.value.message and "« " not in err.value.message


@pytest.mark.parametrize(("names", "expected"), [
    (["exemple-avant.xlsx", "exemple-apres.xlsx"], ("exemple-avant.xlsx", "exemple-apres.xlsx")),
    (["Questionnaire Après.csv", "questionnaire_debut.csv", "suivi-j30.csv"],
     ("questionnaire_debut.csv", "Questionnaire Après.csv")),
    (["pre.csv", "post.csv", "notes.txt"], ("pre.csv", "post.csv")),
])
def test_exports_told_apart_by_name(tmp_path, names, expected):
    from toolkit.preuves.evaluation import find_exports

    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert tuple(p.name for p in find_exports(tmp_path)) == expected


def test_ambiguous_exports_are_a_french_error(tmp_path):
    from toolkit.preuves.evaluation import find_exports

    for name in ("avant-1.csv", "avant-2.csv", "apres.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("avant-1.csv, avant-2.csv")):
        find_exports(tmp_path)


# -- typography and PDF ----------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "typeset"), [
    ("Durée : 3 h ; fin ?", "Durée\u00a0: 3 h\u202f; fin\u202f?"),
    ("« Bonjour » !", "«\u00a0Bonjour\u00a0»\u202f!"),
    ("déjà\u00a0: rien", "déjà\u00a0: rien"),
])
def test_french_typography(raw, typeset):
    assert french(raw) == typeset


def test_missing_chromium_is_a_french_error(tmp_path, roster, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium anywhere on this PATH
    with pytest.raises(ConfigError, match="Chromium est introuvable") as err:
        write_emargement("01-acculturation", roster, out=tmp_path, root=ROOT)
    assert "tools/browser-deps.sh" in err.value.fix
