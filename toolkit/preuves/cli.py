"""``atelier preuves ...``: attendance sheets, attestations, AI-literacy register, Qualiopi."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from toolkit.errors import InputError

_DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE_ROSTER = _DATA / "preuves" / "exemple-participants.csv"
SAMPLE_SURVEY = _DATA / "survey"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"« {text} » n'est pas une date AAAA-MM-JJ (par exemple 2026-11-17)") from None


def _common(p, *, pdf: bool = True, roster: str = "one") -> None:
    if roster == "many":
        p.add_argument("--participants", metavar="CSV", action="append", required=True,
                       help="liste des participants (nom;prenom;service;fonction;code;"
                            "identifiant;sessions) ; répétable")
    elif roster == "one":
        p.add_argument("--participants", metavar="CSV",
                       help="liste des participants (nom;prenom;service;fonction;code;"
                            "identifiant;sessions) ; par défaut les comptes du hub")
    p.add_argument("--out", metavar="DOSSIER", default="preuves",
                   help="dossier des fichiers écrits (défaut : %(default)s)")
    if pdf:
        p.add_argument("--no-pdf", action="store_true",
                       help="HTML seulement (sans chromium)")


def _date_option(p, what: str) -> None:
    p.add_argument("--date", type=_day, default=None, metavar="AAAA-MM-JJ",
                   help=f"{what} ; les autres sessions suivent le « day: J+N » de "
                        "curriculum.yml (défaut : aujourd'hui)")


def _grades_option(p) -> None:
    p.add_argument("--grades", action="store_true",
                   help="ajouter les notes des exercices (base nbgrader du cours)")
    p.add_argument("--course", metavar="DOSSIER", default=None,
                   help="dossier du cours nbgrader (par défaut : exercises/)")


def add_preuves(_parser, actions) -> None:

    p = actions["emargement"]
    p.add_argument("session", metavar="SESSION", help="identifiant de session de curriculum.yml")
    _common(p)
    p.add_argument("--date", type=_day, default=None, metavar="AAAA-MM-JJ",
                   help="date de la session (sinon laissée en blanc à remplir)")
    p.add_argument("--debut", default="9:00", metavar="HH:MM",
                   help="heure de début (défaut : %(default)s)")
    p.add_argument("--formateur", metavar="NOM", help="nom du formateur (sinon ATELIER_TRAINER)")

    p = actions["attestations"]
    p.add_argument("--survey", metavar="DOSSIER", default=None,
                   help="dossier des exports du questionnaire avant et après")
    p.add_argument("--exemple", action="store_true",
                   help="utiliser le questionnaire et la liste d'exemple fournis")
    _common(p)
    _date_option(p, "date de la première session")
    _grades_option(p)
    p.add_argument("--formateur", metavar="NOM", help="nom du formateur (sinon ATELIER_TRAINER)")

    p = actions["registre"]
    _common(p, pdf=False, roster="many")
    _date_option(p, "date de la première session")
    p.add_argument("--registre", metavar="FICHIER",
                   help="registre existant (CSV ou Excel) auquel ajouter ces lignes")
    p.add_argument("--anonyme", action="store_true",
                   help="noter la fonction à la place du nom")

    p = actions["qualiopi"]
    p.add_argument("--survey", metavar="DOSSIER", default=None,
                   help="dossier des exports du questionnaire avant et après")
    _common(p, roster="none")
    _grades_option(p)


def _people(path):
    from toolkit.preuves.roster import hub_roster, read_roster

    return read_roster(path) if path else hub_roster()


def _grades(args):
    if not args.grades:
        return None
    from toolkit.grading.export import grades_table

    return grades_table(args.course)


def _show(written) -> int:
    sys.stdout.write(f"{written}\n")
    return 0


def _emargement(args) -> int:
    from toolkit.preuves.documents import write_emargement

    return _show(write_emargement(args.session, _people(args.participants), day=args.date,
                                  start=args.debut, out=args.out, pdf=not args.no_pdf,
                                  trainer=args.formateur))


def _attestations(args) -> int:
    from toolkit.preuves.documents import write_attestations
    from toolkit.preuves.render import french_error

    survey, roster = args.survey, args.participants
    if args.exemple:
        survey, roster = survey or SAMPLE_SURVEY, roster or SAMPLE_ROSTER
    if survey is None:
        raise french_error(InputError, "Il manque le dossier du questionnaire (--survey).",
                         "Donnez le dossier des exports avant et après, ou --exemple pour "
                         "essayer avec les données fournies.")
    return _show(write_attestations(_people(roster), survey, start=args.date or date.today(),
                                    out=args.out, grades=_grades(args), pdf=not args.no_pdf,
                                    trainer=args.formateur))


def _registre(args) -> int:
    from toolkit.preuves.documents import write_registre
    from toolkit.preuves.roster import read_roster

    people = [p for path in args.participants for p in read_roster(path)]
    return _show(write_registre(people, start=args.date or date.today(), out=args.out,
                                merge=args.registre, anonymous=args.anonyme))


def _qualiopi(args) -> int:
    from toolkit.preuves.documents import write_qualiopi

    return _show(write_qualiopi(args.survey, grades=_grades(args), out=args.out,
                                pdf=not args.no_pdf))
