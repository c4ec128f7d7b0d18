"""Automato: ROI arithmetic, matrix placement, aptitude score, inventory checks, plan, exports."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from toolkit import tasks
from toolkit.errors import InputError
from toolkit.tasks import automato

matplotlib.use("Agg")


def test_roi_arithmetic():
    r = tasks.roi(30, 4, 60, 20)
    # 30 min × 4 / 60 = 2 h; 2 h × 60 = 120; 120 − 20 = 100 per month, 1 200 per year.
    assert r.heures_mois == 2.0
    assert r.valeur_mois == 120.0
    assert r.net_mois == 100.0
    assert r.net_annee == 1200.0
    assert "100 CHF/mois" in str(r)
    assert "1\u202f200 CHF/an" in str(r)


def test_roi_can_be_negative_and_checks_inputs():
    assert tasks.roi(5, 2, 50, 30).net_mois == round(5 * 2 / 60 * 50 - 30, 2)  # rounded to cents
    with pytest.raises(InputError, match="minutes_gagnees"):
        tasks.roi(-5, 2, 50)
    with pytest.raises(InputError, match="cout_horaire"):
        tasks.roi(5, 2, "beaucoup")


@pytest.mark.parametrize(
    ("importance", "ennui", "quadrant"),
    [(5, 5, "Important & Ennuyeux"), (5, 1, "Important & Non-ennuyeux"),
     (1, 5, "Non-important & Ennuyeux"), (1, 1, "Non-important & Non-ennuyeux"),
     # 4 or 5 is high, 1 to 3 low: the convention of exercise 06-automato.
     (4, 4, "Important & Ennuyeux"), (3, 5, "Non-important & Ennuyeux"),
     (4, 3, "Important & Non-ennuyeux"), (3, 3, "Non-important & Non-ennuyeux"),
     (3.9, 4, "Non-important & Ennuyeux")],
)
def test_matrix_placement(importance, ennui, quadrant):
    assert tasks.place(importance, ennui) == quadrant


def test_placement_threshold_and_range():
    assert tasks.place(4, 4, seuil=4.5) == "Non-important & Non-ennuyeux"
    assert tasks.place(3, 3, seuil=3) == "Important & Ennuyeux"
    with pytest.raises(InputError, match="importance"):
        tasks.place(6, 3)


def test_roi_ratio_matches_exercise_06():
    # Exercise 06: 60 min/week, 75 CHF/h, 45 weeks, licence 360 CHF/year -> ROI 8.38.
    # Same figures per month: 45 weeks = 3.75 "months" of 12; use yearly totals / 12.
    minutes_month = 60 * 45 / 12
    r = tasks.roi(minutes_month, 1, 75, 360 / 12)
    assert r.rendement == 8.38
    assert "rendement" in str(r)
    assert tasks.roi(30, 4, 60).rendement is None


def test_aptitude_score():
    best = {"repetitive": 2, "texte": 2, "risque": 0, "sensibilite": 0, "verifiable": 2}
    worst = {"repetitive": 0, "texte": 0, "risque": 2, "sensibilite": 2, "verifiable": 0}
    assert tasks.aptitude(**best) == 100
    assert tasks.aptitude(**worst) == 0
    assert tasks.aptitude() == 50  # every criterion « en partie »
    # Only the risk rises from 0 to 2: loses its whole weight (20).
    assert tasks.aptitude(**{**best, "risque": 2}) == 80
    assert sum(c.weight for c in tasks.CRITERIA) == 100
    assert tasks.aptitude_level(70) == "Forte"
    assert tasks.aptitude_level(69.9) == "Moyenne"
    assert tasks.aptitude_level(39) == "Faible"
    with pytest.raises(InputError, match="inconnu"):
        tasks.aptitude(vitesse=2)


def test_inventory_errors_name_file_row_and_column(tmp_path):
    path = tmp_path / "mes-taches.csv"
    path.write_text("tache;importance;ennui\nA;3;4\nB;7;2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        tasks.load_inventory(path)
    assert "mes-taches.csv" in err.value.message
    assert "ligne 3" in err.value.message
    assert "importance" in err.value.message
    path.write_text("tache;importance\nA;3\n", encoding="utf-8")
    with pytest.raises(InputError, match="colonne « ennui »"):
        tasks.load_inventory(path)


def test_inventory_defaults():
    frame = tasks.load_inventory([{"tache": "A", "importance": 2, "ennui": 4}])
    assert frame.loc[0, "repetitive"] == 1
    assert frame.loc[0, "minutes_gagnees"] == 0


@pytest.fixture
def sample_plan():
    return tasks.plan(tasks.data_path("inventaire-taches-exemple.csv"), cout_horaire=60)


def test_plan_orders_unimportant_tedious_first(sample_plan):
    table = sample_plan.table
    quads = list(table["quadrant"])
    first_ie = quads.index("Important & Ennuyeux")
    assert all(q == "Non-important & Ennuyeux" for q in quads[:first_ie])
    assert set(quads) <= {"Non-important & Ennuyeux", "Important & Ennuyeux"}
    assert (table["aptitude"] >= 40).all()
    assert list(table["priorite"]) == list(range(1, len(table) + 1))
    # ROI column matches the formula row by row.
    expected = table.minutes_gagnees * table.frequence_mois / 60 * 60 - table.cout_outil_mois
    assert table["roi_mois"].tolist() == pytest.approx(expected.tolist())


def test_plan_recommendations(sample_plan):
    rows = sample_plan.analysis.set_index("tache")
    assert rows.loc["Analyser les absences par service", "approche"].startswith(
        "Outil interne ou modèle local")
    assert rows.loc["Rédiger les procès-verbaux des séances de service", "outil_suggere"] == (
        "Transcription et résumé de réunion")
    interviews = rows.loc["Conduire les entretiens annuels"]
    assert interviews["quadrant"] == "Important & Non-ennuyeux"
    assert "Conduire les entretiens annuels" not in set(sample_plan.table["tache"])


def test_general_assistant_enough():
    plan = tasks.plan([{"tache": "Trouver des idées de titres", "importance": 2, "ennui": 4,
                        "repetitive": 1, "texte": 2, "risque": 0, "sensibilite": 0,
                        "verifiable": 2}])
    row = plan.table.iloc[0]
    assert bool(row["assistant_generaliste_suffit"])
    assert not bool(row["prompt_avance"])


def test_exports(sample_plan, tmp_path):
    csv = sample_plan.to_csv(tmp_path / "plan.csv")
    back = pd.read_csv(csv, sep=";", encoding="utf-8-sig")
    assert len(back) == len(sample_plan.table)
    assert "roi_mois" in back.columns
    md = sample_plan.to_markdown(tmp_path / "plan.md")
    assert md.startswith("# Plan Automato")
    assert md.count("\n## ") == len(sample_plan.table)
    assert (tmp_path / "plan.md").read_text(encoding="utf-8") == md
    assert "<table" in sample_plan._repr_html_()


def test_matrix_figure(sample_plan, tmp_path):
    fig = tasks.matrix_figure(sample_plan.analysis)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    for q in tasks.QUADRANTS:
        assert q in texts
    assert any(t.startswith("1. ") for t in texts)
    assert tasks.text_overlaps(fig) == []
    fig.savefig(tmp_path / "matrice.png")


def test_cli_plan(tmp_path, capsys):
    from toolkit.cli import main

    code = main(["tasks", "plan", str(tasks.data_path("inventaire-taches-exemple.csv")),
                 "--markdown", str(tmp_path / "p.md"), "--csv", str(tmp_path / "p.csv")])
    assert code == 0
    assert "Plan Automato" in capsys.readouterr().out
    assert (tmp_path / "p.md").is_file()


def test_suggest_tool():
    assert automato.suggest_tool("Préparer la présentation au conseil") == (
        "Génération de présentations")
    assert automato.suggest_tool("Écrire un courriel") is None


def test_cli_mind_map(tmp_path, capsys):
    from toolkit.cli import main

    code = main(["tasks", "carte", "--dossier", str(tmp_path / "partage"), "--exemple",
                 "--sortie", str(tmp_path / "cartes"), "--par", "service"])
    assert code == 0
    assert (tmp_path / "cartes" / "carte-top3-par-service.svg").is_file()
    assert "24 tâches" in capsys.readouterr().out
    # An empty shared folder is a French message and exit status 1, not a traceback.
    assert main(["tasks", "carte", "--dossier", str(tmp_path / "vide")]) == 1
    assert "Aucune tâche" in capsys.readouterr().err
