"""Session 2 forms: validated, anonymous records in the shared folder; text fallbacks."""

from __future__ import annotations

import pytest

from toolkit.course import sharedfolder
from toolkit.errors import InputError
from toolkit.widgets.session2 import RoundTableForm, Top3Form

GOOD = {"tache": "Synthèse d'un rapport", "type_tache": "Résumé et synthèse",
        "outil": "Copilot (Microsoft 365)", "service": "Finances", "minutes_gagnees": 45,
        "satisfaction": 4, "problemes": ""}


def test_round_table_submit_and_read(tmp_path):
    form = RoundTableForm(tmp_path)
    form.submit(**GOOD)
    form.submit(**{**GOOD, "service": "RH", "minutes_gagnees": "15"})
    frame = sharedfolder.read_records("tour-de-table", tmp_path)
    assert sorted(frame["minutes_gagnees"]) == [15, 45]
    assert set(frame["service"]) == {"Finances", "RH"}


@pytest.mark.parametrize(
    ("change", "field"),
    [({"tache": " "}, "tâche"), ({"service": "Marketing"}, "service"),
     ({"satisfaction": 9}, "satisfaction"), ({"minutes_gagnees": "beaucoup"}, "minutes"),
     ({"type_tache": ""}, "type de tâche")],
)
def test_round_table_errors_name_the_field(tmp_path, change, field):
    with pytest.raises(InputError, match=field):
        RoundTableForm(tmp_path).submit(**{**GOOD, **change})
    assert not list((tmp_path / "tour-de-table").glob("*.json"))


def test_top3_submit(tmp_path):
    form = Top3Form(tmp_path)
    form.submit("RH", ["Annonces", "", "Entretiens"])
    frame = sharedfolder.read_records("top3", tmp_path)
    assert frame.loc[0, "tache_1"] == "Annonces"
    assert frame.loc[0, "tache_2"] == "Entretiens"
    assert len(frame.loc[0, "participant"]) == 8
    with pytest.raises(InputError, match="trois au plus"):
        form.submit("RH", ["a", "b", "c", "d"])
    with pytest.raises(InputError, match="Aucune tâche"):
        form.submit("RH", ["", " "])


def test_text_fallbacks(tmp_path):
    for form in (RoundTableForm(tmp_path), Top3Form(tmp_path)):
        bundle = form._repr_mimebundle_()
        assert "submit(" in bundle["text/plain"]
        assert "application/vnd.jupyter.widget-view+json" in bundle


def test_round_table_end_to_end_with_sample(tmp_path):
    """Participants' records read with the shipped sample, then aggregated and drawn."""
    import matplotlib

    matplotlib.use("Agg")
    from toolkit import tasks

    form = RoundTableForm(tmp_path)
    form.submit(**GOOD)
    form.submit(**{**GOOD, "type_tache": "Traduction", "minutes_gagnees": 10})
    frame = sharedfolder.read_records(
        "tour-de-table", tmp_path, sample=tasks.data_path("tour-de-table-exemple.csv"))
    summary = tasks.summarise_usages(frame)
    assert summary.responses == 20
    assert summary.participants_files == 2
    assert summary.minutes_week == 815 + 55
    fig = tasks.usage_figure(frame)
    matplotlib.pyplot.close(fig)


def test_top3_end_to_end_with_sample(tmp_path):
    """Form records (wide) and the sample (long) make one mind map."""
    import matplotlib

    matplotlib.use("Agg")
    from toolkit import tasks

    form = Top3Form(tmp_path)
    form.submit("RH", ["Rédiger les annonces de poste", "Traduire la FAQ"])
    form.submit("Finances", ["Commenter les écarts budgétaires"])
    frame = sharedfolder.read_records("top3", tmp_path,
                                      sample=tasks.data_path("top3-exemple.csv"))
    result = tasks.mind_map(frame)
    assert len(result.table) == 24 + 3
    assert result.table["participant"].nunique() == 8 + 2
    labels = [d["label"] for _, d in result.graph.nodes(data=True) if d.get("level") == 2]
    assert any(label.startswith("Rédiger les annonces de poste ×2") for label in labels)
    assert tasks.text_overlaps(result.figure) == []
    matplotlib.pyplot.close(result.figure)


def test_inventory_form_replaces_the_example_and_names_the_bad_field():
    from toolkit.errors import InputError
    from toolkit.widgets.session2 import EXAMPLE_TASKS, InventoryForm

    form = InventoryForm()
    assert len(form.taches) == len(EXAMPLE_TASKS)
    form.add(tache="Rédiger les convocations", importance=2, ennui=5, minutes_gagnees=20,
             frequence_mois=4, repetitive=2, texte=2, risque=0, sensibilite=0, verifiable=2)
    assert [t["tache"] for t in form.taches] == ["Rédiger les convocations"]
    with pytest.raises(InputError, match="importance"):
        form.add(tache="Trier", importance=9, ennui=3, minutes_gagnees=5, frequence_mois=1,
                 repetitive=1, texte=1, risque=0, sensibilite=0, verifiable=1)
    assert len(form.taches) == 1
    from toolkit import tasks

    assert tasks.analyse(form.taches)["quadrant"].iloc[0]
    form.widget()  # builds without error


def test_assistant_form_writes_the_check_for_the_participant():
    from toolkit.widgets.session2 import AssistantForm

    form = AssistantForm("redacteur-annonce-emploi", ajout="Ajoute une rubrique sur le "
                         "processus de recrutement.", rubrique="Processus de recrutement")
    made = form.create()
    assert made.version == form.base.version + 1
    assert len(made.verifications) == len(form.base.verifications) + 1
    answer = "### Le poste\n…\n### Processus de recrutement\nDeux entretiens."
    assert all(c.ok for c in made.check(answer)[-1:])
    assert not made.check("### Le poste\nrien")[-1].ok
    form.widget()


def test_full_table_shows_long_text_whole_and_left_aligned():
    import pandas as pd

    from toolkit.widgets.tables import full_table

    long = "Cible prioritaire : confier le gros du travail à l'IA, " * 4
    page = full_table(pd.DataFrame({"tâche": [long], "roi": [120.0]}))._repr_html_()
    import html

    assert html.escape(long.strip()) in page and "..." not in page
    assert "text-align:left" in page and ">120<" in page
