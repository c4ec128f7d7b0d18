"""Top-3 mind map: themes, merging, and readable figures for 3 and 60 participants."""

from __future__ import annotations

import random

import matplotlib
import pandas as pd
import pytest

from toolkit import tasks
from toolkit.errors import InputError
from toolkit.tasks.mindmap import normalise, text_overlaps

matplotlib.use("Agg")

POOL = [
    "Rédiger les annonces de poste", "Préparer les entretiens annuels",
    "Répondre aux courriels des citoyens", "Rédiger les procès-verbaux de séance",
    "Commenter les écarts budgétaires", "Traduire les communiqués",
    "Résumer la revue de presse", "Écrire les publications LinkedIn",
    "Préparer les présentations au conseil", "Trier le courrier entrant",
    "Rapprocher les relevés bancaires", "Mettre à jour la FAQ du site",
    "Rédiger la documentation utilisateur", "Répondre aux tickets de support",
    "Planifier les tournées de voirie", "Classer les pièces justificatives",
    "Synthétiser les rapports des services", "Analyser les factures fournisseurs",
    "Préparer l'ordre du jour", "Écrire des notes au conseil municipal",
]
SERVICES = ["RH", "Finances", "Communication", "Administration", "Direction",
            "Informatique", "Juridique", "Accueil et population"]


def _participants(n: int, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for p in range(n):
        service = rng.choice(SERVICES)
        for task in rng.sample(POOL, 3):
            rows.append({"participant": f"P{p:02d}", "service": service, "tache": task})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [3, 60])
@pytest.mark.parametrize("by", ["theme", "service"])
def test_readable_without_overlap(n, by, tmp_path):
    result = tasks.mind_map(_participants(n), by=by)
    assert text_overlaps(result.figure) == []
    renderer = result.figure.canvas.get_renderer()
    fig_box = result.figure.bbox
    for ax in result.figure.axes:
        for t in ax.texts:
            box = t.get_window_extent(renderer)
            assert box.x0 >= fig_box.x0 - 1, t.get_text()
            assert box.x1 <= fig_box.x1 + 1, t.get_text()
    files = result.save(tmp_path, stem=f"carte-{by}-{n}")
    assert [f.suffix for f in files] == [".png", ".svg"]
    assert all(f.stat().st_size > 1000 for f in files)
    assert result.table["participant"].nunique() == n
    matplotlib.pyplot.close(result.figure)


def test_sixty_participants_are_summarised():
    result = tasks.mind_map(_participants(60), max_leaves=6)
    leaves = [d for _, d in result.graph.nodes(data=True) if d.get("level") == 2]
    assert len(leaves) <= 7 * len({d for d in result.table["theme"]})
    # Every cited task is counted: in a leaf or in a « … et n autres » line.
    assert "180 tâches" in result.figure.texts[0].get_text()
    matplotlib.pyplot.close(result.figure)


def test_identical_tasks_are_merged_with_count():
    data = pd.DataFrame([
        {"participant": "A", "service": "RH", "tache": "Rédiger les annonces"},
        {"participant": "B", "service": "Finances", "tache": "rédiger les annonces !"},
    ])
    result = tasks.mind_map(data)
    labels = [d["label"] for _, d in result.graph.nodes(data=True) if d.get("level") == 2]
    assert labels == ["Rédiger les annonces ×2 (Finances, RH)"]
    matplotlib.pyplot.close(result.figure)


def test_wide_records_from_the_form():
    wide = pd.DataFrame([{"participant": "ab12", "service": "RH", "tache_1": "Annonces",
                          "tache_2": "Traduire la FAQ", "tache_3": None}])
    table = tasks.top3_table(wide)
    assert list(table["tache"]) == ["Annonces", "Traduire la FAQ"]
    assert list(table["theme"]) == ["Recrutement et RH", "Traduction"]


def test_themes_and_normalise():
    assert normalise("Écrire  les PV !") == "ecrire les pv"
    assert tasks.theme_of("Rédiger le procès-verbal") == "Réunions et procès-verbaux"
    assert tasks.theme_of("Arroser les plantes") == "Autres tâches"


def test_empty_and_bad_input():
    with pytest.raises(InputError, match="Aucune tâche"):
        tasks.mind_map(pd.DataFrame(columns=["participant", "service", "tache"]))
    with pytest.raises(InputError, match="by="):
        tasks.mind_map(_participants(3), by="couleur")


def test_form_records_mixed_with_the_long_sample():
    """The shared folder (wide rows) read together with the shipped sample (long rows)."""
    sample = pd.read_csv(tasks.data_path("top3-exemple.csv"))
    form = pd.DataFrame([{"participant": "ab12", "service": "RH", "tache_1": "Annonces",
                          "tache_2": "Traduire la FAQ"}])
    table = tasks.top3_table(pd.concat([sample, form], ignore_index=True))
    assert len(table) == len(sample) + 2
    assert table["tache"].str.strip().ne("").all()
    assert set(table.loc[table.participant == "ab12", "tache"]) == {"Annonces", "Traduire la FAQ"}
