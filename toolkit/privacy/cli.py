"""``atelier privacy scan FILE [--mask]``: show trainers what the confidentiality guard finds."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.errors import InputError


def add_privacy(_parser, actions) -> None:
    scan_parser = actions["scan"]
    scan_parser.add_argument(
        "file", metavar="FICHIER", help="fichier texte (UTF-8 ou Windows-1252)"
    )
    scan_parser.add_argument(
        "--mask",
        action="store_true",
        help="afficher aussi le texte masqué et la table des substituts",
    )
    scan_parser.add_argument(
        "--terms",
        metavar="YAML",
        default=None,
        help="fichier de termes internes (défaut : variable ATELIER_PRIVACY_TERMS)",
    )
    scan_parser.add_argument(
        "--no-ner",
        action="store_true",
        help="ne pas charger le modèle de langue (noms repérés seulement par titres et prénoms)",
    )


def _read(path: Path) -> str:
    if not path.exists():
        raise InputError(
            f"Le fichier « {path} » est introuvable.",
            "vérifiez le chemin (ou placez-vous dans le bon dossier), puis relancez "
            f"« atelier privacy scan {path.name} ».",
        )
    if path.is_dir():
        raise InputError(
            f"« {path} » est un dossier, pas un fichier texte.",
            "indiquez un fichier, par exemple « atelier privacy scan dossier/courrier.txt ».",
        )
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(  # pragma: no cover - cp1252 decodes almost anything
        f"Le fichier « {path} » n'est pas un texte lisible (ni UTF-8 ni Windows-1252).",
        "enregistrez-le en texte brut UTF-8 (.txt).",
    )


def _scan(args) -> int:
    from toolkit.fr import pourcentage
    from toolkit.privacy.core import mask, scan
    from toolkit.privacy.findings import describe_counts
    from toolkit.privacy.terms import load_terms

    path = Path(args.file)
    text = _read(path)
    terms = load_terms(args.terms) if args.terms else None
    findings = scan(text, terms=terms, ner=not args.no_ner)
    out = sys.stdout
    if not findings:
        print(f"{path.name} : aucune donnée personnelle ou confidentielle trouvée.", file=out)
    else:
        print(f"{path.name} : {describe_counts(list(findings))}.", file=out)
        for f in findings:
            line = text.count("\n", 0, f.start) + 1
            print(
                f"  ligne {line:>3}  {f.label:<38} « {f.text} »  "
                f"(confiance {pourcentage(f.confidence, 0)}, {f.recognizer})",
                file=out,
            )
    if args.mask:
        masked = mask(text, findings=findings)
        print("\n--- Texte masqué (à envoyer au modèle) ---", file=out)
        print(masked.text, file=out)
        if masked.mapping:
            print("--- Substituts (restent sur cet ordinateur) ---", file=out)
            for placeholder, value in masked.mapping.items():
                print(f"  {placeholder} = {value}", file=out)
    return 0
