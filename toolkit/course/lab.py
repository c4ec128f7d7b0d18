"""Open the course in JupyterLab on a workspace outside the repository (``atelier lab``).

Two editions: the trainer's (notes, solutions, formgrader and nbgrader's authoring tools) and
the participant's (``--participant``: no trainer cell, no nbgrader control). Both are served
from :mod:`toolkit.course.workspace`, with the JupyterLab settings the course ships
(``toolkit/data/lab/``: French, no news pop-up, the course's kernel started without asking)
written into the workspace's own settings folder, never into the Python environment.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from toolkit.course.workspace import prepare_workspace

__all__ = ["LAB_STATE", "PARTICIPANT_SERVER_OFF", "ensure_french_locale", "exec_lab", "lab_command",
           "lab_settings", "mode_banner", "write_lab_settings"]

#: Inside a workspace: JupyterLab's settings, layouts and page config for this edition.
LAB_STATE = ".atelier/lab"
#: Server extensions of nbgrader a participant never uses (grading and course authoring).
PARTICIPANT_SERVER_OFF = ("nbgrader.server_extensions.formgrader",
                          "nbgrader.server_extensions.course_list")


def _data(name: str) -> dict:
    from importlib.resources import files

    return json.loads((files("toolkit") / "data" / "lab" / name).read_text(encoding="utf-8"))


def ensure_french_locale(prefix: Path | None = None) -> Path:
    """Merge the course's JupyterLab defaults into ``<prefix>/share/jupyter/lab/settings``.

    For environments that serve only this course (the hub, the Docker image): French, no news
    pop-up, the course's kernel. ``atelier lab`` itself never writes there: it gives each
    workspace its own settings folder (:func:`write_lab_settings`).
    """
    folder = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    path = folder / "overrides.json"
    data: dict = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            data = {}
    wanted = _data("overrides.json")
    merged = {**data, **{k: {**data.get(k, {}), **v} for k, v in wanted.items()}}
    if merged != data:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return path


def lab_settings(edition: str) -> dict[str, dict]:
    """The files of ``<workspace>/.atelier/lab/settings/`` for *edition*: name -> JSON."""
    files = {"overrides.json": _data("overrides.json")}
    if edition == "participant":
        files["page_config.json"] = _data("participant-page_config.json")
    return files


def write_lab_settings(workspace: Path, edition: str) -> Path:
    """Write the lab's settings for *edition* into ``<workspace>/.atelier/lab``."""
    state = workspace / LAB_STATE
    settings_dir = state / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    for old in ("page_config.json",):  # a participant page config never leaks into a trainer's
        (settings_dir / old).unlink(missing_ok=True)
    for name, data in lab_settings(edition).items():
        (settings_dir / name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    server: dict[str, dict[str, dict[str, bool]]] = {"ServerApp": {"jpserver_extensions": {}}}
    if edition == "participant":
        server["ServerApp"]["jpserver_extensions"] = dict.fromkeys(PARTICIPANT_SERVER_OFF, False)
    (state / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n",
                                                       encoding="utf-8")
    return state


def lab_command(workspace: Path, port: int, ip: str, no_browser: bool, *,
                home: str = "00-accueil.ipynb") -> list[str]:
    """The JupyterLab command line serving *workspace* (its settings under ``.atelier/lab``)."""
    state = workspace / LAB_STATE
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={workspace}",
        f"--ServerApp.port={port}",
        f"--ServerApp.ip={ip}",
        f"--LabApp.default_url=/lab/tree/{home}",
        f"--LabApp.app_settings_dir={state / 'settings'}",
        f"--LabApp.user_settings_dir={state / 'user-settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--config={state / 'jupyter_server_config.json'}",
    ]
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines often run as root
    return cmd


def mode_banner() -> str:
    """One French line saying which mode the course opens in, and why."""
    from toolkit.config import mode_word, settings

    s = settings()
    if s.mode == "offline":
        return (
            f"Mode {mode_word('offline')} : aucune clé ni adresse de modèle n'est configurée ; "
            "les réponses seront simulées et étiquetées comme telles. Pour un vrai modèle, "
            "renseignez le fichier .env (voir .env.example)."
        )
    return f"Mode {mode_word(s.mode)} ({s.mode_reason}) : modèle {s.model} sur {s.endpoint}."


def exec_lab(port: int = 8888, ip: str = "127.0.0.1", no_browser: bool = False,
             participant: bool = False, extra: list[str] | None = None) -> int:
    """Prepare the workspace of the edition, then replace this process with JupyterLab."""
    from toolkit.config import settings
    from toolkit.course.curriculum import find_root, load
    from toolkit.course.workspace import EDITION_FOLDERS

    root = find_root()
    cur = load(root)
    edition = "participant" if participant else "trainer"
    report = prepare_workspace(edition, cur=cur)
    sys.stdout.write(f"{report}\n")
    write_lab_settings(report.path, edition)
    home = Path(cur.home).name
    cmd = lab_command(report.path, port, ip, no_browser, home=home) + list(extra or [])
    # Kernels run in the workspace: recorded answers stay those of the course.
    os.environ.setdefault("ATELIER_CASSETTES", str(settings().cassette_dir))
    # nbgrader's gradebook calls the `alembic` command: the environment's bin must be on PATH
    # even when `.venv/bin/atelier` is run without activating the environment.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    sys.stdout.write(f"Édition {EDITION_FOLDERS[edition]}\u202f: JupyterLab sert {report.path} "
                     "(le dépôt du cours n'est jamais modifié).\n")
    sys.stdout.flush()
    os.chdir(report.path)
    os.execv(cmd[0], cmd)  # replaces this process: Ctrl+C goes straight to JupyterLab
    return 0  # pragma: no cover
