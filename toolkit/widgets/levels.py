"""« Où en êtes-vous ? »: a self-placement on the five levels, at the start of session 1.

The level texts come from the survey instrument (``toolkit/data/survey/instrument.yml``), so
the warm-up and the questionnaire describe the levels in the same words. Nothing is stored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from toolkit.fr import typographie
from toolkit.widgets._base import ShowsWidget, fitted

__all__ = ["LevelPicker", "level_picker"]

TARGET = 2


def _labels() -> dict[int, str]:
    from toolkit.survey.instrument import load_instrument

    return {k: v["fr"] for k, v in load_instrument().scales["niveau"].labels.items()}


def _parts(label: str) -> list[str]:
    """« Niveau 2 : utilisateur autonome » as its name and description, whatever the space."""
    return [typographie(p) for p in re.split(r"[ \u00a0\u202f]:\s", label, maxsplit=1)]


@dataclass
class LevelPicker(ShowsWidget):
    """Buttons 1 to 5; the chosen level's description and what level 2 asks for."""

    labels: dict[int, str] = field(default_factory=_labels)
    value: int | None = None

    def choose(self, level: int) -> str:
        """Pick a level (what the buttons do); returns the French feedback."""
        if level not in self.labels:
            from toolkit.errors import InputError

            raise InputError(f"Le niveau {level} n'existe pas.", "Choisissez un niveau de 1 à 5.")
        self.value = level
        return self.feedback()

    def feedback(self) -> str:
        if self.value is None:
            return "Choisissez le niveau qui vous décrit le mieux aujourd'hui."
        text = typographie(self.labels[self.value])
        if self.value < TARGET:
            goal = (
                "Objectif de la journée : le niveau 2. "
                + _parts(self.labels[TARGET])[-1]
                + "."
            )
        elif self.value == TARGET:
            goal = "Vous êtes déjà au niveau visé : la journée vous aidera à le consolider."
        else:
            goal = "Vous êtes au-delà du niveau visé : aidez vos voisins, et partagez vos usages."
        return f"{text}\n{goal}"

    def __str__(self) -> str:
        lines = ["Où en êtes-vous avec l'IA générative ?"]
        lines += [f"  {k}. {_parts(v)[-1]}" for k, v in self.labels.items()]
        lines.append("Pour choisir sans widget : niveau.choose(2)")
        return "\n".join(lines)

    def widget(self):
        import ipywidgets as w

        buttons = fitted(w.ToggleButtons(
            options=[(str(k), k) for k in self.labels],
            value=None,
            description="Mon niveau :",
            tooltips=[_parts(v)[0] for v in self.labels.values()],
        ))
        out = w.HTML(f"<p>{html.escape(self.feedback())}</p>")

        def changed(change):
            self.choose(change["new"])
            out.value = "<p>" + html.escape(self.feedback()).replace("\n", "<br/>") + "</p>"

        buttons.observe(changed, names="value")
        return w.VBox([buttons, out])


def level_picker() -> LevelPicker:
    """The self-placement widget (levels described as in the questionnaire)."""
    return LevelPicker()
