"""nbgrader in the Atelier IA image (Zero to JupyterHub): /etc/jupyter/nbgrader_config.py."""

import getpass
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "atelier-ia"
c.Exchange.root = os.environ.get("ATELIER_NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
if os.environ.get("ATELIER_ROLE") == "trainer":
    # The trainer's course lives in their home; collect must see every student.
    c.CourseDirectory.root = os.path.expanduser("~/atelier-ia")
else:
    # Every pod runs as jovyan: without this, all submissions would be filed as "jovyan".
    c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = True
c.Execute.shutdown_kernel = "immediate"
c.LimitOutput.max_lines = 1000
