"""The ``atelier`` command: a thin layer over the toolkit's Python API.

:data:`COMMANDS` declares every command and every action, with its help, its example and the
function it runs; the ``cli.py`` module of the subpackage behind each command holds those
functions and adds their options (``add_<name>``), and is imported only when that command
runs.  This module assembles them, parses arguments and turns
:class:`toolkit.errors.AtelierError` into a short French message and exit status 1.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from toolkit._version import __version__
from toolkit.errors import AtelierError


class Action(NamedTuple):
    """One action of a command (``atelier survey analyse``): its help, example and function.

    *run* names the function of the command's module that the action runs (``args.func``).
    An action made of actions (``atelier hub users add``) lists them in *actions*, runs
    nothing itself (*run* empty) and, given none of them, shows its help.
    """

    name: str
    run: str
    help: str
    example: str
    actions: tuple[Action, ...] = ()


class Command(NamedTuple):
    """One ``atelier`` command: what ``atelier --help`` lists, and where the rest lives.

    A plain command runs *module*'s function *run*; a command made of *actions* runs theirs.
    Given no action, it shows its help (*given_none* ``"help"``), runs the action so named,
    or, with ``"required"``, is refused by argparse, which names the actions.  *module*'s
    ``add_<name>`` function, when there is one, adds the options: ``add_<name>(parser)`` for
    a plain command, ``add_<name>(parser, actions)`` with the parser of each action by its
    name (``"users add"`` for a nested one).  Only the command being run is filled in, so
    ``atelier X`` imports ``X``'s module alone and ``atelier --help`` none.
    """

    name: str
    module: str
    help: str
    example: str
    run: str = ""
    actions: tuple[Action, ...] = ()
    given_none: str = "help"


#: Every command and its actions, in the order of ``atelier --help``.
COMMANDS = (
    Command("ask", "toolkit.llm.cli",
            "Pose une question au modèle configuré et affiche la réponse avec son mode.",
            'atelier ask "Rédige un titre pour une offre d\'emploi de comptable"', run="_ask"),
    Command("doctor", "toolkit.llm.cli",
            "Vérifie l'installation\u00a0: versions, mode, serveur joignable, modèles, clé "
            "(masquée), pack de langue, nbgrader.", "atelier doctor", run="_doctor"),
    Command("record", "toolkit.llm.cli",
            "Exécute des notebooks en direct et enregistre chaque réponse pour un atelier hors "
            "ligne (ATELIER_MODE=replay).", "atelier record notebooks/01-acculturation/*.ipynb",
            run="_record"),
    Command("model", "toolkit.models.cli",
            "Sert un modèle de langage sur cet ordinateur (serveur llama.cpp)\u00a0: rien ne le "
            "quitte.", "atelier model serve", actions=(
                Action("serve", "_serve",
                       "Démarre le serveur en arrière-plan sur 127.0.0.1 (par défaut le modèle "
                       "intégré SmolLM2-135M-Instruct) et l'inscrit comme point d'accès local "
                       "dans .env.",
                       "atelier model serve --model models/qwen2.5-3b-instruct-q4_k_m.gguf "
                       "--port 8091"),
                Action("status", "_status", "Adresse, modèle, durée et mémoire du serveur local.",
                       "atelier model status"),
                Action("stop", "_stop", "Arrête le serveur local.", "atelier model stop"),
                Action("list", "_list",
                       "Modèles disponibles\u00a0: le modèle intégré et les fichiers GGUF du "
                       "dossier models/.",
                       "atelier model list"),
                Action("add", "_add",
                       "Copie un fichier GGUF dans le dossier models/ du cours, ou le télécharge "
                       "(barre de progression, reprise, vérification SHA-256).",
                       "atelier model add https://exemple.org/qwen2.5-3b-instruct-q4_k_m.gguf "
                       "--sha256 3f2a…"),
            )),
    Command("profile", "toolkit.models.cli",
            "Profils de connexion\u00a0: écrit dans .env les lignes d'un serveur (local, ollama, "
            "vllm, lm-studio, albert, litellm, azure, openai), sans toucher aux autres ni aux "
            "clés.", "atelier profile use albert", given_none="list", actions=(
                Action("list", "_profile_list", "Liste les profils.", "atelier profile list"),
                Action("use", "_profile_use", "Écrit le profil dans le fichier .env du cours.",
                       "atelier profile use ollama --model mistral-small"),
            )),
    Command("notebooks", "toolkit.course.cli",
            "Régénère l'en-tête des notebooks depuis curriculum.yml.",
            "atelier notebooks sync --check", given_none="required", actions=(
                Action("sync", "_sync",
                       "Réécrit l'en-tête (titre, version, durée, objectifs, niveau) de chaque "
                       "notebook.",
                       "atelier notebooks sync"),
            )),
    Command("lab", "toolkit.course.cli",
            "Ouvre le cours dans JupyterLab, en français, sur la page d'accueil, dans un espace "
            "de travail hors du dépôt (ATELIER_LAB_DIR, par défaut ~/atelier-ia/<version>/)"
            "\u00a0: édition animateur par défaut, édition participant avec --participant.",
            "atelier lab --participant --port 8890", run="_lab"),
    Command("prompt", "toolkit.prompts.cli",
            "Outils pour les prompts (analyse selon le cadre rôle, contexte, tâche…).",
            'atelier prompt analyse "Tu es juriste. Résume ce contrat en 5 puces."', actions=(
                Action("analyse", "_analyse",
                       "Analyser un prompt\u00a0: composantes présentes, score sur 100 et "
                       "conseils.",
                       "atelier prompt analyse --file mon_prompt.txt"),
            )),
    Command("grade", "toolkit.grading.cli",
            "Corriger les exercices (nbgrader)\u00a0: distribuer, collecter, noter, exporter.",
            "atelier grade autograde", actions=(
                Action("release", "_release",
                       "Générer les versions participant (sans solutions ni tests cachés)\u202f; "
                       "tous les exercices si aucun n'est donné.",
                       "atelier grade release 01-anatomie-du-prompt"),
                Action("collect", "_collect",
                       "Importer les rendus d'un dossier ou d'un zip (LMS, Teams, courriel) dans "
                       "submitted/\u202f; liste ce qui n'a pas pu être placé. Noms "
                       "reconnus\u00a0: PARTICIPANT/EXERCICE/*.ipynb, "
                       "PARTICIPANT/EXERCICE.ipynb, EXERCICE/PARTICIPANT.ipynb, «\u202fEXERCICE "
                       "- Prénom Nom.ipynb\u202f», «\u202fnom_prenom_EXERCICE.ipynb\u202f», "
                       "export Moodle\u202f; en cas de doublon, le plus récent l'emporte.",
                       "atelier grade collect ~/Téléchargements/rendus.zip"),
                Action("autograde", "_autograde",
                       "Corriger automatiquement tous les rendus, en parallèle\u202f; chaque "
                       "rendu finit corrigé ou signalé avec la raison.",
                       "atelier grade autograde --workers 4 --cell-timeout 30"),
                Action("feedback", "_feedback",
                       "Produire les retours HTML des participants, sans jamais montrer les "
                       "tests cachés.",
                       "atelier grade feedback 01-anatomie-du-prompt"),
                Action("export", "_export",
                       "Exporter les notes en CSV et Excel, par exercice et au total, rendus "
                       "signalés compris.",
                       "atelier grade export --output notes_session1.xlsx"),
                Action("validate", "_validate",
                       "Vérifier un notebook avant de le rendre (tests visibles, hors ligne).",
                       "atelier grade validate 01-anatomie-du-prompt.ipynb"),
                Action("check", "_validate",
                       "✅ Vérifier mon travail\u00a0: exécuter le notebook isolé, avec le "
                       "validateur de nbgrader, et dire en français ce qui reste à faire.",
                       "atelier grade check 01-anatomie-du-prompt.ipynb"),
            )),
    Command("survey", "toolkit.survey.cli",
            "Enquête avant/après\u00a0: questionnaire, modèles, analyse de la progression.",
            "atelier survey analyse avant.xlsx apres.xlsx --out resultats/", actions=(
                Action("instrument", "_instrument",
                       "Afficher le questionnaire (questions, échelles, règles de niveau).",
                       "atelier survey instrument --format json > questionnaire.json"),
                Action("template", "_template",
                       "Produire de quoi créer l'enquête dans Forms, Google Forms, LimeSurvey ou "
                       "un tableur.",
                       "atelier survey template --format limesurvey --phase pre --out "
                       "enquete-avant.txt"),
                Action("analyse", "_analyse",
                       "Analyser les réponses avant/après et écrire le rapport HTML.",
                       "atelier survey analyse avant.xlsx apres.csv --followup suivi.csv --out "
                       "resultats/"),
            )),
    Command("privacy", "toolkit.privacy.cli",
            "Repérer et masquer les données personnelles ou confidentielles d'un texte.",
            "atelier privacy scan courrier.txt --mask", actions=(
                Action("scan", "_scan",
                       "Lister les données personnelles et confidentielles trouvées dans un "
                       "fichier texte.",
                       "atelier privacy scan note-rh.txt --mask"),
            )),
    Command("tasks", "toolkit.tasks.cli",
            "Méthode Automato\u00a0: matrice importance × pénibilité, aptitude, ROI et plan.",
            "atelier tasks plan inventaire.csv --markdown plan.md --csv plan.csv",
            given_none="required", actions=(
                Action("plan", "_plan",
                       "Lit un inventaire de tâches (CSV) et affiche ou exporte le plan "
                       "Automato.",
                       "atelier tasks plan inventaire.csv --cout-horaire 70 --markdown plan.md"),
                Action("carte", "_carte",
                       "Dessine la carte mentale des top 3 déposés dans le dossier partagé (PNG "
                       "et SVG).",
                       "atelier tasks carte --sortie cartes --par service"),
            )),
    Command("assistants", "toolkit.assistants.cli",
            "Bibliothèque d'assistants métier (prompt système, exemples, vérifications).",
            "atelier assistants list", given_none="required", actions=(
                Action("list", "_list", "Liste les assistants et leurs versions.",
                       "atelier assistants list"),
                Action("show", "_show", "Affiche un assistant (prompt, champs, vérifications).",
                       "atelier assistants show redacteur-annonce-emploi --version 1"),
                Action("run", "_run",
                       "Lance un assistant sur des entrées (champ=valeur) et vérifie la réponse.",
                       'atelier assistants run post-linkedin --champ nouvelle="Ouverture du '
                       'guichet en ligne"'),
                Action("check", "_check",
                       "Vérifie un fichier d'assistant modifié à la main (schéma, champs).",
                       "atelier assistants check mes-assistants/post-linkedin.v2.yaml"),
            )),
    Command("slides", "toolkit.publish.cli",
            "Construit le diaporama reveal.js de chaque session (hors ligne, notes de "
            "l'animateur·rice en vue présentateur) dans slides/build/.",
            'ATELIER_ORGANISATION="Ville de Nyon" atelier slides 01-acculturation --logo logo.png',
            run="_slides"),
    Command("editions", "toolkit.publish.cli",
            "Génère l'édition participant (sans notes, solutions ni sorties) et l'édition "
            "animateur de chaque notebook dans editions/.", "atelier editions", run="_editions"),
    Command("exercises", "toolkit.publish.cli",
            "Régénère les notebooks des exercices (exercises/source/) et leurs indices depuis "
            "leur source texte exercises/text/NN-sujet.md.", "atelier exercises sync --check",
            given_none="required", actions=(
                Action("sync", "_exercises_sync",
                       "Réécrit chaque notebook d'exercice et la table des indices depuis les "
                       "sources texte.",
                       "atelier exercises sync"),
            )),
    Command("guide", "toolkit.publish.cli",
            "Génère le guide de l'animateur·rice (déroulé, objectifs, matériel, liste de "
            "vérification, réponses attendues) depuis curriculum.yml et les notes.",
            "atelier guide --debut 13:30 --pdf", run="_guide"),
    Command("release", "toolkit.publish.cli",
            "Construit la livraison versionnée dist/atelier-ia-<version>.zip (éditions, "
            "exercices, diaporamas, guide, questionnaires, CHANGELOG) après vérification.",
            "atelier release --unreleased", run="_release"),
    Command("hub", "toolkit.hub.cli",
            "Hub d'atelier (JupyterHub) sur une machine\u00a0: un compte et un serveur par "
            "participant.", "sudo atelier hub up && sudo atelier hub users add participants.csv",
            actions=(
                Action("up", "_up",
                       "Démarre le hub (et son proxy) en arrière-plan\u202f; relancé sur le même "
                       "dossier d'état, il reprend les réglages de la fois précédente.",
                       "sudo atelier hub up --port 8000 --gateway http://127.0.0.1:4000/v1"),
                Action("down", "_down", "Arrête le hub, les serveurs des participants et le proxy.",
                       "sudo atelier hub down"),
                Action("users", "", "Gère les participants du hub.",
                       "sudo atelier hub users add participants.csv", actions=(
                           Action("add", "_users_add", "Crée les participants d'un fichier CSV "
                                  "(identifiant;nom;email) et affiche leurs identifiants et mots "
                                  "de passe (une seule fois\u00a0: ils ne sont écrits nulle part).",
                                  "sudo atelier hub users add participants.csv > /dev/tty"),
                           Action("remove", "_users_remove",
                                  "Supprime les participants d'un fichier CSV\u00a0: serveur, "
                                  "compte système et dossier.",
                                  "sudo atelier hub users remove participants.csv"),
                       )),
            )),
    Command("preuves", "toolkit.preuves.cli",
            "Preuves de formation\u00a0: émargement, attestations, registre de formation à "
            "l'IA, Qualiopi.",
            "atelier preuves attestations --survey resultats/ --participants participants.csv",
            actions=(
                Action("emargement", "_emargement",
                       "Feuille d'émargement par demi-journée (HTML et PDF).",
                       "atelier preuves emargement 01-acculturation --participants "
                       "participants.csv --date 2026-11-17"),
                Action("attestations", "_attestations",
                       "Une attestation de fin de formation par participant (HTML, PDF et un "
                       "zip), avec les résultats de l'évaluation.",
                       "atelier preuves attestations --survey exports/ --participants "
                       "participants.csv --date 2026-11-17 --grades"),
                Action("registre", "_registre",
                       "Registre de formation à l'IA (AI Act, article 4), CSV et Excel\u202f; "
                       "fusionne plusieurs sessions.",
                       "atelier preuves registre --participants groupe1.csv --date 2026-11-17 "
                       "--registre preuves/registre-ia.xlsx"),
                Action("qualiopi", "_qualiopi",
                       "Preuves de l'indicateur 11 de Qualiopi\u00a0: objectifs, modalités "
                       "d'évaluation, résultats agrégés (HTML et PDF).",
                       "atelier preuves qualiopi --survey exports/ --grades"),
            )),
)

EPILOG = """\
Exemples :
  atelier doctor                      vérifier l'installation et le mode
  atelier ask "Bonjour"               poser une question au modèle configuré
  atelier lab                         ouvrir le cours dans JupyterLab
Chaque commande a son aide : atelier COMMANDE --help
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


class SignatureDefault:
    """An option default taken from an API function's signature, resolved only when needed.

    Resolving imports the function's module, so it happens when that sub-command runs or
    shows its help, never for ``atelier --help`` (nor does importing :mod:`inspect`).
    """

    __slots__ = ("param", "target")

    def __init__(self, target: str, param: str):
        self.target = target  # "package.module:function"
        self.param = param

    def __repr__(self) -> str:
        return f"default_of({self.target!r}, {self.param!r})"

    def function(self) -> Any:
        module, _, name = self.target.partition(":")
        func = importlib.import_module(module)
        for part in name.split("."):
            func = getattr(func, part)
        return func

    def resolve(self) -> Any:
        import inspect

        default = inspect.signature(self.function()).parameters[self.param].default
        if default is inspect.Parameter.empty:
            raise TypeError(f"{self.target}() has no default for {self.param!r}")
        return default


def default_of(target: str, param: str) -> Any:
    """The default of *param* of the function *target* (``"module:function"``), as otter-grader.

    Use it as an option's ``default=`` so the CLI never types an API default a second time;
    ``%(default)s`` in the help shows the resolved value.
    """
    return SignatureDefault(target, param)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that resolves :func:`default_of` defaults of the parser being used."""

    def _resolve_defaults(self) -> None:
        for action in self._actions:
            if isinstance(action.default, SignatureDefault):
                action.default = action.default.resolve()

    def parse_known_args(self, args=None, namespace=None):
        self._resolve_defaults()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._resolve_defaults()
        return super().format_help()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``atelier`` parser; given *argv*, only the command it names is filled in."""
    parser = _Parser(
        prog="atelier",
        description="Atelier IA : cours, exercices et outils pour former à l'IA générative.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"atelier-ia {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    # Top-level options take no value, so the first other word is the command.
    named = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    for command in COMMANDS:
        sub = _command_parser(subparsers, command.name, command.help, command.example)
        if argv is None or command.name == named:
            _fill(command, sub)
    return parser


def _fill(command: Command, parser: argparse.ArgumentParser) -> None:
    module = importlib.import_module(command.module)
    add = getattr(module, f"add_{command.name}", None)
    if not command.actions:
        parser.set_defaults(func=getattr(module, command.run))
        if add is not None:
            add(parser)
        return
    actions = _add_actions(parser, command.name, command.actions, command.given_none, module)
    if add is not None:
        add(parser, actions)
    if command.given_none not in ("help", "required"):
        parser.set_defaults(func=actions[command.given_none].get_default("func"))


def _add_actions(parser: argparse.ArgumentParser, name: str, actions: Sequence[Action],
                 given_none: str, module: Any, prefix: str = "") -> dict[str, Any]:
    """Add *actions* under *parser*; their parsers by name (``"users add"`` when nested)."""
    sub = parser.add_subparsers(dest=f"{name}_action", metavar="ACTION",
                                required=given_none == "required")
    if given_none == "help":
        parser.set_defaults(func=functools.partial(_show_help, parser))
    parsers: dict[str, Any] = {}
    for action in actions:
        func = getattr(module, action.run) if action.run else None
        parsers[prefix + action.name] = p = _command_parser(
            sub, action.name, action.help, action.example, func=func
        )
        if action.actions:
            parsers.update(_add_actions(p, action.name, action.actions, "help", module,
                                        f"{prefix}{action.name} "))  # fmt: skip
    return parsers


def main(argv: Sequence[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        result = args.func(args)
    except AtelierError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    return int(result or 0)


def _command_parser(subparsers, name: str, help_text: str, example: str, *, func=None):
    """Add a sub-command whose help ends with an example (every command has one).

    *func*, when given, is the function the sub-command runs (``args.func``).
    """
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Exemple :\n  {example}",
        formatter_class=_Formatter,
    )
    if func is not None:
        parser.set_defaults(func=func)
    return parser


def report_sync(changed: Sequence[str], check: bool, *, stale: str, command: str, what: str,
                describe: Callable[[str], str] | None = None) -> int:
    """Print what a ``sync`` action changed, or with *check* what it would change; its status.

    *stale* introduces the out-of-date list, *command* is the one that fixes it and *what*
    names the files in « Tous les … sont à jour »; *describe* words one changed path.
    """
    if check:
        if changed:
            print(f"{stale} :")
            for path in changed:
                print(f"  {path}")
            print(f"Lancez « {command} » puis validez les changements.")
            return 1
        print(f"Tous les {what} sont à jour.")
        return 0
    for path in changed:
        print(describe(path) if describe else f"mis à jour : {path}")
    if not changed:
        print(f"Rien à changer : tous les {what} sont à jour.")
    return 0


def _show_help(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    # Run the imported module, not __main__: sub-commands use toolkit.cli's own classes.
    from toolkit.cli import main as _main

    sys.exit(_main())
