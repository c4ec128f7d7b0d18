"""``atelier survey ...``: print the instrument, produce survey templates, analyse exports."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.errors import InputError


def add_survey(_parser, actions) -> None:
    from toolkit.cli import default_of

    p = actions["instrument"]
    p.add_argument(
        "--format", choices=["json", "text"], default="text", help="json ou texte (défaut)"
    )
    _instrument_option(p)

    p = actions["template"]
    p.add_argument(
        "--format",
        choices=["csv", "forms", "google", "limesurvey"],
        default="forms",
        help="csv (en-tête des codes), forms, google (liste des questions), "
        "limesurvey (.txt à importer)",
    )
    p.add_argument(
        "--phase",
        choices=["pre", "post", "followup", "all"],
        default=default_of("toolkit.survey.templates:render_template", "phase"),
        help="questionnaire avant (pre), après (post), suivi J+30 (followup) ou tous (all)",
    )
    p.add_argument("--out", metavar="FICHIER", help="fichier à écrire (sinon affichage)")
    _instrument_option(p)

    p = actions["analyse"]
    p.add_argument("pre", nargs="?", help="export des réponses avant la formation")
    p.add_argument("post", nargs="?", help="export des réponses après la formation")
    p.add_argument("--followup", metavar="FICHIER", help="export du suivi à J+30")
    p.add_argument("--out", metavar="DOSSIER", required=True, help="dossier des résultats")
    p.add_argument("--sample", action="store_true", help="utiliser les données d'exemple fournies")
    p.add_argument(
        "--salt",
        help="sel des pseudonymes (par défaut : aléatoire à chaque analyse ; "
        "ou variable ATELIER_SURVEY_SALT)",
    )
    p.add_argument(
        "--likert", metavar="FICHIER", help="YAML de libellés de réponse supplémentaires"
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="EN-TÊTE=CODE",
        help="correspondance d'une colonne à une question (répétable)",
    )
    p.add_argument("--sheet", help="feuille à lire dans un classeur à plusieurs feuilles")
    p.add_argument(
        "--min-group",
        type=int,
        default=default_of("toolkit.survey.analysis:analyse_files", "min_group"),
        help="taille minimale d'un groupe affiché (défaut : %(default)s)",
    )
    _instrument_option(p)


def _load(args):
    from toolkit.survey.instrument import load_instrument

    return load_instrument(args.instrument) if args.instrument else load_instrument()


def _instrument_option(parser) -> None:
    parser.add_argument("--instrument", metavar="FICHIER", help="autre questionnaire YAML")


def _instrument(args) -> int:
    inst = _load(args)
    if args.format == "json":
        print(inst.to_json())
        return 0
    print(inst)
    for it in inst.items:
        phases = ",".join(it.phases)
        print(f"  {it.code:9} [{it.type}/{it.scale or '-'}] ({phases}) {it.text['fr']}")
    return 0


def _template(args) -> int:
    from toolkit.survey.templates import render_template

    text = render_template(_load(args), args.format, args.phase)
    if args.out:
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        Path(args.out).write_text(text, encoding=encoding)
        print(f"Modèle écrit : {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _analyse(args) -> int:
    from toolkit.survey.analysis import analyse_files
    from toolkit.survey.report import write_report

    inst = _load(args)
    if args.sample:
        from toolkit.survey.sample import sample_paths

        paths = sample_paths()
        pre, post, followup = paths["pre"], paths["post"], args.followup or paths["followup"]
    else:
        if not args.pre or not args.post:
            raise InputError(
                "Il faut deux fichiers : les réponses d'avant puis celles d'après la formation.",
                "Exemple : atelier survey analyse avant.xlsx apres.xlsx --out resultats/ "
                "(ou --sample pour essayer avec les données d'exemple).",
            )
        pre, post, followup = args.pre, args.post, args.followup
    likert = _read_likert(args.likert) if args.likert else None
    column_map = {}
    for spec in args.map:
        if "=" not in spec:
            raise InputError(
                f"Correspondance « {spec} » mal écrite.", 'Écrivez --map "En-tête=CODE".'
            )
        header, code = spec.rsplit("=", 1)
        column_map[header.strip()] = code.strip()
    result = analyse_files(
        pre,
        post,
        followup,
        instrument=inst,
        likert=likert,
        column_map=column_map or None,
        sheet=args.sheet,
        salt=args.salt,
        min_group=args.min_group,
    )
    paths = write_report(result, args.out)
    print(result)
    print(f"\nRapport : {paths['report']}")
    print(f"Résumé : {paths['summary']} ; tables CSV dans {Path(args.out)}")
    return 0


def _read_likert(path: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"Dictionnaire de réponses introuvable : {path}.", "Vérifiez le chemin."
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(
            f"Le dictionnaire {path} n'est pas un YAML valide ({exc}).",
            "Écrivez une ligne par libellé : « Plutôt oui: 4 ».",
        ) from exc
    if not isinstance(data, dict):
        raise InputError(
            f"Le dictionnaire {path} doit associer des libellés à des nombres.",
            "Exemple de contenu : « Plutôt oui: 4 » (une ligne par libellé).",
        )
    return data
