"""Per-person evaluation results (levels, quiz) from the survey exports, matched by roster code.

The survey is pseudonymous: a person is found only through the code the roster gives for
them, never listed by code.  The scores come from the survey analyser's own functions
(:func:`toolkit.survey.analysis.deduplicate` and :func:`~toolkit.survey.analysis.score_table`),
so an attestation always shows the level the survey report counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError
from toolkit.preuves.render import french_error
from toolkit.preuves.roster import Person

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.survey.instrument import Instrument
    from toolkit.survey.loaders import LoadedSurvey

__all__ = ["Evaluation", "SurveyResults", "find_exports", "load_survey"]

_PRE_WORDS = ("avant", "pre", "debut", "depart", "before")
_POST_WORDS = ("apres", "post", "fin", "after")
_FOLLOWUP_WORDS = ("suivi", "followup", "j30", "j60")
_SUFFIXES = (".xlsx", ".xls", ".csv", ".tsv", ".txt", ".json")


@dataclass(frozen=True)
class Evaluation:
    """What the survey says about one person (``None`` fields: that part was not answered)."""

    level_pre: int | None = None
    level_post: int | None = None
    quiz_pre: float | None = None
    quiz_post: float | None = None
    quiz_max: int = 0

    @property
    def taken(self) -> bool:
        return self.level_pre is not None or self.level_post is not None

    @property
    def complete(self) -> bool:
        return self.level_pre is not None and self.level_post is not None


@dataclass
class SurveyResults:
    """Scores of both questionnaires, indexed by the participants' normalised codes."""

    pre: pd.DataFrame  # indexed by code (score_table)
    post: pd.DataFrame
    quiz_max: int
    files: tuple[Path, Path]
    instrument: Instrument
    pre_loaded: LoadedSurvey | None = None
    post_loaded: LoadedSurvey | None = None

    def evaluation(self, code: str) -> Evaluation:
        def get(frame, column):
            if not code or code not in frame.index or column not in frame:
                return None
            value = frame.at[code, column]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return None
            return float(value)

        lp, lq = get(self.pre, "level"), get(self.post, "level")
        return Evaluation(
            level_pre=None if lp is None else int(lp),
            level_post=None if lq is None else int(lq),
            quiz_pre=get(self.pre, "QUIZ"),
            quiz_post=get(self.post, "QUIZ"),
            quiz_max=self.quiz_max,
        )

    def knows(self, code: str) -> bool:
        return code in self.pre.index or code in self.post.index

    def check_roster(self, people: list[Person]) -> None:
        """A roster code found in neither questionnaire is a typo: a French error naming the row."""
        for person in people:
            if person.code and not self.knows(person.code):
                raise french_error(InputError,
                    f"{person.where().capitalize()} ({person.name}) : le code « {person.code} » "
                    f"ne figure ni dans {self.files[0].name} ni dans {self.files[1].name}.",
                    "Recopiez le code exactement comme la personne l'a saisi dans le "
                    "questionnaire ; si elle n'y a pas répondu, videz la cellule (son "
                    "attestation dira qu'elle n'a pas passé l'évaluation).",
                )


def _words(path: Path) -> set[str]:
    """The words of a file name, without accents: « Export-Après_2026 » → export, apres, 2026."""
    import re

    from toolkit.survey._text import strip_accents

    return set(re.split(r"[^a-z0-9]+", strip_accents(path.stem).lower())) - {""}


def find_exports(folder: str | Path) -> tuple[Path, Path]:
    """The before and after exports in *folder*, told apart by their names."""
    folder = Path(folder)
    if not folder.is_dir():
        raise french_error(InputError, f"Le dossier du questionnaire {folder} est introuvable.",
                         "Donnez à --survey le dossier qui contient les exports avant et après.")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES)
    files = [p for p in files if not _words(p) & set(_FOLLOWUP_WORDS)]
    pre = [p for p in files if _words(p) & set(_PRE_WORDS)]
    post = [p for p in files if _words(p) & set(_POST_WORDS) and p not in pre]
    if len(pre) != 1 or len(post) != 1:
        found = ", ".join(p.name for p in files) or "aucun fichier de réponses"
        raise french_error(InputError,
            f"Dans {folder}, impossible de reconnaître un seul export « avant » et un seul "
            f"export « après » (trouvé : {found}).",
            "Nommez les exports par exemple « avant.xlsx » et « apres.xlsx ».",
        )
    return pre[0], post[0]


def load_survey(folder: str | Path, instrument=None) -> SurveyResults:
    """Load and score the before/after exports of *folder* with the survey analyser."""
    from toolkit.survey.analysis import deduplicate, score_table
    from toolkit.survey.instrument import load_instrument
    from toolkit.survey.loaders import load_export

    instrument = instrument or load_instrument()
    pre_path, post_path = find_exports(folder)
    pre_l = load_export(pre_path, "pre", instrument)
    post_l = load_export(post_path, "post", instrument)
    pre_d, _ = deduplicate(pre_l.data, pre_path.name, "pre")
    post_d, _ = deduplicate(post_l.data, post_path.name, "post")
    return SurveyResults(
        pre=score_table(pre_d, instrument, "pre"),
        post=score_table(post_d, instrument, "post"),
        quiz_max=len(instrument.quiz_items()),
        files=(pre_path, post_path),
        instrument=instrument,
        pre_loaded=pre_l,
        post_loaded=post_l,
    )
