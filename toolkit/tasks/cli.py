"""``atelier tasks``: the Automato plan of a task inventory (CSV) from the command line."""

from __future__ import annotations

import sys

from toolkit.cli import default_of

_PLAN = "toolkit.tasks.automato:plan"
_MAP = "toolkit.tasks.mindmap:mind_map"


def add_tasks(_parser, actions) -> None:
    cmd = actions["plan"]
    cmd.add_argument("inventaire", help="fichier CSV (colonnes tache, importance, ennui...)")
    cmd.add_argument("--cout-horaire", type=float, default=default_of(_PLAN, "cout_horaire"),
                     help="coût d'une heure (défaut : %(default)s)")
    cmd.add_argument("--devise", default=default_of(_PLAN, "devise"),
                     help="devise affichée (défaut : %(default)s)")
    cmd.add_argument("--csv", help="écrire le plan dans ce fichier CSV")
    cmd.add_argument("--markdown", help="écrire le plan dans ce fichier Markdown")
    cmd.add_argument("--figure", help="écrire la matrice dans ce fichier image (PNG ou SVG)")
    carte = actions["carte"]
    carte.add_argument("--dossier", help="dossier partagé (par défaut : ATELIER_SHARED_DIR)")
    carte.add_argument("--sortie", default=default_of("toolkit.tasks.mindmap:MindMap.save",
                                                      "folder"),
                       help="dossier où écrire les images (défaut : %(default)s)")
    carte.add_argument("--par", choices=["theme", "service"], default=default_of(_MAP, "by"),
                       help="branches par thème ou par service (défaut : %(default)s)")
    carte.add_argument("--titre", default=default_of(_MAP, "title"),
                       help="texte du centre (défaut : %(default)s)")
    carte.add_argument("--exemple", action="store_true",
                       help="ajouter les réponses d'exemple livrées avec le cours")


def _plan(args) -> int:
    from toolkit.tasks.automato import matrix_figure, plan

    result = plan(args.inventaire, cout_horaire=args.cout_horaire, devise=args.devise)
    _say(result)
    if args.csv:
        _say(f"Plan CSV écrit : {result.to_csv(args.csv)}")
    if args.markdown:
        result.to_markdown(args.markdown)
        _say(f"Plan Markdown écrit : {args.markdown}")
    if args.figure:
        import matplotlib

        matplotlib.use("Agg")
        matrix_figure(result.analysis).savefig(args.figure, dpi=150, bbox_inches="tight")
        _say(f"Matrice écrite : {args.figure}")
    return 0


def _carte(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from toolkit import tasks
    from toolkit.course.sharedfolder import read_records

    sample = tasks.data_path("top3-exemple.csv") if args.exemple else None
    records = read_records("top3", args.dossier, sample=sample)
    result = tasks.mind_map(records, by=args.par, title=args.titre)
    for path in result.save(args.sortie, stem=f"carte-top3-par-{args.par}"):
        _say(f"Carte écrite : {path}")
    _say(result)
    return 0


def _say(text) -> None:
    sys.stdout.write(f"{text}\n")
