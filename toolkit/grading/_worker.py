"""Worker process for parallel autograding: nbgrader is imported once, then grades many.

Runs in a child of a ``forkserver`` that preloaded this module. The parent kills the whole
process tree (worker and kernels) when a submission exceeds its time limit.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import warnings
from pathlib import Path

import nbgrader.apps  # noqa: F401 - preloaded once in the forkserver

from toolkit.grading import sandbox
from toolkit.grading.course import Course, make_api
from toolkit.grading.submission import STAGING, prepare_submission

LOCK_RETRIES = 5
#: SQLite errors worth a retry: another worker holds the gradebook for a moment.
TRANSIENT = ("database is locked", "UNIQUE constraint failed")


def autograde_overrides(overrides: dict) -> dict:
    """nbgrader settings of a worker: staged submissions and the sandboxed Execute, whose
    test cells the clean judge decides (:mod:`toolkit.grading.judge`)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from toolkit.grading.execute import GuardedExecute

    steps = [GuardedExecute if p is Execute else p
             for p in Autograde.autograde_preprocessors.default()]
    return {**overrides, "CourseDirectory.submitted_directory": STAGING,
            "Autograde.autograde_preprocessors": steps, "GuardedExecute.judge": True}


def check_nbgrader_schema_once() -> None:
    """Validate nbgrader cell metadata against a schema checked once, not once per cell.

    nbgrader 0.9.6 validates each cell with ``jsonschema.validate``, which first checks
    nbgrader's own, constant schema (about 95 % of the time: 20 ms per notebook pass, three
    passes per submission). In a grading process the check of each distinct schema is done
    once and kept; each cell is validated as before and raises the same ``ValidationError``.
    """
    import types

    import jsonschema
    from jsonschema.exceptions import best_match
    from nbgrader.nbgraderformat import common

    if isinstance(common.jsonschema, types.SimpleNamespace):
        return  # already done in this process
    checked: dict[str, object] = {}

    def validate(instance, schema):  # nbgrader's only call: validate(metadata, its schema)
        key = json.dumps(schema, sort_keys=True)
        if key not in checked:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            checked[key] = kind(schema)
        error = best_match(checked[key].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = types.SimpleNamespace(validate=validate)


def serve(conn, course_root: str, overrides: dict, sandbox_options: dict) -> None:
    """Answer ``(student, assignment)`` tasks on ``conn`` until it receives ``None``."""
    with contextlib.suppress(OSError):
        os.setsid()  # own session: a Ctrl-C in the terminal reaches only the parent
    # Kernels inherit these descriptors: keep their warnings out of the progress bar.
    log_path = Path(course_root) / ".atelier" / "autograde.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab", buffering=0) as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    warnings.simplefilter("ignore")
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    course = Course(Path(course_root))
    sandbox.configure(**sandbox_options)
    check_nbgrader_schema_once()
    api = make_api(course, autograde_overrides(overrides), log_level="ERROR")
    from toolkit.grading.judge import shutdown_server

    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            student, assignment = task
            conn.send(grade_one(api, course, assignment, student))
    finally:  # a multiprocessing worker ends without atexit: stop the judge server here
        shutdown_server()


def grade_one(api, course, assignment: str, student: str) -> dict:
    """Pre-check, then nbgrader autograde, retrying while SQLite says it is busy."""
    start = time.perf_counter()
    reason, notes = prepare_submission(course, student, assignment)
    if reason:
        return {"success": False, "precheck": reason, "notes": notes,
                "duration": time.perf_counter() - start}
    for attempt in range(LOCK_RETRIES):
        result = api.autograde(assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result.get("success") or not any(m in text for m in TRANSIENT):
            break
        time.sleep(0.2 * (attempt + 1))
    return {
        "success": bool(result.get("success")),
        "error": result.get("error") or "",
        "log": (result.get("log") or "")[-20000:],
        "notes": notes,
        "duration": time.perf_counter() - start,
        "lock_retries": attempt,
    }
