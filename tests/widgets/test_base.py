"""What every widget shares: its text/widget bundle, and the short messages it shows."""

from __future__ import annotations

import pytest

from toolkit.widgets._base import Message, ShowsWidget


@pytest.mark.parametrize(("kind", "html"), [
    ("info", "<div style='color:#555'>Deux&lt;br&gt;<br>lignes</div>"),
    ("error", "<div style='color:#cf222e'>Deux&lt;br&gt;<br>lignes</div>"),
    ("note", "<p><i>Deux&lt;br&gt;<br>lignes</i></p>"),
])
def test_message_is_escaped_and_its_text_alone_in_a_terminal(kind, html):
    from IPython.lib.pretty import pretty

    message = Message("Deux<br>\nlignes", kind=kind)
    assert message._repr_html_() == html
    assert str(message) == pretty(message) == "Deux<br>\nlignes"


def test_a_widget_without_ipywidgets_still_shows_its_text():
    class Broken(ShowsWidget):
        def __str__(self) -> str:
            return "texte de secours"

        def widget(self):
            raise ImportError("ipywidgets")

    assert Broken()._repr_mimebundle_() == {"text/plain": "texte de secours"}


def test_every_course_widget_shows_through_the_mixin():
    from toolkit.demos.ngram import TemperatureExplorer
    from toolkit.widgets import levels, playground, quiz, scoreboard, session2

    widgets = [TemperatureExplorer, levels.LevelPicker, playground.Playground, quiz.Quiz,
               scoreboard.DefiGame, session2.RoundTableForm, session2.Top3Form,
               session2.CodeReview, session2.InventoryForm, session2.AssistantForm]
    for cls in widgets:
        assert issubclass(cls, ShowsWidget), cls
        assert "_repr_mimebundle_" not in vars(cls), cls
