"""Open the course in JupyterLab: French locale, course root, home notebook (``atelier lab``)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

LOCALE_SETTING = {"@jupyterlab/translation-extension:plugin": {"locale": "fr_FR"}}


def ensure_french_locale(prefix: Path | None = None) -> Path:
    """Make French the default JupyterLab language (``overrides.json`` in the app settings)."""
    folder = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    path = folder / "overrides.json"
    data = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            data = {}
    if data.get("@jupyterlab/translation-extension:plugin", {}).get("locale") != "fr_FR":
        data.update(LOCALE_SETTING)
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def lab_command(root: Path, port: int, ip: str, no_browser: bool) -> list[str]:
    from toolkit.course.curriculum import load

    home = load(root).home
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        f"--ServerApp.ip={ip}",
        f"--LabApp.default_url=/lab/tree/{home}",
    ]
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines often run as root
    return cmd


def mode_banner() -> str:
    """One French line saying which mode the course opens in, and why."""
    from toolkit.config import settings

    s = settings()
    if s.mode == "offline":
        return (
            "Mode hors ligne : aucune clé ni adresse de modèle n'est configurée ; les "
            "réponses seront simulées et étiquetées comme telles. Pour un vrai modèle, "
            "renseignez le fichier .env (voir .env.example)."
        )
    return f"Mode {s.mode} ({s.mode_reason}) : modèle {s.model} sur {s.endpoint}."


def exec_lab(port: int = 8888, ip: str = "127.0.0.1", no_browser: bool = False) -> int:
    """Replace this process with JupyterLab on the course home (French locale set first)."""
    from toolkit.course.curriculum import find_root

    root = find_root()
    ensure_french_locale()
    cmd = lab_command(root, port, ip, no_browser)
    # nbgrader's gradebook calls the `alembic` command: the environment's bin must be on PATH
    # even when `.venv/bin/atelier` is run without activating the environment.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    sys.stdout.flush()
    os.chdir(root)
    os.execv(cmd[0], cmd)  # replaces this process: Ctrl+C goes straight to JupyterLab
    return 0  # pragma: no cover
