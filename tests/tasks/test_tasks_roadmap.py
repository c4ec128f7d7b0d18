"""60-day plan timeline, SPARK stages and follow-up indicators."""

from __future__ import annotations

import matplotlib
import pytest

from toolkit import tasks
from toolkit.course import sharedfolder
from toolkit.widgets.session2 import RoundTableForm

matplotlib.use("Agg")


def test_steps_follow_the_design_table():
    assert [s.day for s in tasks.STEPS] == [0, 15, 20, 20, 30, 40, 60]
    assert [s.number for s in tasks.STEPS] == ["1", "2", "3", "4", "5", "6", "7"]
    assert len(tasks.SPARK) == 5
    assert all(len(row) == len(tasks.SPARK_COLUMNS) for row in tasks.SPARK)


def test_spark_follows_the_source():
    """Stage 2 chooses the tools (evaluation, pilot); the source's practices all appear."""
    stage2 = " ".join(tasks.SPARK[1]).lower()
    assert "outil" in tasks.SPARK[1][0].lower()
    assert "évaluer" in stage2 and "pilote" in stage2
    assert "tâche" not in tasks.SPARK[1][0].lower()
    everything = " ".join(" ".join(row) for row in tasks.SPARK).lower()
    for practice in ("ambassad", "craintes", "bibliothèque de prompts", "licences",
                     "accompagnement continu"):
        assert practice in everything, practice


@pytest.mark.parametrize("today", [None, 15, 60])
def test_timeline_is_readable(today):
    fig = tasks.timeline_figure(today=today)
    assert tasks.text_overlaps(fig) == []
    texts = [t.get_text() for t in fig.axes[0].texts]
    for step in tasks.STEPS:
        assert any(t.startswith(f"{step.number}. {step.title}") for t in texts)
    assert ("aujourd'hui" in texts) == (today is not None)
    matplotlib.pyplot.close(fig)


def test_indicators_read_the_shared_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path))
    empty = tasks.indicators().set_index("indicateur")["valeur"]
    assert empty["Usages partagés au tour de table"] == 0
    assert empty["Versions d'assistants"] >= 4
    form = RoundTableForm()
    for minutes, sat in ((30, 4), (90, 2)):
        form.submit(tache="Synthèse", type_tache="Résumé et synthèse", outil="ChatGPT",
                    service="RH", minutes_gagnees=minutes, satisfaction=sat)
    sharedfolder.append_record("top3", {"service": "RH", "tache_1": "Annonces"})
    values = tasks.indicators().set_index("indicateur")["valeur"]
    assert values["Usages partagés au tour de table"] == 2
    assert values["Temps gagné déclaré"] == 2.0  # (30 + 90) / 60 hours per week
    assert values["Satisfaction médiane"] == 3.0
    assert values["Top 3 déposés"] == 1
