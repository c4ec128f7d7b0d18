"""Quiz widget: loading, answer checking, scoring and the text fallback."""

from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.widgets.quiz import load_quiz

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def quiz():
    return load_quiz()


def test_session1_quiz_has_ten_sound_questions(quiz):
    assert len(quiz.questions) == 10
    assert len({q.id for q in quiz.questions}) == 10
    for q in quiz.questions:
        assert 2 <= len(q.choices) <= 4
        assert 1 <= q.answer <= len(q.choices)
        assert len(q.explanation) > 40
    # Not always the same letter: a participant cannot game the quiz.
    letters = [q.answer for q in quiz.questions]
    assert len(set(letters)) >= 3
    assert max(letters.count(x) for x in set(letters)) <= 4


def test_check_accepts_letters_numbers_and_text(quiz):
    q = quiz.question(1)
    right_letter = "ABCD"[q.answer - 1]
    assert quiz.check(1, right_letter).correct
    assert quiz.check(1, right_letter.lower()).correct
    assert quiz.check(1, q.answer).correct
    assert quiz.check("prediction", q.choices[q.answer - 1]).correct
    wrong = next(i for i in range(1, len(q.choices) + 1) if i != q.answer)
    feedback = quiz.check(1, wrong)
    assert not feedback.correct
    assert f"la bonne réponse est {right_letter}" in str(feedback)
    assert q.explanation in str(feedback)
    assert "❌" in feedback._repr_html_()


def test_invalid_answers_raise_french_errors(quiz):
    with pytest.raises(InputError, match="impossible"):
        quiz.check(1, "Z")
    with pytest.raises(InputError, match="impossible"):
        quiz.check(1, 9)
    with pytest.raises(InputError, match="n'existe pas"):
        quiz.check(11, "A")


def test_score_counts_right_answers(quiz):
    answers = {i: q.answer for i, q in enumerate(quiz.questions, 1)}
    assert quiz.score(answers).correct == 10
    assert "parfait" in str(quiz.score(answers))
    answers[1] = 1 if quiz.questions[0].answer != 1 else 2
    assert quiz.score(answers).correct == 9
    # Answers given through check() are remembered; the last one counts.
    quiz.check(2, "A")
    quiz.check(2, quiz.questions[1].answer)
    result = quiz.score()
    assert result.correct == 1
    assert "1 / 10" in str(result)
    assert "1 question répondue" in str(result)


def test_text_fallback_lists_every_question(quiz):
    text = str(quiz)
    for i, q in enumerate(quiz.questions, 1):
        assert f"{i}. {q.question}" in text
    assert "quiz.check(1, \"B\")" in text
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"] == text
    assert WIDGET_MIME in bundle


def test_bad_yaml_is_reported_with_the_question(tmp_path):
    (tmp_path / "q.yml").write_text(
        "questions:\n  - id: a\n    question: Q ?\n    choices: [x, y]\n    answer: 3\n"
        "    explanation: E\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="question n° 1"):
        load_quiz("q", folder=tmp_path)
    (tmp_path / "r.yml").write_text("questions:\n  - id: a\n", encoding="utf-8")
    with pytest.raises(InputError, match="manquant"):
        load_quiz("r", folder=tmp_path)
    with pytest.raises(InputError, match="introuvable"):
        load_quiz("absent", folder=tmp_path)


def test_plain_text_form_of_feedback(quiz):
    from IPython.core.formatters import PlainTextFormatter

    text = PlainTextFormatter()(quiz.check(1, "A"))
    assert text.startswith(("✅", "❌"))
    assert "Feedback(" not in text
