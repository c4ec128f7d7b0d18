"""What a trainer needs to build the survey in each tool: CSV header, question lists, LimeSurvey.

Formats: ``csv`` (header = item codes, for typing answers in a spreadsheet), ``forms`` and
``google`` (a readable question list with the exact titles to paste), ``limesurvey`` (a
tab-separated survey structure to import, .txt).
"""

from __future__ import annotations

from toolkit.errors import InputError
from toolkit.survey.instrument import PHASE_FR, PHASES, Instrument, Item

__all__ = ["FORMATS", "render_template"]

FORMATS = ("csv", "forms", "google", "limesurvey")

_TOOL_TYPES = {
    "forms": {
        "code": "Texte (réponse courte)",
        "choice": "Choix (une seule réponse)",
        "scale": "Choix (une seule réponse)",
        "quiz": "Choix (questionnaire : indiquez la bonne réponse)",
        "number": "Texte, restriction « Nombre »",
    },
    "google": {
        "code": "Réponse courte",
        "choice": "Choix multiples (une seule réponse)",
        "scale": "Choix multiples (une seule réponse)",
        "quiz": "Choix multiples (mode quiz : clé de réponse)",
        "number": "Réponse courte, validation « Nombre »",
    },
}


def _options(item: Item, instrument: Instrument, lang: str = "fr") -> list[tuple[str, str]]:
    if item.type == "scale":
        sc = instrument.scale_of(item)
        values = sorted(sc.labels, reverse=item.scale == "oui_non")
        return [(str(v), sc.labels[v][lang]) for v in values]
    return [(o["value"], o[lang]) for o in item.options]


def _phases(phase: str) -> list[str]:
    if phase == "all":
        return list(PHASES)
    if phase not in PHASES:
        raise InputError(f"Phase « {phase} » inconnue.", "Utilisez pre, post, followup ou all.")
    return [phase]


def _question_list(instrument: Instrument, phase: str, tool: str) -> str:
    name = {"forms": "Microsoft Forms", "google": "Google Forms"}[tool]
    lines = [f"# {instrument.title['fr']}", ""]
    lines.append(
        f"Liste des questions à créer dans {name}. Copiez les intitulés EXACTEMENT (c'est par "
        "eux que l'analyse retrouve les colonnes) ; l'ordre des questions est libre. Ne demandez "
        "ni nom ni adresse e-mail : le code personnel suffit pour apparier les réponses "
        "(réglez le formulaire en « tout le monde peut répondre », sans collecte d'e-mail)."
    )
    lines.append("")
    lines.append("Source de l'échelle de compétences : " + instrument.citation)
    for ph in _phases(phase):
        lines += ["", f"## Questionnaire « {PHASE_FR[ph]} »", ""]
        section = None
        for num, it in enumerate(instrument.items_for(ph), start=1):
            if it.section != section:
                section = it.section
                title = instrument.sections.get(section, {}).get("fr", section)
                lines += [f"### {section}. {title}", ""]
                if tool == "forms" and section in ("D", "E", "G"):
                    lines.append(
                        "(Créez une question « Choix » par affirmation, avec l'affirmation comme "
                        "titre ; le format d'export de la question « Likert » de Forms n'a pas "
                        "été vérifié.)"
                    )
                    lines.append("")
            req = " (obligatoire)" if it.required else ""
            lines.append(f"{num}. [{it.code}] {it.text['fr']}{req}")
            lines.append(f"   Type : {_TOOL_TYPES[tool][it.type]}")
            opts = _options(it, instrument) if it.type in ("scale", "choice", "quiz") else []
            for value, label in opts:
                mark = "  <- bonne réponse" if it.type == "quiz" and value == it.answer else ""
                lines.append(f"   - {label}{mark}")
            if it.type == "number":
                lines.append(f"   Nombre entre {it.min:g} et {it.max:g}.")
            lines.append("")
    return "\n".join(lines)


def _csv_header(instrument: Instrument, phase: str) -> str:
    if phase == "all":
        codes = [it.code for it in instrument.items]
    else:
        codes = [it.code for it in instrument.items_for(_phases(phase)[0])]
    return ";".join(codes) + "\n"


# LimeSurvey tab-separated survey structure (import with "Importer une enquête", .txt).
_LS_COLUMNS = [
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
]
_LS_GROUP_NAMES = {"D": "COMP", "E": "ATT", "G": "REA"}


def _ls_row(**values: str) -> str:
    return "\t".join(
        str(values.get(col.replace("/", "_"), "")).replace("\t", " ").replace("\n", " ")
        for col in _LS_COLUMNS
    )


def _limesurvey(instrument: Instrument, phase: str) -> str:
    ph = _phases(phase)[0] if phase != "all" else "pre"
    rows = ["\t".join(_LS_COLUMNS)]
    rows.append(_ls_row(**{"class": "S", "name": "language", "text": "fr"}))
    rows.append(_ls_row(**{"class": "S", "name": "anonymized", "text": "Y"}))
    rows.append(
        _ls_row(
            **{
                "class": "SL",
                "name": "surveyls_title",
                "text": f"{instrument.title['fr']} ({PHASE_FR[ph]})",
                "language": "fr",
            }
        )
    )
    items = instrument.items_for(ph)
    by_section: dict[str, list[Item]] = {}
    for it in items:
        by_section.setdefault(it.section, []).append(it)
    gid = 0
    for section, its in by_section.items():
        gid += 1
        title = instrument.sections.get(section, {}).get("fr", section)
        rows.append(
            _ls_row(
                **{
                    "class": "G",
                    "type_scale": str(gid),
                    "name": title,
                    "relevance": "1",
                    "language": "fr",
                }
            )
        )
        arrays = [
            it for it in its if it.type == "scale" and it.dimension and section in _LS_GROUP_NAMES
        ]
        for it in its:
            if it in arrays:
                continue
            mandatory = "Y" if it.required else "N"
            if it.type == "code":
                rows.append(
                    _ls_row(
                        **{
                            "class": "Q",
                            "type_scale": "S",
                            "name": it.code,
                            "relevance": "1",
                            "text": it.text["fr"],
                            "language": "fr",
                            "mandatory": mandatory,
                        }
                    )
                )
            elif it.type == "number":
                rows.append(
                    _ls_row(
                        **{
                            "class": "Q",
                            "type_scale": "N",
                            "name": it.code,
                            "relevance": "1",
                            "text": it.text["fr"],
                            "language": "fr",
                            "mandatory": mandatory,
                        }
                    )
                )
            elif it.type == "scale" and it.scale == "oui_non":
                rows.append(
                    _ls_row(
                        **{
                            "class": "Q",
                            "type_scale": "Y",
                            "name": it.code,
                            "relevance": "1",
                            "text": it.text["fr"],
                            "language": "fr",
                            "mandatory": mandatory,
                        }
                    )
                )
            else:
                rows.append(
                    _ls_row(
                        **{
                            "class": "Q",
                            "type_scale": "L",
                            "name": it.code,
                            "relevance": "1",
                            "text": it.text["fr"],
                            "language": "fr",
                            "mandatory": mandatory,
                        }
                    )
                )
                for value, label in _options(it, instrument):
                    code = f"A{value}" if it.type == "scale" else value
                    rows.append(
                        _ls_row(
                            **{
                                "class": "A",
                                "type_scale": "0",
                                "name": code,
                                "text": label,
                                "language": "fr",
                            }
                        )
                    )
        if arrays:
            parent = _LS_GROUP_NAMES[section]
            rows.append(
                _ls_row(
                    **{
                        "class": "Q",
                        "type_scale": "F",
                        "name": parent,
                        "relevance": "1",
                        "text": title,
                        "language": "fr",
                        "mandatory": "N",
                    }
                )
            )
            for it in arrays:
                rows.append(
                    _ls_row(
                        **{
                            "class": "SQ",
                            "type_scale": "0",
                            "name": it.code,
                            "relevance": "1",
                            "text": it.text["fr"],
                            "language": "fr",
                        }
                    )
                )
            scale = instrument.scale_of(arrays[0])
            for number in sorted(scale.labels):
                rows.append(
                    _ls_row(
                        **{
                            "class": "A",
                            "type_scale": "0",
                            "name": f"A{number}",
                            "text": scale.labels[number]["fr"],
                            "language": "fr",
                        }
                    )
                )
    return "\n".join(rows) + "\n"


def render_template(instrument: Instrument, fmt: str, phase: str = "pre") -> str:
    """Text of the template in the requested format (see the module docstring)."""
    if fmt == "csv":
        return _csv_header(instrument, phase)
    if fmt in ("forms", "google"):
        return _question_list(instrument, phase, fmt)
    if fmt == "limesurvey":
        if phase == "all":
            raise InputError(
                "Un fichier LimeSurvey décrit une seule enquête.",
                "Choisissez --phase pre, post ou followup (un fichier par questionnaire).",
            )
        return _limesurvey(instrument, phase)
    raise InputError(f"Format de modèle « {fmt} » inconnu.", f"Formats : {', '.join(FORMATS)}.")
