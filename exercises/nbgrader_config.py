"""nbgrader configuration of the Atelier IA course: this folder is the course root.

Run nbgrader from this folder, e.g.
``cd exercises && nbgrader generate_assignment 01-anatomie-du-prompt``. Generated folders
(release/, submitted/, autograded/, feedback/, exchange/) and gradebook.db stay here and are
ignored by git.
"""

import contextlib
import os

c = get_config()  # noqa: F821 (injected by traitlets when it reads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "atelier-ia"
c.CourseDirectory.root = HERE
# Settings come from toolkit.config, so a value in the course's .env counts here too.
from toolkit.config import settings  # noqa: E402

_settings = settings()
if _settings.nbgrader_db:  # another gradebook (tests, a shared disk)
    c.CourseDirectory.db_url = "sqlite:///" + os.path.abspath(_settings.nbgrader_db)

# Exchange: a folder inside the course by default, so nbgrader never logs
# "Unwritable directory /usr/local/share/nbgrader/exchange" on a laptop. On a shared hub set
# ATELIER_NBGRADER_EXCHANGE to the hub's exchange (e.g. /srv/nbgrader/exchange).
c.Exchange.root = str(_settings.nbgrader_exchange or os.path.join(HERE, "exchange"))
# Created up front so the formgrader finds it; on a read-only install nbgrader reports the
# folder itself when it needs it.
with contextlib.suppress(OSError):
    os.makedirs(c.Exchange.root, exist_ok=True)

# Execution limits (measured in /work/shared/research/nbgrader-notes.md).
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = True
# nbclient waits 4 s by default for a cell's last outputs; on a loaded machine (a room of
# participants on one hub) a cell that calls the model can exceed it and fail the whole
# notebook, so allow 10 s. A hostile cell is still stopped by the 30 s limit above.
c.Execute.iopub_timeout = 10
c.Execute.shutdown_kernel = "immediate"
c.LimitOutput.max_lines = 1000

# What participants see in place of a solution: a French marker that is valid Python both in
# a function body (after its docstring) and inside a PROMPT string. Defined once, in the
# toolkit's notebook pipeline, so every edition (participant, slides, release) shows the same.
from toolkit.publish.pipeline import CODE_STUB, TEXT_STUB  # noqa: E402

c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB

# Every released notebook ends with the « ✅ Vérifier mon travail » button (the participant's
# check, sandboxed, in French), also for a plain `nbgrader generate_assignment`.
from toolkit.grading.release import FOOTER  # noqa: E402

c.IncludeHeaderFooter.footer = str(FOOTER)
