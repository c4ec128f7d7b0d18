"""The instrument file, its JSON form, the templates for each survey tool, and a light import."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from toolkit.errors import ConfigError, InputError
from toolkit.survey.instrument import PHASES, default_path, load_instrument
from toolkit.survey.templates import render_template
from toolkit.testing.fresh import fresh_python

INST = load_instrument()


def test_instrument_sections_and_fields():
    codes = [it.code for it in INST.items]
    assert len(codes) == len(set(codes))
    assert all(c.isalnum() for c in codes)  # LimeSurvey-compatible codes
    sections = {it.section for it in INST.items}
    assert sections == set("ABCDEFGH")
    for it in INST.items:
        assert it.text["fr"] and it.text["en"]
        assert it.type in ("code", "choice", "scale", "quiz", "number")
        if it.type == "scale":
            assert it.scale in INST.scales
    assert any(it.reverse for it in INST.items)
    quiz = INST.quiz_items()
    assert len(quiz) >= 5 and all(q.answer in {o["value"] for o in q.options} for q in quiz)
    assert {it.code for it in INST.items_for("post")} >= {"REA1", "REA2", "REA3", "NIVAVANT"}
    assert {"NIVAVANT", "REA1"}.isdisjoint({it.code for it in INST.items_for("pre")})
    assert {"SUIVI1", "SUIVI2"} <= {it.code for it in INST.items_for("followup")}
    assert {"FEAR", "PEUR"} & set(INST.dimensions) and "CONF" in INST.dimensions


def test_competence_scale_is_snail_with_citation_not_mails():
    snail = [it for it in INST.items if it.dimension in ("TU", "CA", "PA")]
    assert len(snail) == 12 and all(it.source.startswith("SNAIL V") for it in snail)
    assert "Laupichler" in INST.citation and "CC BY 4.0" in INST.citation
    text = default_path().read_text(encoding="utf-8")
    assert "MAILS" in text and "n'est PAS adaptée" in text


def test_level_rules_are_in_the_file_and_level2_is_conjunctive():
    rules = {r["level"]: r for r in INST.levels["rules"]}
    assert set(INST.levels["names"]) == {1, 2, 3, 4, 5}
    l2 = {c["item"] for c in rules[2]["all"]}
    assert l2 == {"NIV", "C1", "C2", "C3", "C4", "C5"}


def test_bad_instrument_files_raise_config_errors(tmp_path):
    raw = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    raw["levels"]["rules"][0]["all"].append({"item": "NOPE", "min": 1})
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="NOPE"):
        load_instrument(bad)
    with pytest.raises(InputError, match="introuvable"):
        load_instrument(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("items: [\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_instrument(broken)


def test_instrument_json_from_cli(capsys):
    from toolkit.cli import main

    assert main(["survey", "instrument", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [it["code"] for it in data["items"]] == [it.code for it in INST.items]
    assert data["levels"]["rules"][0]["level"] == 2
    assert {"code", "text", "type", "scale", "dimension", "reverse"} <= set(data["items"][0])


@pytest.mark.parametrize("phase", PHASES)
def test_csv_template_header_is_the_item_codes(phase):
    text = render_template(INST, "csv", phase)
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert header == [it.code for it in INST.items_for(phase)]


@pytest.mark.parametrize("tool", ["forms", "google"])
def test_question_lists_have_exact_titles_and_answers(tool):
    text = render_template(INST, tool, "all")
    for it in INST.items:
        assert it.text["fr"] in text
    assert "<- bonne réponse" in text
    assert "Tout à fait d'accord" in text


def test_limesurvey_template_is_a_tab_separated_structure():
    text = render_template(INST, "limesurvey", "pre")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header = rows[0]
    assert header[:7] == ["id", "related_id", "class", "type/scale", "name", "relevance", "text"]
    assert all(len(r) == len(header) for r in rows)
    classes = {r[2] for r in rows[1:]}
    assert {"S", "SL", "G", "Q", "SQ", "A"} <= classes
    names = {r[4] for r in rows if r[2] in ("Q", "SQ")}
    assert {"CODE", "NIV", "COMP", "TU1", "ATT", "CONF3", "QZ1"} <= names
    with pytest.raises(InputError):
        render_template(INST, "limesurvey", "all")


def test_template_cli_writes_file(tmp_path):
    from toolkit.cli import main

    out = tmp_path / "modele.csv"
    assert (
        main(["survey", "template", "--format", "csv", "--phase", "post", "--out", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbfCODE;")


def test_import_toolkit_survey_is_light():
    code = (
        "import sys, toolkit.survey, toolkit.survey.cli; "
        "heavy = [m for m in ('pandas', 'scipy', 'matplotlib', 'pingouin', 'numpy') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    assert fresh_python(code, timeout=60).strip() == ""


def test_public_names_resolve():
    import toolkit.survey as survey

    for name in survey.__all__:
        assert getattr(survey, name) is not None, name
    with pytest.raises(AttributeError):
        _ = survey.does_not_exist
