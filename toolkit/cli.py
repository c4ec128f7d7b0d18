"""The ``atelier`` command: a thin layer over the toolkit's Python API.

:data:`COMMANDS` lists every command with its help and example; the ``cli.py`` module of the
subpackage behind each adds its options or actions (``add_<name>``), and is imported only
when that command runs.  This module assembles them, parses arguments and turns
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


class Command(NamedTuple):
    """One ``atelier`` command: what ``atelier --help`` lists, and where the rest lives.

    *module*'s ``add_<name>`` function fills the command in: ``add_<name>(parser)`` adds the
    options of a plain command and sets ``func``; a command made of actions (*actions* not
    empty) gets ``add_<name>(parser, actions)`` to add them.  Given no action, the command
    shows its help (``"help"``), runs the action so named, or, with ``"required"``, is
    refused by argparse, which names the actions.  Only the command being run is filled in,
    so ``atelier X`` imports ``X``'s module alone and ``atelier --help`` none.
    """

    name: str
    module: str
    help: str
    example: str
    actions: str = ""


#: Every command, in the order of ``atelier --help``.
COMMANDS = (
    Command("ask", "toolkit.llm.cli",
            "Pose une question au modèle configuré et affiche la réponse avec son mode.",
            'atelier ask "Rédige un titre pour une offre d\'emploi de comptable"'),
    Command("doctor", "toolkit.llm.cli",
            "Vérifie l'installation\u00a0: versions, mode, serveur joignable, modèles, clé "
            "(masquée), pack de langue, nbgrader.", "atelier doctor"),
    Command("record", "toolkit.llm.cli",
            "Exécute des notebooks en direct et enregistre chaque réponse pour un atelier hors "
            "ligne (ATELIER_MODE=replay).", "atelier record notebooks/01-acculturation/*.ipynb"),
    Command("model", "toolkit.models.cli",
            "Sert un modèle de langage sur cet ordinateur (serveur llama.cpp)\u00a0: rien ne le "
            "quitte.", "atelier model serve", actions="help"),
    Command("profile", "toolkit.models.cli",
            "Profils de connexion\u00a0: écrit dans .env les lignes d'un serveur (local, ollama, "
            "vllm, lm-studio, albert, litellm, azure, openai), sans toucher aux autres ni aux "
            "clés.", "atelier profile use albert", actions="list"),
    Command("notebooks", "toolkit.course.cli",
            "Régénère l'en-tête des notebooks depuis curriculum.yml.",
            "atelier notebooks sync --check", actions="required"),
    Command("lab", "toolkit.course.cli",
            "Ouvre le cours dans JupyterLab, en français, sur la page d'accueil, dans un espace "
            "de travail hors du dépôt (ATELIER_LAB_DIR, par défaut ~/atelier-ia/<version>/)"
            "\u202f: édition animateur par défaut, édition participant avec --participant.",
            "atelier lab --participant --port 8890"),
    Command("prompt", "toolkit.prompts.cli",
            "Outils pour les prompts (analyse selon le cadre rôle, contexte, tâche…).",
            'atelier prompt analyse "Tu es juriste. Résume ce contrat en 5 puces."',
            actions="help"),
    Command("grade", "toolkit.grading.cli",
            "Corriger les exercices (nbgrader)\u00a0: distribuer, collecter, noter, exporter.",
            "atelier grade autograde", actions="help"),
    Command("survey", "toolkit.survey.cli",
            "Enquête avant/après\u00a0: questionnaire, modèles, analyse de la progression.",
            "atelier survey analyse avant.xlsx apres.xlsx --out resultats/", actions="help"),
    Command("privacy", "toolkit.privacy.cli",
            "Repérer et masquer les données personnelles ou confidentielles d'un texte.",
            "atelier privacy scan courrier.txt --mask", actions="help"),
    Command("tasks", "toolkit.tasks.cli",
            "Méthode Automato\u00a0: matrice importance × pénibilité, aptitude, ROI et plan.",
            "atelier tasks plan inventaire.csv --markdown plan.md --csv plan.csv",
            actions="required"),
    Command("assistants", "toolkit.assistants.cli",
            "Bibliothèque d'assistants métier (prompt système, exemples, vérifications).",
            "atelier assistants list", actions="required"),
    Command("slides", "toolkit.publish.cli",
            "Construit le diaporama reveal.js de chaque session (hors ligne, notes de "
            "l'animateur·rice en vue présentateur) dans slides/build/.",
            'ATELIER_ORGANISATION="Ville de Nyon" atelier slides 01-acculturation --logo logo.png'),
    Command("editions", "toolkit.publish.cli",
            "Génère l'édition participant (sans notes, solutions ni sorties) et l'édition "
            "animateur de chaque notebook dans editions/.", "atelier editions"),
    Command("exercises", "toolkit.publish.cli",
            "Régénère les notebooks des exercices (exercises/source/) et leurs indices depuis "
            "leur source texte exercises/text/NN-sujet.md.", "atelier exercises sync --check",
            actions="required"),
    Command("guide", "toolkit.publish.cli",
            "Génère le guide de l'animateur·rice (déroulé, objectifs, matériel, liste de "
            "vérification, réponses attendues) depuis curriculum.yml et les notes.",
            "atelier guide --debut 13:30 --pdf"),
    Command("release", "toolkit.publish.cli",
            "Construit la livraison versionnée dist/atelier-ia-<version>.zip (éditions, "
            "exercices, diaporamas, guide, questionnaires, CHANGELOG) après vérification.",
            "atelier release --unreleased"),
    Command("hub", "toolkit.hub.cli",
            "Hub d'atelier (JupyterHub) sur une machine\u00a0: un compte et un serveur par "
            "participant.", "sudo atelier hub up && sudo atelier hub users add participants.csv",
            actions="help"),
    Command("preuves", "toolkit.preuves.cli",
            "Preuves de formation\u00a0: émargement, attestations, registre de formation à "
            "l'IA, Qualiopi.",
            "atelier preuves attestations --survey resultats/ --participants participants.csv",
            actions="help"),
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
        sub = command_parser(subparsers, command.name, command.help, command.example)
        if argv is None or command.name == named:
            _fill(command, sub)
    return parser


def _fill(command: Command, parser: argparse.ArgumentParser) -> None:
    add = getattr(importlib.import_module(command.module), f"add_{command.name}")
    if not command.actions:
        add(parser)
        return
    actions = _add_actions(parser, command.name, command.actions)
    add(parser, actions)
    if command.actions not in ("help", "required"):
        parser.set_defaults(func=actions.choices[command.actions].get_default("func"))


def _add_actions(parser: argparse.ArgumentParser, name: str, given_none: str):
    actions = parser.add_subparsers(dest=f"{name}_action", metavar="ACTION",
                                    required=given_none == "required")
    if given_none == "help":
        parser.set_defaults(func=functools.partial(_show_help, parser))
    return actions


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


def command_parser(subparsers, name: str, help_text: str, example: str, *, func=None, **kwargs):
    """Add a sub-command whose help ends with an example (every command has one).

    *func*, when given, is the function the sub-command runs (``args.func``).
    """
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Exemple :\n  {example}",
        formatter_class=_Formatter,
        **kwargs,
    )
    if func is not None:
        parser.set_defaults(func=func)
    return parser


def command_group(subparsers, name: str, help_text: str, example: str, **kwargs):
    """Add an action made of actions of its own (``atelier hub users add``).

    Returns ``(parser, its subparsers)``; given none of its actions, it shows its help.
    """
    parser = command_parser(subparsers, name, help_text, example, **kwargs)
    return parser, _add_actions(parser, name, "help")


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
