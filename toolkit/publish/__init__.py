"""Publishing the course: slide decks, participant and trainer editions, trainer guide, release.

Everything is built from the notebooks and ``curriculum.yml``; nothing is edited by hand::

    from toolkit.publish import build_slides, build_editions, build_guide, build_release
    build_slides("01-acculturation")      # slides/build/01-acculturation.html (offline)
    build_editions()                      # editions/participant/..., editions/animateur/...
    build_guide()                         # editions/animateur/guide-animateur.html
    build_release(unreleased=True)        # dist/atelier-ia-<version>-unreleased.zip

nbconvert, nbgrader and the survey package are imported only when a build runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

# name -> submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    "EditionsReport": "toolkit.publish.editions",
    "build_editions": "toolkit.publish.editions",
    "GuideReport": "toolkit.publish.guide",
    "build_guide": "toolkit.publish.guide",
    "ReleaseRefused": "toolkit.publish.release",
    "ReleaseReport": "toolkit.publish.release",
    "build_release": "toolkit.publish.release",
    "DeckReport": "toolkit.publish.slides",
    "build_deck": "toolkit.publish.slides",
    "build_slides": "toolkit.publish.slides",
}

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.publish.editions import EditionsReport, build_editions
    from toolkit.publish.guide import GuideReport, build_guide
    from toolkit.publish.release import ReleaseRefused, ReleaseReport, build_release
    from toolkit.publish.slides import DeckReport, build_deck, build_slides

__all__ = [
    "DeckReport",
    "EditionsReport",
    "GuideReport",
    "ReleaseRefused",
    "ReleaseReport",
    "build_deck",
    "build_editions",
    "build_guide",
    "build_release",
    "build_slides",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
