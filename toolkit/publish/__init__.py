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

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.publish.editions import EditionsReport as EditionsReport
    from toolkit.publish.editions import build_editions as build_editions
    from toolkit.publish.exercises import sync_exercises as sync_exercises
    from toolkit.publish.guide import GuideReport as GuideReport
    from toolkit.publish.guide import build_guide as build_guide
    from toolkit.publish.pipeline import build_edition as build_edition
    from toolkit.publish.pipeline import participant_edition as participant_edition
    from toolkit.publish.release import ReleaseRefused as ReleaseRefused
    from toolkit.publish.release import ReleaseReport as ReleaseReport
    from toolkit.publish.release import build_release as build_release
    from toolkit.publish.slides import DeckReport as DeckReport
    from toolkit.publish.slides import build_deck as build_deck
    from toolkit.publish.slides import build_slides as build_slides

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.publish.editions": ("EditionsReport", "build_editions"),
    "toolkit.publish.guide": ("GuideReport", "build_guide"),
    "toolkit.publish.release": ("ReleaseRefused", "ReleaseReport", "build_release"),
    "toolkit.publish.slides": ("DeckReport", "build_deck", "build_slides"),
    "toolkit.publish.pipeline": ("build_edition", "participant_edition"),
    "toolkit.publish.exercises": ("sync_exercises",),
})
