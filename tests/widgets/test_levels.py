"""The level self-placement warm-up."""

import pytest

from toolkit.errors import InputError
from toolkit.widgets.levels import level_picker


def test_levels_come_from_the_instrument():
    picker = level_picker()
    assert sorted(picker.labels) == [1, 2, 3, 4, 5]
    assert "Utilisateur autonome" in picker.labels[2]


@pytest.mark.parametrize(
    ("level", "words"),
    [(1, "Objectif de la journée\u00a0: le niveau 2"), (2, "déjà au niveau visé"), (4, "au-delà")],
)
def test_feedback_depends_on_the_level(level, words):
    assert words in level_picker().choose(level)


def test_text_fallback_and_bad_level():
    picker = level_picker()
    assert "niveau.choose(2)" in str(picker)
    assert "text/plain" in picker._repr_mimebundle_()
    with pytest.raises(InputError, match="1 à 5"):
        picker.choose(7)
