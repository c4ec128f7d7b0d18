"""Malformed exports, one class at a time: refused (exit 1) or accepted with a loud warning.

The exports are built by make_bad_exports.py into a temporary folder, so they always match the
instrument; each class names what it imitates in ``CLASSES``.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.survey.analysis import analyse, score_table
from toolkit.survey.instrument import load_instrument
from toolkit.survey.loaders import load_export

HERE = Path(__file__).parent
INST = load_instrument()
_spec = importlib.util.spec_from_file_location("make_bad_exports", HERE / "make_bad_exports.py")
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("&#39;", "'")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return bad.main(tmp_path_factory.mktemp("bad"))


def run(folder, tmp_path, pre, post, capsys):
    out = tmp_path / "out"
    status = main(["survey", "analyse", str(folder / pre), str(folder / post), "--out", str(out)])
    captured = capsys.readouterr()
    return status, plain(captured.out), plain(captured.err), out


@pytest.mark.parametrize("name", list(bad.CLASSES))
def test_every_class_is_refused_or_warned(name, folder, tmp_path, capsys):
    pre, post, expected, needle, _what = bad.CLASSES[name]
    status, out, err, out_dir = run(folder, tmp_path, pre, post, capsys)
    assert status == expected, (out, err)
    assert "Traceback" not in err
    if expected == 1:
        assert needle in err
        # The message names a file given and says what to do.
        assert pre in err or post in err
        assert "Que faire" in err
        assert not (out_dir / "report.html").exists()
    else:
        report = plain((out_dir / "report.html").read_text(encoding="utf-8"))
        assert needle in out or needle in report


@pytest.mark.parametrize("name", ["hors-echelle", "alpha-faible"])
def test_warnings_reach_terminal_and_report_summary(name, folder, tmp_path, capsys):
    pre, post, _, needle, _ = bad.CLASSES[name]
    status, out, _err, out_dir = run(folder, tmp_path, pre, post, capsys)
    assert status == 0
    warned = [ln for ln in out.splitlines() if ln.startswith("ATTENTION") and needle in ln]
    assert warned, out
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert any(needle in plain(w) for w in summary["warnings"])
    report = plain((out_dir / "report.html").read_text(encoding="utf-8"))
    brief = report[report.index("<h2>En bref") : report.index("<h2>Participation")]
    assert needle in brief and "class='warning'" in brief


def test_out_of_scale_warning_names_file_rows_and_column(folder, tmp_path, capsys):
    _, out, _, _ = run(folder, tmp_path, "hors-echelle-avant.csv", "apres.csv", capsys)
    line = next(ln for ln in out.splitlines() if "hors de l'échelle" in ln)
    assert "hors-echelle-avant.csv" in line and "« NIV »" in line
    assert "ligne 3 : « 0 »" in line and "ligne 6 : « 6 »" in line


def test_swapped_files_advice_differs_from_a_wrong_file(folder):
    # Swapped: the "after" file lacks the post-only questions found in the "before" file.
    pre = load_export(folder / "apres.csv", "pre", INST)
    post = load_export(folder / "avant.csv", "post", INST)
    with pytest.raises(InputError) as swapped:
        analyse(pre, post, instrument=INST)
    assert "inversés" in swapped.value.fix
    # A "before" file with post-only answers while the "after" file is right: not swapped.
    post_ok = load_export(folder / "alpha-faible-apres.csv", "post", INST)
    with pytest.raises(InputError) as wrong:
        analyse(pre, post_ok, instrument=INST)
    assert "inversés" not in wrong.value.fix and "REA1" in wrong.value.message


def test_encoding_and_other_questionnaire_get_their_own_advice(folder):
    with pytest.raises(InputError) as enc:
        load_export(folder / "mac-roman-avant.csv", "pre", INST)
    assert "Mac Roman" in enc.value.fix and "Renommez" not in enc.value.fix
    assert re.search(r"« \S » ligne 2", plain(enc.value.message))
    with pytest.raises(InputError) as other:
        load_export(folder / "autre-questionnaire.csv", "pre", INST)
    assert "--instrument" in other.value.fix and "Renommez" not in other.value.fix
    # A file of this questionnaire with one column misnamed keeps the renaming advice.
    with pytest.raises(InputError) as renamed:
        load_export(HERE / "fixtures" / "sans-code.csv", "pre", INST)
    assert "Renommez" in renamed.value.fix


def test_clean_cp1252_is_still_read(tmp_path):
    path = tmp_path / "excel.csv"
    frame = pd.DataFrame({"CODE": ["ÉLO12ON", "FRAN07ÇA", "JÉR21ÔM"], "NIV": ["1", "2", "3"]})
    # Typography Excel users type (’ « » – … € œ) is cp1252 too and must not look doubtful.
    frame["DEPT"] = ["« Ressources » – l’équipe…", "Comptabilité 5 €", "Cœur de métier ; où ?"]
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")
    loaded = load_export(path, "pre", INST)
    assert list(loaded.data["CODE"]) == ["ELO12ON", "FRAN07CA", "JER21OM"]
    assert any("cp1252" in n for n in loaded.notes)


def test_limesurvey_code_and_text_headings(folder):
    loaded = load_export(folder / "limesurvey-codetexte-avant.csv", "pre", INST)
    assert loaded.kind == "LimeSurvey"
    assert "ipaddr. Adresse IP" in loaded.personal_columns
    assert not any("192.168" in str(v) for v in loaded.data.to_numpy().ravel())
    assert loaded.data["_time"].notna().all()
    res = analyse(loaded, load_export(folder / "apres.csv", "post", INST), instrument=INST)
    # The duplicate written last was submitted first: the submit date decides, row 2 stays.
    dup = res.exclusions[res.exclusions["reason"].str.contains("doublon")]
    assert dup["row"].tolist() == [bad.N + 2] and "ligne 2" in dup["reason"].iloc[0]


def test_spreadsheet_blank_rows_are_not_participants(folder):
    loaded = load_export(folder / "lignes-vides-avant.csv", "pre", INST)
    assert loaded.n_rows == bad.N and len(loaded.data) == bad.N and loaded.exclusions.empty
    assert any("4 lignes entièrement vides ignorées" in n for n in loaded.notes)
    assert loaded.data["_row"].tolist() == list(range(2, bad.N + 2))


def test_every_figure_of_a_dimension_uses_the_same_pairs():
    frames = bad.synthetic_answers(30, seed=5, instrument=INST)
    quiz = [it.code for it in INST.quiz_items()]  # letters in canonical answers: not needed
    pre, post = frames["pre"].drop(columns=quiz), frames["post"].drop(columns=quiz)
    dim = "TU"
    items = [it.code for it in INST.dimension_items(dim, "post")]
    # Six people skip the whole dimension after the training: they answered before only.
    post.loc[:5, items] = np.nan
    pre.loc[:5, items] = 5.0  # and would pull the "before" mean up if they were counted
    res = analyse(pre, post, instrument=INST, salt="s")
    row = res.tables["dimensions"].set_index("dimension").loc[dim]
    ok = np.arange(30) >= 6
    pre_scores = score_table(pre, INST, "pre")[dim][ok]
    post_scores = score_table(post, INST, "post")[dim][ok]
    assert row["n"] == 24
    assert row["mean_pre"] == pytest.approx(pre_scores.mean(), rel=1e-12)
    assert row["mean_post"] == pytest.approx(post_scores.mean(), rel=1e-12)
    assert row["median_pre"] == pytest.approx(pre_scores.median(), rel=1e-12)
    block = pre.loc[ok, [it.code for it in INST.dimension_items(dim, "pre")]].astype(float)
    assert row["alpha_pre"] == pytest.approx(pg.cronbach_alpha(block)[0], rel=1e-9)
    w = pg.wilcoxon(post_scores, pre_scores, correction=True, method="asymptotic")
    assert row["rbc"] == pytest.approx(float(w["RBC"].iloc[0]), rel=1e-9)
    rel = res.tables["reliability"]
    rel_pre = rel[(rel["dimension"] == dim) & (rel["phase"] == "pre")].iloc[0]
    assert rel_pre["n"] == 24 and rel_pre["alpha"] == pytest.approx(row["alpha_pre"])


# ---------------------------------------------------------------------------------------------
# Report wording
# ---------------------------------------------------------------------------------------------
def test_french_formats_agreement_and_terms():
    from toolkit.survey._format import num, percent, plural

    assert num(1234.5) == "1\u202f234,50" and num(-0.4) == "\u22120,40"
    assert percent(0.456) == "46\u00a0%" and num(float("nan")) == "–"
    assert plural(1, "est redescendue", "sont redescendues") == "1 est redescendue"
    assert plural(0, "est redescendue", "sont redescendues") == "0 est redescendue"
    assert plural(3, "est redescendue", "sont redescendues") == "3 sont redescendues"


@pytest.fixture(scope="module")
def low_alpha_report(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("alpha")
    pre, post = bad.CLASSES["alpha-faible"][:2]
    assert (
        main(["survey", "analyse", str(folder / pre), str(folder / post), "--out", str(out)]) == 0
    )
    return plain((out / "report.html").read_text(encoding="utf-8")), out


def test_report_flags_low_alpha_in_the_table_and_uses_one_term(low_alpha_report):
    html, out = low_alpha_report
    dims = pd.read_csv(out / "dimensions.csv")
    low = dims[dims["alpha_pre"] < 0.6]
    assert len(low)
    table = html[html.index("<h2>Compétences") : html.index("<h2>Quiz")]
    row = next(r for r in table.split("<tr>") if r.startswith(f"<td>{low['nom'].iloc[0]}</td>"))
    assert "⚠" in row and 'class="low"' in row
    assert "Progrès fiables" not in html and html.count("Hausses fiables") >= 2
    # Percentages with a no-break space (read before plain() turned it into a space).
    raw = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"\d\u00a0%", raw) and not re.search(r"\d %", raw)
    assert re.search(r"\d,\d\d", html) and not re.search(r"<td>\d+\.\d+</td>", html)


def test_report_agreement_and_what_each_level_figure_is(low_alpha_report):
    html, _ = low_alpha_report
    assert not re.search(r"\b1 (personnes|sont)\b", html)
    assert re.search(r"\d+ (personnes? (a|ont) atteint|est redescendue|sont redescendues)", html)
    assert "Niveau moyen de départ" not in html
    assert "Auto-positionnement moyen" in html and "Niveau calculé" in html


def test_quiz_chart_is_labelled_with_the_questions(monkeypatch):
    from toolkit.survey import report

    figures = []
    monkeypatch.setattr(report, "_png", lambda fig: figures.append(fig) or "")
    res = analyse(
        load_export(HERE / "fixtures" / "forms-fr-avant.xlsx", "pre", INST),
        load_export(HERE / "fixtures" / "forms-en-after.xlsx", "post", INST),
        instrument=INST,
    )
    report._charts(res)
    labels = [
        " ".join(t.get_text().split())
        for fig in figures
        for ax in fig.axes
        for t in ax.get_yticklabels()
    ]
    quiz_text = " ".join(INST.item("QZ1").text["fr"].split())[:30]
    assert any(lab.startswith(quiz_text) for lab in labels), labels
    assert not any(re.fullmatch(r"QZ\d", lab) for lab in labels)


def test_exclusion_column_shows_a_short_label(tmp_path):
    from toolkit.survey.report import render_html

    long = INST.item("CODE").text["fr"]  # a 100+ character question used as heading
    assert len(long) > 60
    frame = pd.DataFrame({long: ["AA01BB", "CC02DD", "", "GG04HH"], "NIV": ["1", "2", "2", "2"]})
    path = tmp_path / "avant.csv"
    frame.to_csv(path, sep=";", index=False)
    post = pd.DataFrame({"CODE": ["AA01BB", "CC02DD", "GG04HH"], "NIV": [2.0, 3, 2]})
    res = analyse(load_export(path, "pre", INST), post, instrument=INST, salt="s")
    html = plain(render_html(res))
    cells = re.findall(r"<tr><td>avant\.csv</td><td>4</td><td>([^<]*)</td>", html)
    assert cells and len(cells[0]) <= 40 and cells[0].endswith("…")
    assert long not in html.split("<h2>Lignes écartées")[1]
