"""One French word per mode, the same in the badge, the status table, doctor, the first-answer
notice and the lab banner; offline, the status table names the model as the badge does."""

from __future__ import annotations

import pytest

import toolkit
from toolkit.config import MODE_WORDS, MODES
from toolkit.course.lab import mode_banner
from toolkit.llm.answer import MODE_LABELS
from toolkit.llm.client import MODE_NOTICES


def test_every_mode_has_one_word_used_by_the_badge_and_the_notice():
    assert set(MODE_WORDS) == set(MODES) == set(MODE_LABELS) == set(MODE_NOTICES)
    for mode, word in MODE_WORDS.items():
        assert MODE_NOTICES[mode].startswith(f"Mode {word} "), mode
        if mode != "record":  # a recorded call is a live one: « en direct · enregistrement »
            assert MODE_LABELS[mode].startswith(word), mode
    assert MODE_WORDS["record"] in MODE_LABELS["record"]
    # No English mode name in a French line.
    assert not any(m in " ".join(MODE_NOTICES.values()).split() for m in ("live", "offline"))


def test_offline_status_table_matches_the_badge(monkeypatch):
    monkeypatch.setenv("ATELIER_MODEL", "gpt-4o-mini")
    answer = toolkit.ask("Bonjour")
    rows = {label: value for label, value, _ in toolkit.status().rows}
    assert rows["Mode"].startswith(MODE_WORDS["offline"])
    assert answer.model in rows["Modèle"] and answer.model == "simulation (gpt-4o-mini)"
    assert "aucun :" not in rows["Modèle"]
    badge = answer._repr_html_()
    assert MODE_WORDS["offline"] in badge and "réponse simulée" in badge
    doctor = str(toolkit.doctor())
    assert "Mode " in doctor and MODE_WORDS["offline"] in doctor
    assert mode_banner().startswith(f"Mode {MODE_WORDS['offline']} ")


@pytest.mark.parametrize("mode", ["live", "replay"])
def test_the_lab_banner_uses_the_word_of_each_mode(monkeypatch, mode, tmp_path):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ATELIER_MODE", mode)
    assert mode_banner().startswith(f"Mode {MODE_WORDS[mode]} ")
    assert f"Mode {mode} " not in mode_banner()
