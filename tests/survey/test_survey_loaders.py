"""Loaders read every export shape (fixtures built by make_fixtures.py) into the same values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.errors import InputError
from toolkit.survey._text import norm_code, norm_text
from toolkit.survey.instrument import load_instrument
from toolkit.survey.loaders import likert_lookup, load_export

FIX = Path(__file__).parent / "fixtures"
INST = load_instrument()


def canonical(phase: str) -> pd.DataFrame:
    df = pd.read_csv(FIX / f"canonical-{phase}.csv", dtype={"CODE": str})
    return df.set_index("CODE")


def expected_numeric(phase: str, code: str) -> pd.Series:
    can = canonical(phase)
    item = INST.item(code)
    if item.type == "quiz":
        return (can[code] == item.answer).astype(float)
    return can[code].astype(float)


EXPORTS = [
    ("forms-fr-avant.xlsx", "pre", "Microsoft Forms"),
    ("forms-en-after.xlsx", "post", "Microsoft Forms"),
    ("forms-fr-titres-doubles.xlsx", "pre", "Microsoft Forms"),
    ("google-fr-avant.csv", "pre", "Google Forms"),
    ("google-en-after.csv", "post", "Google Forms"),
    ("google-fr-suivi.csv", "followup", "Google Forms"),
    ("limesurvey-codes-avant.csv", "pre", "LimeSurvey"),
    ("limesurvey-textes-apres.csv", "post", "LimeSurvey"),
    ("plain-cp1252-suivi.csv", "followup", "CSV"),
    ("plain-utf8bom-avant.csv", "pre", "CSV"),
]


@pytest.mark.parametrize(("name", "phase", "kind"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_every_export_reads_back_the_canonical_answers(name, phase, kind):
    loaded = load_export(FIX / name, phase, INST)
    assert loaded.kind == kind
    assert len(loaded.data) == 12
    assert loaded.exclusions.empty
    can = canonical(phase)
    data = loaded.data.set_index("CODE")
    assert set(data.index) == set(can.index)
    expected_items = [it for it in INST.items_for(phase) if it.type != "code"]
    for it in expected_items:
        assert it.code in data, f"{name}: {it.code} not read"
        if it.type == "choice":
            assert (data[it.code] == can.loc[data.index, it.code]).all(), it.code
            continue
        got = data[it.code].astype(float)
        want = expected_numeric(phase, it.code).loc[data.index]
        pd.testing.assert_series_equal(got, want, check_names=False, obj=f"{name}:{it.code}")


def test_forms_quiz_points_feedback_and_identity_columns_are_not_kept():
    loaded = load_export(FIX / "forms-fr-avant.xlsx", "pre", INST)
    assert set(loaded.personal_columns) == {"Adresse de messagerie", "Nom"}
    assert any(c.startswith("Points - ") for c in loaded.ignored_columns)
    assert any(c.startswith("Feedback - ") for c in loaded.ignored_columns)
    assert "Total points" in loaded.ignored_columns
    flat = loaded.data.astype(str).to_numpy().ravel().tolist()
    assert "anonymous" not in flat
    assert not any(name in flat for name in ("Camille", "Lucas"))
    assert "Nom" not in loaded.data.columns


def test_google_identity_columns_dropped_and_timestamp_used():
    loaded = load_export(FIX / "google-fr-avant.csv", "pre", INST)
    assert "Adresse e-mail" in loaded.personal_columns
    assert not loaded.data.astype(str).apply(lambda s: s.str.contains("@")).any().any()
    assert loaded.data["_time"].notna().all()


def test_limesurvey_file_shape_is_the_real_one():
    raw = (FIX / "limesurvey-codes-avant.csv").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"id";')
    assert b"\r\n" in raw
    assert b'"COMP[TU1]"' in raw
    assert raw.endswith(b"\r\n\r\n")


def test_decimal_comma_and_cp1252():
    loaded = load_export(FIX / "plain-cp1252-suivi.csv", "followup", INST)
    first = loaded.data.set_index("CODE")["SUIVI2"]
    can = canonical("followup")["SUIVI2"]
    assert first.loc[can.index[0]] == pytest.approx(12.5)


def test_hand_typed_labels_variants_and_code_normalisation():
    loaded = load_export(FIX / "plain-libelles-cp1252.csv", "pre", INST)
    assert any("cp1252" in n for n in loaded.notes)
    d = loaded.data.set_index("CODE")
    assert list(d.index) == ["AB01CD", "AB02CD", "AB03CD", "AB04CD", "AB05CD"]
    assert d["CONF1"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]  # five different ways to write them
    assert d["CONF2"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]  # plain numbers
    assert d["CONF3"].tolist() == [5.0, 4.0, 3.0, 2.0, 1.0]  # LimeSurvey codes A5..A1
    assert d["NIV"].tolist() == [1.0, 2.0, 1.0, 2.0, 1.0]
    assert d["C1"].eq(2).all() and d["C2"].eq(1).all() and d["C3"].eq(0).all()
    assert d["C4"].eq(1).all() and d["C5"].eq(0).all()
    assert d["QZ1"].eq(1).all()
    assert d["DEPT"].eq("RH").all()


def test_forms_duplicate_title_suffix_nbsp_and_curly_apostrophes():
    loaded = load_export(FIX / "forms-fr-titres-doubles.xlsx", "pre", INST)
    assert loaded.columns["Votre service2"] == "DEPT"
    assert "NIV" in loaded.columns.values()
    plain = load_export(FIX / "forms-fr-avant.xlsx", "pre", INST).data
    pd.testing.assert_frame_equal(loaded.data.drop(columns="_time"), plain.drop(columns="_time"))


def test_norm_text_handles_nfkc_apostrophes_nbsp_case_spaces():
    assert norm_text("  Aujourd’hui\u00a0?  ") == norm_text("aujourd'hui ?")
    assert norm_text("ﬁn") == "fin"  # NFKC ligature
    assert norm_code(" ma-07 ön ") == "MA07ON"


def test_likert_dictionary_is_configurable():
    table = likert_lookup(
        INST, "accord5", {"Plutôt oui": 4, "accord5": {"Bof": 3}, "Je passe": None}
    )
    assert table[norm_text("plutôt OUI")] == 4
    assert table["bof"] == 3
    assert table["je passe"] is None
    assert table[norm_text("Fortement en accord")] == 5
    assert table[norm_text("Sans opinion")] is None


def test_unknown_label_raises_with_file_row_column_and_fix():
    with pytest.raises(InputError) as err:
        load_export(FIX / "libelle-inconnu.csv", "pre", INST)
    msg = str(err.value)
    assert (
        "libelle-inconnu.csv" in msg and "ligne 3" in msg and "CONF1" in msg and "Peut-être" in msg
    )
    assert "--likert" in err.value.fix
    # The fix works: the label added to the dictionary.
    ok = load_export(FIX / "libelle-inconnu.csv", "pre", INST, likert={"Peut-être": 3})
    assert ok.data["CONF1"].tolist() == [4.0, 3.0, 3.0]


def test_out_of_range_and_empty_code_rows_are_excluded_with_reasons():
    loaded = load_export(FIX / "hors-echelle.csv", "pre", INST)
    ex = loaded.exclusions.set_index("row")
    assert list(ex.index) == [3, 4, 5]
    assert "hors de l'échelle 1 à 5" in ex.loc[3, "reason"] and ex.loc[3, "column"] == "NIV"
    assert "hors de l'échelle 1 à 7" in ex.loc[4, "reason"]
    assert "code participant vide" in ex.loc[5, "reason"]
    assert loaded.data["CODE"].tolist() == ["AA01BB"]
    assert loaded.n_rows == len(loaded.data) + len(loaded.exclusions)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("vide.csv", ["vide.csv", "vide"]),
        ("entete-seule.csv", ["entete-seule.csv", "aucune réponse"]),
        ("sans-code.csv", ["sans-code.csv", "CODE", "introuvable"]),
        ("mauvais-encodage.csv", ["mauvais-encodage.csv", "UTF-8"]),
        ("binaire.csv", ["binaire.csv", "octets nuls"]),
        ("plusieurs-feuilles.xlsx", ["plusieurs-feuilles.xlsx", "Groupe A", "Groupe B"]),
        ("absent.csv", ["introuvable"]),
    ],
)
def test_bad_files_raise_clear_french_errors(name, words):
    with pytest.raises(InputError) as err:
        load_export(FIX / name, "pre", INST)
    for w in words:
        assert w in str(err.value)
    assert err.value.fix


def test_several_sheets_pick_the_answers_or_the_named_sheet():
    loaded = load_export(FIX / "feuille-notes.xlsx", "pre", INST)
    assert len(loaded.data) == 12 and any("Réponses" in n for n in loaded.notes)
    named = load_export(FIX / "plusieurs-feuilles.xlsx", "pre", INST, sheet="Groupe B")
    assert len(named.data) == 12


def test_column_map_for_unrecognised_headers():
    loaded = load_export(FIX / "sans-code.csv", "pre", INST, column_map={"Identifiant": "CODE"})
    assert loaded.data["CODE"].tolist() == ["A1", "B2"]
    with pytest.raises(InputError, match="XYZ"):
        load_export(FIX / "sans-code.csv", "pre", INST, column_map={"Identifiant": "XYZ"})


def test_quiz_letters_or_texts_score_one_for_the_right_answer():
    can = canonical("pre")
    loaded = load_export(FIX / "google-fr-avant.csv", "pre", INST).data.set_index("CODE")
    for it in INST.quiz_items():
        assert np.array_equal(
            loaded[it.code].to_numpy(), (can.loc[loaded.index, it.code] == it.answer).to_numpy()
        )


@pytest.mark.parametrize("heading", ["code", "full"])
@pytest.mark.parametrize("answers", ["short", "long"])
@pytest.mark.parametrize("sep", [";", ","])
def test_limesurvey_every_heading_answer_and_separator_combination(tmp_path, heading, answers, sep):
    from toolkit.survey.sample import write_limesurvey_csv

    can = canonical("post").reset_index()
    path = write_limesurvey_csv(
        can, tmp_path / "ls.csv", "post", INST, heading=heading, answers=answers, sep=sep
    )
    loaded = load_export(path, "post", INST)
    assert loaded.kind == "LimeSurvey" and len(loaded.data) == 12 and loaded.exclusions.empty
    got = loaded.data.set_index("CODE")
    for code in ("NIV", "C2", "TU1", "CONF3", "REA2", "NIVAVANT", "QZ3"):
        want = expected_numeric("post", code).loc[got.index]
        pd.testing.assert_series_equal(got[code].astype(float), want, check_names=False)


def test_cli_map_option(tmp_path):
    from toolkit.cli import main

    src = tmp_path / "avant.csv"
    src.write_text("Identifiant;Niveau\nAA01BB;1\nCC02DD;2\n", encoding="utf-8")
    dst = tmp_path / "apres.csv"
    dst.write_text("Identifiant;Niveau\nAA01BB;2\nCC02DD;3\n", encoding="utf-8")
    args = ["survey", "analyse", str(src), str(dst), "--out", str(tmp_path / "o")]
    assert main([*args, "--map", "Identifiant=CODE", "--map", "Niveau=NIV"]) == 0
    assert main(args) == 1  # without the mapping: clear error, exit status 1
