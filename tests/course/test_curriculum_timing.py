"""Each session fits its three hours: modules plus the break, all read from curriculum.yml."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import TRAINER_TAG, agenda, format_clock, load, timetable
from toolkit.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CUR = load(ROOT)
SESSION_IDS = [s.id for s in CUR.sessions]
MODULES = [m for s in CUR.sessions for m in s.modules]


@pytest.mark.parametrize("session_id", SESSION_IDS)
def test_modules_and_break_fit_the_session(session_id):
    session = CUR.session(session_id)
    assert session.break_min >= 15, "a three-hour session needs a real break"
    assert session.planned_min <= session.duration_min == 180
    slots = timetable(session, "9:00")
    assert [s.label for s in slots].count("Pause") == 1
    assert slots[-1].end - slots[0].start == session.planned_min


@pytest.mark.parametrize("session_id", SESSION_IDS)
def test_agenda_table_and_plot_agree(session_id):
    import matplotlib

    matplotlib.use("Agg")
    from toolkit.course.curriculum import plot_agenda

    table = agenda(session_id, "8:30", ROOT)
    fig = plot_agenda(session_id, "8:30", ROOT)
    title = fig.axes[0].get_title(loc="left")
    assert format_clock(table.end) in title and "8 h 30" in title
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == [f"{s.label} ({s.minutes} min)" for s in table.slots]
    assert "Pause" in table._repr_html_() and f"{format_clock(table.end)}" in str(table)
    matplotlib.pyplot.close(fig)


def _trainer_minutes(path: Path) -> tuple[int | None, int | None]:
    """The « Durée : N min » of the first trainer note and the end of its minute plan."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if TRAINER_TAG in cell.metadata.get("tags", []) and "Durée" in cell.source:
            stated = re.search(r"Durée\s?:\s*(\d+)\s*min", cell.source)
            ends = [int(b) for _, b in re.findall(r"^\| *(\d+)–(\d+) *\|", cell.source, re.M)]
            return (int(stated.group(1)) if stated else None), (max(ends) if ends else None)
    return None, None


@pytest.mark.parametrize("module", MODULES, ids=[m.file for m in MODULES])
def test_trainer_minute_plan_matches_curriculum(module):
    stated, plan_end = _trainer_minutes(ROOT / module.file)
    assert stated == module.duration_min, f"{module.file}: trainer note says {stated} min"
    assert plan_end == module.duration_min, f"{module.file}: minute plan ends at {plan_end}"


def test_a_break_after_an_unknown_module_is_refused(tmp_path):
    text = (ROOT / "curriculum.yml").read_text(encoding="utf-8")
    broken = text.replace("after: 03-comment-fonctionne-un-llm", "after: 09-inconnu", 1)
    assert broken != text
    (tmp_path / "curriculum.yml").write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match="09-inconnu"):
        load(tmp_path)
