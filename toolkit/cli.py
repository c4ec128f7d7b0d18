"""The ``atelier`` command: a thin layer over the toolkit's Python API.

Each subpackage that offers commands has a ``cli.py`` module with a ``register(subparsers)``
function adding its sub-command(s); this module only assembles them, parses arguments and
turns :class:`toolkit.errors.AtelierError` into a short French message and exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from toolkit._version import __version__
from toolkit.errors import AtelierError

#: Modules that contribute sub-commands, in the order they appear in ``atelier --help``.
COMMAND_MODULES = (
    "toolkit.llm.cli",
    "toolkit.models.cli",
    "toolkit.course.cli",
    "toolkit.prompts.cli",
    "toolkit.grading.cli",
    "toolkit.survey.cli",
    "toolkit.privacy.cli",
    "toolkit.tasks.cli",
    "toolkit.assistants.cli",
    "toolkit.publish.cli",
    "toolkit.hub.cli",
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atelier",
        description="Atelier IA : cours, exercices et outils pour former à l'IA générative.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"atelier-ia {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A subpackage that is not there yet contributes nothing; any other missing
            # module is a real installation problem and must surface.
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        result = args.func(args)
    except AtelierError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    return int(result or 0)


def command_parser(subparsers, name: str, help_text: str, example: str, **kwargs):
    """Add a sub-command whose help ends with an example (every command has one)."""
    return subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Exemple :\n  {example}",
        formatter_class=_Formatter,
        **kwargs,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
