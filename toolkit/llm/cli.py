"""``atelier ask | doctor | record | lab``: thin wrappers over :mod:`toolkit.llm`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from toolkit.cli import command_parser

LOCALE_SETTING = {"@jupyterlab/translation-extension:plugin": {"locale": "fr_FR"}}


def register(subparsers) -> None:
    p = command_parser(
        subparsers,
        "ask",
        "Pose une question au modèle configuré et affiche la réponse avec son mode.",
        'atelier ask "Rédige un titre pour une offre d\'emploi de comptable"',
    )
    p.add_argument("prompt", help="la question ou la consigne")
    p.add_argument("--system", help="consigne système (rôle)")
    p.add_argument("--model", help="modèle à utiliser (défaut : ATELIER_MODEL)")
    p.add_argument("--temperature", type=float, help="température, de 0 à 2")
    p.add_argument(
        "--image",
        action="append",
        dest="images",
        metavar="FICHIER",
        help="image à joindre (modèle de vision) ; répétable",
    )
    p.add_argument("--no-stream", action="store_true", help="afficher la réponse d'un bloc")
    p.set_defaults(func=_ask)

    p = command_parser(
        subparsers,
        "doctor",
        "Vérifie l'installation : versions, mode, serveur "
        "joignable, modèles, clé (masquée), pack de langue, nbgrader.",
        "atelier doctor",
    )
    p.set_defaults(func=_doctor)

    p = command_parser(
        subparsers,
        "record",
        "Exécute des notebooks en direct et enregistre "
        "chaque réponse pour un atelier hors ligne (ATELIER_MODE=replay).",
        "atelier record notebooks/01-acculturation/*.ipynb",
    )
    p.add_argument("notebooks", nargs="+", type=Path, help="notebooks à exécuter")
    p.add_argument("--timeout", type=int, default=600, help="délai maximal par cellule (s)")
    p.set_defaults(func=_record)

    p = command_parser(
        subparsers,
        "lab",
        "Ouvre le cours dans JupyterLab, en français, sur la page d'accueil.",
        "atelier lab --port 8890",
    )
    p.add_argument("--port", type=int, default=8888, help="port du serveur (défaut : 8888)")
    p.add_argument("--no-browser", action="store_true", help="ne pas ouvrir de navigateur")
    p.add_argument("--ip", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    p.set_defaults(func=_lab)


def _ask(args) -> int:
    from toolkit.llm.client import ask

    stream = not args.no_stream and sys.stdout.isatty()
    answer = ask(
        args.prompt,
        system=args.system,
        model=args.model,
        temperature=args.temperature,
        images=args.images,
        stream=stream,
    )
    if answer.notice:
        print(f"ℹ {answer.notice}", file=sys.stderr)
    for warning in answer.warnings:
        print(f"⚠ {warning}", file=sys.stderr)
    if not stream:
        print(answer.text)
    print(answer.summary())
    return 0


def _doctor(args) -> int:
    from toolkit.llm.status import doctor

    report = doctor()
    print(report)
    return 0 if report.ok else 1


def _record(args) -> int:
    from toolkit.llm.record import record_notebooks

    results = record_notebooks(args.notebooks, timeout=args.timeout)
    for r in results:
        print(r)
    return 0 if all(r.ok for r in results) else 1


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
    from toolkit.curriculum import load

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


def _lab(args) -> int:
    from toolkit.config import settings
    from toolkit.curriculum import find_root

    root = find_root()
    ensure_french_locale()
    s = settings()
    if s.mode == "offline":
        print(
            "Mode hors ligne : aucune clé ni adresse de modèle n'est configurée ; les "
            "réponses seront simulées et étiquetées comme telles. Pour un vrai modèle, "
            "renseignez le fichier .env (voir .env.example)."
        )
    else:
        print(f"Mode {s.mode} ({s.mode_reason}) : modèle {s.model} sur {s.endpoint}.")
    cmd = lab_command(root, args.port, args.ip, args.no_browser)
    # nbgrader's gradebook calls the `alembic` command: the environment's bin must be on PATH
    # even when `.venv/bin/atelier` is run without activating the environment.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    sys.stdout.flush()
    os.chdir(root)
    os.execv(cmd[0], cmd)  # replaces this process: Ctrl+C goes straight to JupyterLab
    return 0  # pragma: no cover
