"""ipywidgets used by the course notebooks (each widget also has a plain-text form)."""

# Submodules only: nothing is re-exported here (import them by name).
__all__: list[str] = []
