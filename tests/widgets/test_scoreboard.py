"""Le défi du prompt: round data, prompt scoring, answer checks, scoreboard and sharing."""

from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.widgets.scoreboard import (
    ANALYSIS_POINTS,
    AnswerCheck,
    DefiGame,
    Scoreboard,
    check_answer,
    load_defi,
    normalise,
    score_prompt,
)


@pytest.fixture
def defi():
    return load_defi()


def test_five_rounds_worth_100_points_each(defi):
    assert len(defi.rounds) == 5
    for r in defi.rounds:
        assert ANALYSIS_POINTS + sum(c.points for c in r.criteria) == 100
        assert 0 < r.bonus_points <= 20
        assert r.example
        assert 3 <= r.minutes <= 6


def test_trainer_examples_score_high_and_vague_prompts_low(defi):
    for r in defi.rounds:
        good = score_prompt(r, r.example)
        assert good.total >= 90, (r.id, str(good))
        assert all(ok for _, ok in good.criteria)
        vague = score_prompt(r, "Fais-moi ça vite.")
        assert vague.total < 25
        assert vague.hints  # says what to add


def test_score_breakdown_adds_up(defi):
    r = defi.round(1)
    s = score_prompt(r, "Rédige une annonce d'emploi pour un poste d'assistant en 5 puces.")
    assert s.total == s.analysis_points + s.criteria_points + s.bonus
    assert s.analysis_points == round(s.report.score * 0.6)
    met = {c.label for c, ok in s.criteria if ok}
    assert "Le nombre de puces est précisé (5)" in met
    assert "Le poste est décrit (intitulé, taux, service)" in met
    assert "Manche 1" in str(s)
    assert "<table>" in s._repr_html_()


def test_answer_bonus_only_with_a_real_model(defi):
    r = defi.round("annonce")
    answer = "\n".join(f"- point {i}" for i in range(1, 6))
    offline = score_prompt(r, r.example, answer, "offline")
    live = score_prompt(r, r.example, answer, "live")
    assert offline.bonus == 0
    assert "non compté en mode simulé" in str(offline)
    assert live.bonus == 20
    assert "✔ (bonus) La réponse a exactement 5 puces\u00a0: +10" in str(live)
    assert live.total == offline.total + 20


def test_answer_checks():
    bullets = AnswerCheck("bullets", "5 puces", 10, value=5)
    assert check_answer(bullets, "Intro\n- a\n- b\n* c\n• d\n1. e\n")
    assert not check_answer(bullets, "- a\n- b")
    words = AnswerCheck("max_words", "court", 10, value=5)
    assert check_answer(words, "un deux trois")
    assert not check_answer(words, "un deux trois quatre cinq six")
    assert not check_answer(words, "")
    sentences = AnswerCheck("max_sentences", "3 phrases", 10, value=3)
    assert check_answer(sentences, "Une. Deux ! Trois ?")
    assert not check_answer(sentences, "Une. Deux. Trois. Quatre.")
    table = AnswerCheck("table", "tableau", 10)
    assert check_answer(table, "| a | b |\n|---|---|\n| 1 | 2 |")
    assert not check_answer(table, "a ; b")
    contains = AnswerCheck("contains_any", "politesse", 10, patterns=("salutations",))
    assert check_answer(contains, "Nos meilleures SALUTATIONS")
    with pytest.raises(InputError):
        check_answer(AnswerCheck("magie", "x", 1), "texte")


def test_normalise_removes_accents_and_case():
    assert normalise("Épuisé DÉCEMBRE l’an") == "epuise decembre l'an"


def test_scoreboard_keeps_best_score_and_ranks(defi):
    board = Scoreboard(rounds=defi.rounds)
    assert "aucun score" in str(board)
    assert board.record("Les Aigles", "annonce", 60)
    assert not board.record("Les Aigles", "annonce", 40)  # best kept
    assert board.record("Les Aigles", "annonce", 70)
    board.record("Les Aigles", "refus", 50)
    board.record("Équipe B", "annonce", 90)
    board.record("Équipe C", "annonce", 90)
    assert board.ranking() == [("Les Aigles", 120), ("Équipe B", 90), ("Équipe C", 90)]
    table = board.table()
    assert list(table.columns) == ["rang", "équipe", "M1", "M2", "M3", "M4", "M5", "total"]
    assert table.loc[0, "M1"] == 70
    assert "🥇 Les Aigles\u00a0: 120 points" in str(board)
    with pytest.raises(InputError):
        board.record("   ", "annonce", 10)


def test_publish_and_read_room_scoreboard(tmp_path, defi):
    board = Scoreboard(rounds=defi.rounds)
    board.record("Les Aigles", "annonce", 70)
    board.record("Les Aigles", "refus", 50)
    assert board.publish("Les Aigles", folder=tmp_path) == 2
    other = Scoreboard(rounds=defi.rounds)
    other.record("Les Lynx", "annonce", 80)
    other.publish("Les Lynx", folder=tmp_path)
    room = Scoreboard.from_room(defi.rounds, folder=tmp_path)
    assert room.ranking() == [("Les Aigles", 120), ("Les Lynx", 80)]
    # No folder yet: an empty board, and nothing is created.
    missing = tmp_path / "absent"
    assert not Scoreboard.from_room(defi.rounds, folder=missing).scores
    assert not missing.exists()


def test_play_offline_scores_without_bonus(defi, monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_PRIVACY", "off")  # the privacy guard is tested elsewhere
    r = defi.round(3)
    score = defi.play(3, r.example, team="Les Aigles")
    assert score.answer_mode == "offline"
    assert score.bonus == 0
    assert defi.scoreboard.scores["Les Aigles"]["tableau"] == score.total
    with pytest.raises(InputError):
        defi.round(9)


def test_game_text_fallback(defi, widget_text):
    text = widget_text(DefiGame(defi, ask=False))
    for r in defi.rounds:
        assert f"Manche {r.number}\u00a0: {r.title}" in text
    assert "defi.play(" in text


def test_bad_round_file(tmp_path):
    (tmp_path / "d.yml").write_text("rounds:\n  - id: x\n    title: T\n", encoding="utf-8")
    with pytest.raises(InputError, match="manche n° 1"):
        load_defi("d", folder=tmp_path)


def test_plain_text_form_is_french_not_a_repr(defi):
    from IPython.core.formatters import PlainTextFormatter

    fmt = PlainTextFormatter()
    score = score_prompt(defi.round(1), defi.round(1).example)
    assert fmt(score).startswith("Manche 1 (")
    assert fmt(defi.scoreboard).startswith("Tableau des scores")
    assert fmt(defi.round(2)).startswith("Manche 2\u00a0:")


def test_room_scoreboard_never_shows_none_nor_decimals(tmp_path):
    from toolkit.widgets.scoreboard import load_defi

    defi = load_defi()
    board = Scoreboard(rounds=defi.rounds)
    board.record("Les Aigles", defi.rounds[0].id, 30)
    board.record("Les Hiboux", defi.rounds[2].id, 85)
    board.publish("Les Aigles", tmp_path)
    board.publish("Les Hiboux", tmp_path)
    room = Scoreboard.from_room(defi.rounds, tmp_path)
    page = room._repr_html_()
    for bad in ("None", "nan", "NaN", "30.0", "85.0", "&lt;NA&gt;"):
        assert bad not in page, bad
    assert ">30<" in page and ">85<" in page and "–" in page
    assert str(room.table()["M1"].dtype) == "Int64"


def test_scoring_lives_outside_the_widgets():
    from pathlib import Path

    import toolkit.course.defi as core

    source = Path(core.__file__).read_text(encoding="utf-8")
    assert "ipywidgets" not in source
    assert core.score_prompt is score_prompt  # the widget module only re-exports it


def test_every_widget_shows_its_whole_label():
    import ipywidgets as w

    from toolkit.widgets.levels import level_picker
    from toolkit.widgets.playground import Playground
    from toolkit.widgets.quiz import load_quiz
    from toolkit.widgets.scoreboard import DefiGame, load_defi
    from toolkit.widgets.session2 import AssistantForm, InventoryForm, RoundTableForm, Top3Form

    roots = [DefiGame(load_defi()).widget(), Playground("x").widget(), load_quiz().widget(),
             level_picker().widget(), RoundTableForm().widget(), Top3Form().widget(),
             InventoryForm().widget(), AssistantForm("redacteur-annonce-emploi").widget()]

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    seen = 0
    for root in roots:
        for widget in walk(root):
            if isinstance(widget, (w.Button, w.ToggleButtons, w.Checkbox)):
                seen += 1
                assert widget.layout.width == "auto", (type(widget).__name__, widget.description)
                assert widget.layout.min_width == "max-content"
    assert seen >= 10
