"""Shared data of the evidence tests: the course root, the sample survey and roster."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SURVEY = ROOT / "toolkit" / "data" / "survey"
SAMPLE_ROSTER = ROOT / "toolkit" / "data" / "preuves" / "exemple-participants.csv"


@pytest.fixture(scope="session")
def survey():
    from toolkit.preuves.evaluation import load_survey

    return load_survey(SAMPLE_SURVEY)


@pytest.fixture
def roster():
    from toolkit.preuves.roster import read_roster

    return read_roster(SAMPLE_ROSTER)


@pytest.fixture
def make_roster(tmp_path):
    """Write a roster CSV from its rows (header first) and return its path."""

    def make(rows: list[str], header: str = "prenom;nom;service;code",
             name: str = "participants.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
        return path

    return make
