"""End to end: sample -> analyse -> report; matching, duplicates, privacy, CLI behaviour."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.survey.analysis import DIMENSION_FIELDS, analyse, analyse_files, compute_levels
from toolkit.survey.instrument import load_instrument
from toolkit.survey.loaders import load_export
from toolkit.survey.sample import generate, sample_paths

FIX = Path(__file__).parent / "fixtures"
INST = load_instrument()
REQUIRED_SUMMARY = {
    "n_pre",
    "n_post",
    "n_matched",
    "unmatched_pre",
    "unmatched_post",
    "excluded",
    "level_pre",
    "level_post",
    "share_level2_pre",
    "share_level2_post",
    "mcnemar",
    "dimensions",
    "quiz",
}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("rapport")
    assert main(["survey", "analyse", "--sample", "--out", str(out), "--salt", "sel-test"]) == 0
    return out


def test_cli_sample_writes_every_output(report_dir):
    for name in (
        "report.html",
        "summary.json",
        "participants.csv",
        "transitions.csv",
        "dimensions.csv",
        "departments.csv",
        "exclusions.csv",
        "unmatched.csv",
    ):
        assert (report_dir / name).exists(), name
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= REQUIRED_SUMMARY
    assert {"b", "c", "p_exact"} <= set(summary["mcnemar"])
    # summary.json gives, for each dimension, the test, its effect size and reliability...
    assert {"n", "W", "p", "p_holm", "rbc", "alpha_pre", "alpha_post"} <= set(DIMENSION_FIELDS)
    # ...with the figures of dimensions.csv
    table = pd.read_csv(report_dir / "dimensions.csv").set_index("dimension")
    assert set(summary["dimensions"]) == set(table.index)
    for name, d in summary["dimensions"].items():
        assert set(d) == set(DIMENSION_FIELDS) and set(d) <= set(table.columns)
        for field, value in d.items():
            expected = table.loc[name, field]
            assert value == pytest.approx(expected, nan_ok=True) or (
                value is None and pd.isna(expected)
            ), (name, field)
    assert {"mean_pre", "mean_post", "t", "p", "dz"} <= set(summary["quiz"])
    for e in summary["excluded"]:
        assert {"file", "row", "reason"} <= set(e)


def test_sample_counts_match_the_documented_design(report_dir):
    s = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    # 120 people: 8 only before, 5 only after, 3 duplicated pre answers (see sample.py).
    assert s["n_matched"] == 107
    assert len(s["unmatched_pre"]) == 8 and len(s["unmatched_post"]) == 5
    assert s["n_pre"] == 115 and s["rows_read"]["pre"] == 118
    assert len(s["excluded"]) == 3 and all("doublon" in e["reason"] for e in s["excluded"])
    # Every row read is accounted for: kept or excluded.
    assert s["rows_read"]["pre"] == s["n_pre"] + sum(e["phase"] == "pre" for e in s["excluded"])
    assert sum(s["level_pre"].values()) == s["n_matched"]
    assert s["share_level2_post"] > s["share_level2_pre"]


def test_report_is_self_contained_french_and_starts_with_the_summary(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "lang='fr'" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    assert html.count("data:image/png;base64,") >= 5
    s = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    n = s["n_matched"]
    after = round(s["share_level2_post"] * n)
    before = round(s["share_level2_pre"] * n)
    sentence = (
        f"{after} participants sur {n} sont maintenant au niveau 2 ou plus, contre {before} avant."
    )
    assert sentence in html
    assert (
        html.index("<h2>En bref")
        < html.index("<h2>Niveaux avant")
        < html.index("<h2>Méthodes et précautions")
    )
    assert "Laupichler" in html and "CC BY 4.0" in html
    assert "colonnes supprimées à la lecture" in html
    assert "(masqué)" in html


def test_every_report_table_has_a_value_under_each_header(report_dir):
    """Each table's cells match its headers, and the figures are the tables' (French format)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append({"th": [], "rows": []})
            elif tag == "tr":
                self.tables[-1]["rows"].append([])
            elif tag in ("th", "td"):
                self.cell = tag, []

        def handle_data(self, data):
            if self.cell:
                self.cell[1].append(data)

        def handle_endtag(self, tag):
            if tag in ("th", "td") and self.cell:
                text = "".join(self.cell[1]).strip()
                table = self.tables[-1]
                (table["th"] if tag == "th" else table["rows"][-1]).append(text)
                self.cell = None

    parser = Tables()
    parser.feed((report_dir / "report.html").read_text(encoding="utf-8"))
    by_first = {t["th"][0]: t for t in parser.tables}
    assert {"Niveau", "Dimension", "Service", "Comparaison", "Score"} <= set(by_first)
    for table in parser.tables:
        rows = [r for r in table["rows"] if r]
        assert rows, table["th"]
        assert {len(r) for r in rows} == {len(table["th"])}, table["th"]
    dims = by_first["Dimension"]
    frame = pd.read_csv(report_dir / "dimensions.csv")
    first = dict(zip(dims["th"], next(r for r in dims["rows"] if r), strict=True))
    expected = frame[frame["nom"] == first["Dimension"]].iloc[0]
    assert first["n (paires)"] == str(expected["n"])
    assert first["Moyenne avant"] == f"{expected['mean_pre']:.2f}".replace(".", ",")


def test_outputs_hold_no_names_emails_or_raw_codes(report_dir):
    raw_codes = set(generate()["pre"]["CODE"]) | set(generate()["post"]["CODE"])
    for path in report_dir.iterdir():
        if path.suffix not in (".csv", ".json", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "@" not in text
        assert "anonymous" not in text
        assert "Camille" not in text
        leaked = [c for c in raw_codes if re.search(rf"\b{re.escape(c)}\b", text)]
        assert not leaked, (path.name, leaked[:3])
    part = pd.read_csv(report_dir / "participants.csv")
    assert part["participant"].str.match(r"^P-[0-9a-f]{10}$").all()
    assert {"niveau_avant", "niveau_apres", "TU_rci", "quiz_avant"} <= set(part.columns)


def test_pseudonyms_depend_on_the_salt():
    p = sample_paths()
    a = analyse_files(p["pre"], p["post"], salt="un")
    b = analyse_files(p["pre"], p["post"], salt="un")
    c = analyse_files(p["pre"], p["post"], salt="deux")
    assert a.participants["participant"].tolist() == b.participants["participant"].tolist()
    assert set(a.participants["participant"]).isdisjoint(c.participants["participant"])


def test_duplicates_latest_wins_and_are_reported():
    pre = load_export(FIX / "doublons.csv", "pre", INST)
    # The same file as "after" is refused now (test_survey_bad_inputs.py); pairs from a frame.
    post = pd.DataFrame({"CODE": ["AA01BB", "CC02DD"], "NIV": [2.0, 3.0]})
    res = analyse(pre, post, instrument=INST, salt="s")
    ex = res.exclusions[res.exclusions["phase"] == "pre"].set_index("row")
    # AA01BB at rows 2 and 3 (same code once normalised): row 3 (09:10) wins.
    # CC02DD at rows 4 (09:05) and 5 (09:20): row 5 wins.
    assert sorted(ex.index) == [2, 4]
    assert "ligne 3" in ex.loc[2, "reason"] and "ligne 5" in ex.loc[4, "reason"]
    assert res.summary["n_pre"] == 2


def test_matching_normalises_codes_and_lists_unmatched():
    inst = INST
    pre = pd.DataFrame({"CODE": ["MA07ON", "JO12EN", "SO01RE"], "NIV": [1.0, 1, 2]})
    post = pd.DataFrame({"CODE": ["MA07ON", "JO12EN", "ZZ99ZZ"], "NIV": [2.0, 3, 1]})
    res = analyse(pre, post, instrument=inst, salt="s")
    assert res.summary["n_matched"] == 2
    assert [u["row"] for u in res.summary["unmatched_pre"]] == [4]
    assert [u["row"] for u in res.summary["unmatched_post"]] == [4]
    # Codes typed differently still match (loader normalisation).
    loaded = load_export(FIX / "plain-libelles-cp1252.csv", "pre", inst)
    assert "AB01CD" in set(loaded.data["CODE"])


def test_level_rules_are_conjunctive_and_cumulative():
    base = {"NIV": 2, "C1": 2, "C2": 1, "C3": 1, "C4": 1, "C5": 1, "C6": 0}
    rows = [
        base,
        {**base, "C3": 0},  # one behaviour missing -> level 1
        {**base, "NIV": 1},  # self-placement 1 -> level 1
        {**base, "NIV": 5},  # level 3 rule fails (C1 < 3, C6 = 0) -> stays 2
        {**base, "NIV": 5, "C1": 3, "C6": 1},  # all rules -> 5
        {**base, "NIV": 3, "C1": 4, "C6": 1},  # -> 3
        {**base, "C4": float("nan")},  # missing answer fails -> 1
    ]
    levels = compute_levels(pd.DataFrame(rows), INST)
    assert levels.tolist() == [2, 1, 1, 2, 5, 3, 1]


def _survey_analyse(*args) -> subprocess.CompletedProcess:
    """``atelier survey analyse ARGS`` in a fresh interpreter, as a trainer runs it."""
    cmd = [sys.executable, "-m", "toolkit.cli", "survey", "analyse", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_cli_bad_input_gives_french_message_and_no_traceback(tmp_path):
    proc = _survey_analyse(FIX / "vide.csv", FIX / "google-en-after.csv", "--out", tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "vide.csv" in proc.stderr and "Que faire" in proc.stderr


def test_cli_unknown_label_then_fixed_with_likert_file(tmp_path):
    # A distinct "after" file (the same file twice is refused): everyone one level up.
    after = tmp_path / "libelle-inconnu-apres.csv"
    text = (FIX / "libelle-inconnu.csv").read_text(encoding="utf-8")
    after.write_text(text.replace(";2;", ";3;").replace(";1;", ";2;"), encoding="utf-8")
    args = [FIX / "libelle-inconnu.csv", after, "--out", tmp_path / "o"]
    proc = _survey_analyse(*args)
    assert proc.returncode == 1 and "Peut-être" in proc.stderr and "Traceback" not in proc.stderr
    likert = tmp_path / "libelles.yml"
    likert.write_text("Peut-être: 3\n", encoding="utf-8")
    proc = _survey_analyse(*args, "--likert", likert)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "report.html").exists()


def test_analysis_object_renders_in_text_and_html():
    p = sample_paths()
    res = analyse_files(p["pre"], p["post"], salt="s")
    text = str(res)
    assert "participants sur 107" in text
    assert "<b>" in res._repr_html_()


def test_dataframe_input_codes_are_normalised_too():
    pre = pd.DataFrame({"CODE": ["ma-07 on", "JO12EN"], "NIV": [1.0, 1.0]})
    post = pd.DataFrame({"CODE": ["MA07ON", "jo 12 én"], "NIV": [2.0, 2.0]})
    assert analyse(pre, post, instrument=INST, salt="s").summary["n_matched"] == 2
