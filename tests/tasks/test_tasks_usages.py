"""Round-table aggregate checked against plain pandas on the shipped sample."""

from __future__ import annotations

import matplotlib
import pandas as pd

from toolkit import tasks

matplotlib.use("Agg")


def test_summary_matches_pandas():
    data = pd.read_csv(tasks.data_path("tour-de-table-exemple.csv"))
    summary = tasks.summarise_usages(data)
    assert summary.responses == len(data)
    assert summary.minutes_week == data["minutes_gagnees"].sum()
    assert summary.satisfaction_median == data["satisfaction"].median()
    assert summary.by_kind["usages"].to_dict() == data["type_tache"].value_counts().to_dict()
    assert summary.by_service["minutes"].to_dict() == (
        data.groupby("service")["minutes_gagnees"].sum().to_dict())
    assert len(summary.problems) == data["problemes"].notna().sum()
    fig = tasks.usage_figure(data)
    assert len(fig.axes) == 3
    matplotlib.pyplot.close(fig)
