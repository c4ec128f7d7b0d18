"""``atelier notebooks | lab``: notebook headers from ``curriculum.yml``; open the course."""

from __future__ import annotations

from toolkit.cli import default_of, report_sync

_LAB = "toolkit.course.lab:exec_lab"


def add_notebooks(_parser, actions) -> None:
    sync = actions["sync"]
    sync.add_argument(
        "--check", action="store_true", help="ne rien écrire ; échouer si un en-tête est périmé"
    )


def add_lab(p) -> None:
    p.add_argument("--participant", action="store_true",
                   help="édition participant\u202f: sans notes d'animateur ni outils de "
                        "correction nbgrader")
    p.add_argument("--port", type=int, default=default_of(_LAB, "port"),
                   help="port du serveur (défaut : %(default)s)")
    p.add_argument("--no-browser", action="store_true", help="ne pas ouvrir de navigateur")
    p.add_argument("--ip", default=default_of(_LAB, "ip"),
                   help="adresse d'écoute (défaut : %(default)s)")
    p.add_argument("jupyter_options", nargs="*", metavar="-- OPTION",
                   help="options passées telles quelles à JupyterLab, après --")


def _sync(args) -> int:
    from toolkit.course.curriculum import sync_headers

    def describe(path: str) -> str:
        if path.endswith("(manquant)"):
            return f"notebook manquant, ignoré : {path.removesuffix(' (manquant)')}"
        return f"mis à jour : {path}"

    return report_sync(sync_headers(check=args.check), args.check,
                       stale="En-têtes périmés ou notebooks manquants",
                       command="atelier notebooks sync", what="en-têtes", describe=describe)


def _lab(args) -> int:
    from toolkit.course.lab import exec_lab, mode_banner

    print(mode_banner())
    return exec_lab(port=args.port, ip=args.ip, no_browser=args.no_browser,
                    participant=args.participant, extra=args.jupyter_options)
