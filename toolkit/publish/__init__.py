"""Publishing the course: slide decks, participant and trainer editions, trainer guide, release.

Everything is built from the notebooks and ``curriculum.yml``; nothing is edited by hand::

    from toolkit.publish import build_slides, build_editions, build_guide, build_release
    build_slides("01-acculturation")      # slides/build/01-acculturation.html (offline)
    build_editions()                      # editions/participant/..., editions/animateur/...
    build_guide()                         # editions/animateur/guide-animateur.html
    build_release(unreleased=True)        # dist/atelier-ia-<version>-unreleased.zip
    build_edition(nb, "participant")      # one notebook, through the one pipeline
    sync_exercises(check=True)            # exercises/source/ is current with exercises/text/

nbconvert, nbgrader and the survey package are imported only when a build runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import by_module, lazy_exports

# submodule -> the names it exports, imported on first use (PEP 562).
_LAZY = by_module({
    "toolkit.publish.editions": ("EditionsReport", "build_editions"),
    "toolkit.publish.guide": ("GuideReport", "build_guide"),
    "toolkit.publish.release": ("ReleaseRefused", "ReleaseReport", "build_release"),
    "toolkit.publish.slides": ("DeckReport", "build_deck", "build_slides"),
    "toolkit.publish.pipeline": ("build_edition", "participant_edition"),
    "toolkit.publish.exercises": ("sync_exercises",),
})

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.publish.editions import EditionsReport, build_editions
    from toolkit.publish.exercises import sync_exercises
    from toolkit.publish.guide import GuideReport, build_guide
    from toolkit.publish.pipeline import build_edition, participant_edition
    from toolkit.publish.release import ReleaseRefused, ReleaseReport, build_release
    from toolkit.publish.slides import DeckReport, build_deck, build_slides

__all__ = [
    "DeckReport",
    "EditionsReport",
    "GuideReport",
    "ReleaseRefused",
    "ReleaseReport",
    "build_deck",
    "build_edition",
    "build_editions",
    "build_guide",
    "build_release",
    "build_slides",
    "participant_edition",
    "sync_exercises",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
