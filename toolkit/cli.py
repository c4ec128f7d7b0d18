"""The ``atelier`` command: a thin layer over the toolkit's Python API.

Each subpackage that offers commands has a ``cli.py`` module with a ``register(subparsers)``
function adding its sub-command(s); this module only assembles them, parses arguments and
turns :class:`toolkit.errors.AtelierError` into a short French message and exit status 1.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

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
    "toolkit.preuves.cli",
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    try:
        parser = build_parser()
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


def command_group(
    subparsers, name: str, help_text: str, example: str, *, dest: str, required: bool = False,
    func=None, **kwargs,
):
    """Add a sub-command made of actions; returns ``(parser, its subparsers)``.

    Given no action, the command runs *func*, or by default shows its help and exits 0;
    with *required*, argparse refuses the command line and names the actions instead.
    """
    parser = command_parser(subparsers, name, help_text, example, **kwargs)
    actions = parser.add_subparsers(dest=dest, metavar="ACTION", required=required)
    if func is None and not required:
        func = functools.partial(_show_help, parser)
    if func is not None:
        parser.set_defaults(func=func)
    return parser, actions


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
