"""nbgrader from the repository root (what `make lab` starts): the course lives in exercises/.

JupyterLab's nbgrader extension (formgrader, assignment list, validate) reads this file; it
only loads the course's own configuration, `exercises/nbgrader_config.py`.
"""

c = get_config()  # noqa: F821 (injected by traitlets when it reads this file)
load_subconfig("exercises/nbgrader_config.py")  # noqa: F821 (same)
