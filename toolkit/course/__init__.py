"""The course itself: the ``curriculum.yml`` manifest, the room's shared folder, the lab launcher.

Submodules load on first use (``toolkit.course.curriculum``, ``toolkit.course.sharedfolder``,
``toolkit.course.lab``); importing this package imports nothing else.
"""

# Submodules only: nothing is re-exported here (import them by name).
__all__: list[str] = []
