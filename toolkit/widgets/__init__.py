"""ipywidgets used by the course notebooks (each widget also has a plain-text form)."""
