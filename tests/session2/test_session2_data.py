"""Shipped session-2 data: images with sidecars, data sets, and the prepared offline answers
that the notebooks' narrative relies on (e.g. version 2 passes its checks, version 1 not)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit import assistants, tasks
from toolkit.course import prepared
from toolkit.demos import codeinterp

IMAGES = Path(str(files("toolkit") / "data" / "images"))


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_PRIVACY", "off")


@pytest.mark.parametrize("name", ["graphique-budget-commune.png", "formulaire-scanne.jpg"])
def test_images_have_a_sidecar_used_offline(name):
    image = IMAGES / name
    sidecar = IMAGES / f"{name}.description.txt"
    assert image.stat().st_size < 300_000
    assert sidecar.is_file()
    answer = toolkit.ask("Décris cette image.", images=[image], stream=False)
    assert answer.mode == "offline"
    first_line = sidecar.read_text(encoding="utf-8").splitlines()[0]
    assert first_line[:60] in str(answer)


def test_data_sets():
    budget = pd.read_csv(tasks.data_path("budget-commune.csv"))
    assert list(budget.columns) == ["annee", "domaine", "nature", "budget_chf", "comptes_chf"]
    assert len(budget) == 60
    assert set(budget.annee) == {2022, 2023, 2024}
    offers = pd.read_csv(tasks.data_path("offres-emploi.csv"))
    assert len(offers) == 10
    answers = pd.read_csv(prepared.path("offres-resumes.csv"))
    assert list(answers["id"]) == list(offers["id"])
    usages = pd.read_csv(tasks.data_path("tour-de-table-exemple.csv"))
    from toolkit.tasks.usages import validate_usage

    for record in usages.fillna("").to_dict(orient="records"):
        validate_usage(record)  # the sample is valid form input


def test_prepared_code_answers_the_question():
    budget = pd.read_csv(tasks.data_path("budget-commune.csv"))
    code = codeinterp.extract_code(tasks.simulated_text("code-ecarts-budget.md"))
    assert codeinterp.check_code(code) == []
    result = codeinterp.run_code(code, {"df": budget}, confirm=True)
    assert result.ok, result.message
    top = result.value.iloc[0]
    charges = budget[(budget.annee == 2024) & (budget.nature == "Charges")]
    gaps = charges.comptes_chf - charges.budget_chf
    assert top["ecart_chf"] == gaps.abs().max()
    assert top["domaine"] == "Prévoyance sociale"


def test_prepared_financial_note_matches_the_data():
    budget = pd.read_csv(tasks.data_path("budget-commune.csv"))
    row = budget[(budget.annee == 2024) & (budget.nature == "Charges")
                 & (budget.domaine == "Prévoyance sociale")].iloc[0]
    note = tasks.simulated_text("analyse-financiere.md")
    pct = (row.comptes_chf - row.budget_chf) / row.budget_chf * 100
    assert f"{row.comptes_chf:,}".replace(",", " ") in note
    assert f"+{pct:.1f} %".replace(".", ",") in note
    analyst = assistants.get("analyste-donnees-financieres")
    assert all(c.ok for c in analyst.check(note))


def test_prepared_job_ads_tell_the_story():
    v1 = assistants.get("redacteur-annonce-emploi", 1)
    v2 = assistants.get("redacteur-annonce-emploi", 2)
    ad_v1 = tasks.simulated_text("annonce-v1.md")
    ad_v2 = tasks.simulated_text("annonce-v2.md")
    assert not all(c.ok for c in v2.check(ad_v1))  # the weak ad fails the expert's checks
    assert all(c.ok for c in v2.check(ad_v2))
    assert sum(c.ok for c in v1.check(ad_v1)) < len(v1.check(ad_v1))
    improved = v2.improve(auteur="RH", note="processus", verifications=[
        *v2.verifications,
        {"type": "regex", "valeur": "(?im)^### processus", "message": "Processus présent."}])
    assert all(c.ok for c in improved.check(tasks.simulated_text("annonce-v3.md")))
    post = assistants.get("post-linkedin")
    assert all(c.ok for c in post.check(tasks.simulated_text("linkedin.md")))
