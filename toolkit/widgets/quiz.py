"""A multiple-choice quiz with instant explanations, read from YAML (``toolkit/data/session1``).

In JupyterLab each question has radio buttons and a « Vérifier » button; where widgets cannot
render, the quiz prints as text and ``quiz.check(3, "B")`` gives the same feedback.
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import InputError
from toolkit.fr import accord, pluriel
from toolkit.widgets._base import ShowsWidget, fitted, load_session_yaml

__all__ = ["Feedback", "Question", "Quiz", "QuizResult", "load_quiz"]

LETTERS = string.ascii_uppercase


@dataclass(frozen=True)
class Question:
    """One question: its choices, the number of the right one (from 1) and the explanation."""

    id: str
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str

    def choice_number(self, choice: int | str) -> int:
        """1-based number of *choice*, given as a number, a letter (« B ») or the choice text."""
        if isinstance(choice, bool):
            choice = str(choice)
        if isinstance(choice, int):
            number = choice
        else:
            text = str(choice).strip()
            if len(text) == 1 and text.upper() in LETTERS:
                number = LETTERS.index(text.upper()) + 1
            elif text.isdigit():
                number = int(text)
            else:
                matches = [i for i, c in enumerate(self.choices, 1) if c.strip() == text]
                number = matches[0] if matches else 0
        if not 1 <= number <= len(self.choices):
            letters = ", ".join(LETTERS[: len(self.choices)])
            raise InputError(
                f"Réponse « {choice} » impossible pour la question « {self.id} ».",
                f"Répondez par une lettre ({letters}) ou un numéro de 1 à {len(self.choices)}.",
            )
        return number

    def check(self, choice: int | str) -> Feedback:
        number = self.choice_number(choice)
        return Feedback(self, number, number == self.answer)

    def text(self, number: int | None = None) -> str:
        head = f"{number}. {self.question}" if number else self.question
        lines = [head]
        lines += [f"   {LETTERS[i]}. {c}" for i, c in enumerate(self.choices)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, with the explanation."""

    question: Question
    choice: int
    correct: bool

    @property
    def right_letter(self) -> str:
        return LETTERS[self.question.answer - 1]

    def __str__(self) -> str:
        verdict = (
            "✅ Bonne réponse !"
            if self.correct
            else f"❌ Pas tout à fait : la bonne réponse est {self.right_letter}."
        )
        return f"{verdict}\n{self.question.explanation}"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        from toolkit.html import ALERT, SUCCESS, box

        verdict = (
            "✅ Bonne réponse !"
            if self.correct
            else f"❌ Pas tout à fait : la bonne réponse est <b>{self.right_letter}</b>."
        )
        return box(f"{verdict}<br>{html.escape(self.question.explanation)}",
                   SUCCESS if self.correct else ALERT)


@dataclass(frozen=True)
class QuizResult:
    """Score of a set of answers."""

    feedback: tuple[Feedback, ...]
    total: int

    @property
    def correct(self) -> int:
        return sum(f.correct for f in self.feedback)

    def __str__(self) -> str:
        text = f"Score : {self.correct} / {self.total}"
        if len(self.feedback) < self.total:
            answered = pluriel(len(self.feedback), "question répondue",
                               aucun="aucune question répondue")
            text += f" ({answered})"
        if self.total and self.correct == self.total:
            text += " : parfait !"
        return text

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(str(self))}</b></p>"


@dataclass
class Quiz(ShowsWidget):
    """A list of questions; keeps the participant's answers given through :meth:`check`."""

    title: str
    questions: tuple[Question, ...]
    answers: dict[str, int] = field(default_factory=dict)

    def question(self, key: int | str) -> Question:
        """Question by number (from 1) or by id."""
        if isinstance(key, int) and not isinstance(key, bool):
            if 1 <= key <= len(self.questions):
                return self.questions[key - 1]
        else:
            for q in self.questions:
                if q.id == key:
                    return q
        raise InputError(
            f"La question « {key} » n'existe pas dans le quiz.",
            f"Choisissez un numéro de 1 à {len(self.questions)}.",
        )

    def check(self, key: int | str, choice: int | str) -> Feedback:
        """Check one answer (``quiz.check(3, "B")``), remember it and explain."""
        q = self.question(key)
        feedback = q.check(choice)
        self.answers[q.id] = feedback.choice
        return feedback

    def score(self, answers: dict[int | str, int | str] | None = None) -> QuizResult:
        """Score *answers* (question number or id → choice), or the answers given so far."""
        given: Mapping[Any, int | str] = self.answers if answers is None else answers
        pairs = [(self.question(k), v) for k, v in given.items()]
        return QuizResult(tuple(q.check(v) for q, v in pairs), len(self.questions))

    def __str__(self) -> str:
        lines = [self.title, ""]
        for i, q in enumerate(self.questions, 1):
            lines += [q.text(i), ""]
        lines.append(
            "Pour répondre sans les boutons : quiz.check(numéro, \"lettre\"), "
            "par exemple quiz.check(1, \"B\")."
        )
        return "\n".join(lines)

    # -- widget ------------------------------------------------------------------------------

    def widget(self):
        """One box per question (radio buttons, « Vérifier », explanation) and a live score."""
        import ipywidgets as w

        score = w.HTML(f"<b>{html.escape(str(self.score()))}</b>")
        boxes = []
        for i, q in enumerate(self.questions, 1):
            options = [(f"{LETTERS[j]}. {c}", j + 1) for j, c in enumerate(q.choices)]
            radio = w.RadioButtons(options=options, value=None, layout=w.Layout(width="auto"))
            button = fitted(w.Button(description="Vérifier", icon="check", button_style="primary"))
            result = w.HTML()

            def on_click(_, q=q, radio=radio, result=result):
                if radio.value is None:
                    result.value = "<i>Choisissez d'abord une réponse.</i>"
                    return
                result.value = self.check(q.id, radio.value)._repr_html_()
                score.value = f"<b>{html.escape(str(self.score()))}</b>"

            button.on_click(on_click)
            title = w.HTML(f"<b>{i}. {html.escape(q.question)}</b>")
            boxes.append(w.VBox([title, radio, button, result]))
        return w.VBox([w.HTML(f"<h3>{html.escape(self.title)}</h3>"), *boxes, score])


def load_quiz(name: str = "quiz", folder: str | Path | None = None) -> Quiz:
    """Read the quiz *name* (``toolkit/data/session1/<name>.yml`` unless *folder* is given)."""
    path, data = load_session_yaml(name, folder, session="session1", what="Quiz")
    questions = []
    for i, raw in enumerate(data.get("questions") or [], 1):
        where = f"{path.name}, question n° {i}"
        fields = ("id", "question", "choices", "answer", "explanation")
        missing = [k for k in fields if k not in raw]
        if missing:
            raise InputError(
                f"{where} : {accord(len(missing), 'champ manquant')} : {', '.join(missing)}.",
                "Chaque question a id, question, choices, answer et explanation.",
            )
        choices = tuple(str(c) for c in raw["choices"])
        answer = raw["answer"]
        if not isinstance(answer, int) or not 1 <= answer <= len(choices) or len(choices) < 2:
            raise InputError(
                f"{where} : « answer: {answer} » ne désigne aucun des {len(choices)} choix.",
                f"Mettez le numéro de la bonne réponse, de 1 à {len(choices)}.",
            )
        questions.append(
            Question(
                id=str(raw["id"]),
                question=str(raw["question"]),
                choices=choices,
                answer=answer,
                explanation=str(raw["explanation"]).strip(),
            )
        )
    if not questions:
        raise InputError(
            f"{path.name} ne contient aucune question.", "Ajoutez une liste « questions: »."
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise InputError(
            f"{path.name} : deux questions ont le même id.", "Rendez chaque id unique."
        )
    return Quiz(title=str(data.get("title", "Quiz")), questions=tuple(questions))
