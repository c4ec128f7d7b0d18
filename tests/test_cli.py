"""The ``atelier`` command, run as a real process."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.cli import SignatureDefault, build_parser, main
from toolkit.testing.fresh import fresh_python

ROOT = Path(__file__).resolve().parent.parent
ATELIER = [sys.executable, "-m", "toolkit.cli"]


def run(args, env_extra=None, timeout=60):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ATELIER_", "OPENAI_", "AZURE_OPENAI_"))
    }
    env["ATELIER_ENV_FILE"] = os.devnull
    env.update(env_extra or {})
    return subprocess.run(
        [*ATELIER, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def _subcommands(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            yield from action.choices.items()


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    commands = dict(_subcommands(parser))
    assert {"ask", "doctor", "record", "lab", "notebooks"} <= set(commands)
    stack = list(commands.items())
    while stack:
        name, sub = stack.pop()
        assert "Exemple" in (sub.epilog or ""), f"atelier {name} has no example in its help"
        stack += [(f"{name} {n}", p) for n, p in _subcommands(sub)]


def _groups(parser, path=()):
    """(command path, parser) of every sub-command that has actions of its own."""
    for name, sub in _subcommands(parser):
        if any(True for _ in _subcommands(sub)):
            yield (*path, name), sub
            yield from _groups(sub, (*path, name))


def test_a_command_group_without_action_shows_its_own_help(capsys, monkeypatch, tmp_path):
    # A group's default once printed the help of the group declared after it (late binding).
    monkeypatch.chdir(tmp_path)
    groups = dict(_groups(build_parser()))
    assert {("hub",), ("hub", "users"), ("model",), ("survey",), ("tasks",)} <= set(groups)
    for path, group in groups.items():
        required = any(a.required for a in group._actions if a.dest != "help" and a.nargs == "A...")
        if group.get_default("func") is None and not required:
            pytest.fail(f"atelier {' '.join(path)} does nothing without an action")
        if required:
            with pytest.raises(SystemExit) as info:
                main(list(path))
            assert info.value.code == 2
            assert f"atelier {' '.join(path)}" in capsys.readouterr().err
            continue
        code = main(list(path))
        out = capsys.readouterr().out
        assert code == 0, path
        if out.startswith("usage:"):
            assert out.startswith(f"usage: atelier {' '.join(path)} "), (path, out[:80])


def test_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "atelier doctor" in capsys.readouterr().out


def _command_modules_loaded(*args: str) -> list[str]:
    """The command modules (``toolkit.*.cli``) that ``atelier ARGS`` imports, in a fresh process."""
    probe = ("import sys\nfrom toolkit.cli import main\ntry:\n    main(sys.argv[1:])\n"
             "except SystemExit:\n    pass\n"
             "print('@', *sorted(m for m in sys.modules if m.endswith('.cli')))")
    out = fresh_python(probe, *args, cwd=ROOT, env={**os.environ, "ATELIER_ENV_FILE": os.devnull})
    return out.rpartition("@")[2].split()


def test_only_the_command_run_imports_its_module():
    assert _command_modules_loaded("--help") == ["toolkit.cli"]
    assert _command_modules_loaded("survey", "--help") == ["toolkit.cli", "toolkit.survey.cli"]
    assert _command_modules_loaded("-h", "hub", "users") == ["toolkit.cli", "toolkit.hub.cli"]
    assert _command_modules_loaded("nimporte") == ["toolkit.cli"]


def _all_actions(actions, prefix=""):
    for action in actions:
        yield prefix + action.name, action
        yield from _all_actions(action.actions, f"{prefix}{action.name} ")


def test_the_command_table_and_the_modules_agree():
    import importlib

    from toolkit.cli import COMMANDS

    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for module in {c.module for c in COMMANDS}:
        adds = {n.removeprefix("add_") for n in vars(importlib.import_module(module))
                if n.startswith("add_")}
        declared = {c.name for c in COMMANDS if c.module == module}
        assert adds <= declared, module  # no add_ function that no command reaches
    for command in COMMANDS:
        module = importlib.import_module(command.module)
        actions = dict(_all_actions(command.actions))
        assert bool(command.run) != bool(actions), command.name  # runs itself or has actions
        assert command.given_none in ("help", "required") or command.given_none in actions
        for path, action in [(command.name, command), *actions.items()]:
            if action.run:
                assert callable(getattr(module, action.run)), path
            else:
                assert action.actions or action is command, path
        add = getattr(module, f"add_{command.name}", None)
        if add is not None:
            arity = len(inspect.signature(add).parameters)
            assert arity == (2 if actions else 1), command.name


def test_every_help_of_the_command_table_is_typeset_in_french():
    from toolkit.cli import COMMANDS
    from toolkit.fr import typographie

    helps = [(c.name, c.help) for c in COMMANDS]
    for command in COMMANDS:
        helps += [(f"{command.name} {p}", a.help) for p, a in _all_actions(command.actions)]
    wrong = [path for path, text in helps if typographie(text) != text]
    assert not wrong, f"spaces before « : ; ! ? » or inside « » in the help of: {wrong}"


def _example_words(example: str) -> list[str]:
    """The words given to ``atelier`` in a help example (no sudo, no variable, no redirection)."""
    import shlex

    words = shlex.split(example.split("&&")[0].split(">")[0].split("|")[0])
    while words and ("=" in words[0] or words[0] == "sudo"):
        words.pop(0)
    assert words[0] == "atelier", example
    return words[1:]


def test_every_example_in_the_help_is_a_valid_command(tmp_path, monkeypatch):
    """An example a trainer copies from ``--help`` is accepted by the parser as written."""
    from toolkit.cli import COMMANDS

    monkeypatch.chdir(tmp_path)
    examples = [(c.name, c.example) for c in COMMANDS]
    for command in COMMANDS:
        examples += [(f"{command.name} {p}", a.example) for p, a in _all_actions(command.actions)]
    assert len(examples) > 50
    for path, example in examples:
        words = _example_words(example)
        assert " ".join(words).startswith(path), (path, example)
        try:
            build_parser(words).parse_args(words)
        except SystemExit:
            pytest.fail(f"atelier {path}: its example does not parse: {example}")


def test_a_group_given_no_action_runs_its_default_action(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["profile"]) == 0
    alone = capsys.readouterr().out
    assert main(["profile", "list"]) == 0
    assert alone == capsys.readouterr().out
    assert "albert" in alone


def test_ask_offline_is_labelled():
    r = run(["ask", "Bonjour"])
    assert r.returncode == 0, r.stderr
    assert "[Simulation]" in r.stdout
    assert "réponse simulée" in r.stdout
    assert "hors ligne" in r.stderr


def test_ask_live_against_local_server(openai_server, api_key):
    openai_server.reset()
    r = run(
        ["ask", "Bonjour"], {"OPENAI_BASE_URL": openai_server.base_url, "OPENAI_API_KEY": api_key}
    )
    assert r.returncode == 0, r.stderr
    assert "[Serveur de test]" in r.stdout
    assert "en direct" in r.stdout
    assert api_key not in r.stdout + r.stderr


def test_ask_hung_server_fails_in_french_within_twice_the_timeout(openai_server, api_key):
    env = {
        "OPENAI_BASE_URL": openai_server.base_url,
        "OPENAI_API_KEY": api_key,
        "ATELIER_TIMEOUT": "2",
    }
    openai_server.reset()
    start = time.monotonic()
    healthy = run(["ask", "Bonjour"], env)  # process start and a quick call: the yardstick
    overhead = time.monotonic() - start
    assert healthy.returncode == 0, healthy.stderr
    openai_server.inject("hang", "hang")
    start = time.monotonic()
    r = run(["ask", "Bonjour"], env)
    elapsed = time.monotonic() - start
    assert r.returncode == 1
    assert "n'a pas répondu dans le délai de 2 s" in r.stderr
    assert "Traceback" not in r.stderr
    # process start varies by seconds on a loaded machine: the call itself is what is bounded
    assert elapsed < 2 * 2 + overhead + 2


def test_doctor_masks_key(openai_server, api_key):
    openai_server.reset()
    r = run(["doctor"], {"OPENAI_BASE_URL": openai_server.base_url, "OPENAI_API_KEY": api_key})
    assert r.returncode == 0, r.stdout + r.stderr
    assert api_key not in r.stdout
    assert f"…{api_key[-4:]}" in r.stdout
    assert "Serveur joignable" in r.stdout and "gpt-4o-mini" in r.stdout
    assert "fr-FR" in r.stdout


def test_bad_setting_is_a_french_error():
    r = run(["ask", "Bonjour"], {"ATELIER_MODE": "turbo"})
    assert r.returncode == 1
    assert "ATELIER_MODE='turbo'" in r.stderr and "Que faire" in r.stderr


def _all_parsers(parser, path=()):
    yield path, parser
    for name, sub in _subcommands(parser):
        yield from _all_parsers(sub, (*path, name))


#: Options known to repeat a default of the API (the test fails if one goes back to a literal).
_FROM_SIGNATURE = {
    ("tasks", "plan"): {"cout_horaire", "devise"},
    ("tasks", "carte"): {"sortie", "par", "titre"},
    ("survey", "analyse"): {"min_group"},
    ("survey", "template"): {"phase"},
    ("grade", "validate"): {"timeout"},
    ("grade", "check"): {"timeout"},
    ("lab",): {"port", "ip"},
    ("guide",): {"debut"},
    ("record",): {"timeout"},
}


def test_cli_defaults_come_from_the_api_signatures():
    found = {}
    for path, parser in _all_parsers(build_parser()):
        lazy = [a for a in parser._actions if isinstance(a.default, SignatureDefault)]
        if lazy:
            found[path] = {a.dest for a in lazy}
        for action in lazy:
            value = action.default.resolve()  # the API still has that parameter, with a default
            if action.type is not None:
                assert action.type(value) == value, (path, action.dest)
            if action.choices:
                assert value in action.choices, (path, action.dest)
        # Any other option named like a parameter of the same functions must not retype its
        # default either: None lets the function decide.
        params = {}
        for target in {a.default.target for a in lazy}:
            sig = inspect.signature(SignatureDefault(target, "").function())
            params.update({n: p.default for n, p in sig.parameters.items()
                           if p.default is not inspect.Parameter.empty})
        for action in parser._actions:
            if action.dest in params and not isinstance(action.default, SignatureDefault):
                if action.nargs == 0:  # a flag: off by default, as the parameter must be
                    assert action.default == params[action.dest], (path, action.dest)
                else:
                    assert action.default is None, (path, action.dest, action.default)
    assert found == _FROM_SIGNATURE


def test_help_shows_the_resolved_defaults():
    out = run(["tasks", "plan", "--help"]).stdout
    assert "coût d'une heure (défaut : 60.0)" in out
    assert "SignatureDefault" not in out
    for path, parser in _all_parsers(build_parser()):
        assert "SignatureDefault" not in parser.format_help(), path


def test_hub_state_help_names_the_real_default():
    from toolkit.hub.settings import DEFAULT_STATE

    for path, parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if action.dest == "state":
                assert str(DEFAULT_STATE) in action.help, path


@pytest.mark.parametrize(("changed", "check", "status", "shown"), [
    ([], True, 0, ["Tous les fichiers sont à jour."]),
    (["a.ipynb", "b.ipynb"], True, 1,
     ["Périmés :", "  a.ipynb", "  b.ipynb", "Lancez « atelier x sync » puis validez les changements."]),
    (["a.ipynb"], False, 0, ["mis à jour : a.ipynb"]),
    ([], False, 0, ["Rien à changer : tous les fichiers sont à jour."]),
])
def test_report_sync_says_what_changed_or_is_stale(capsys, changed, check, status, shown):
    from toolkit.cli import report_sync

    assert report_sync(changed, check, stale="Périmés", command="atelier x sync",
                       what="fichiers") == status
    assert capsys.readouterr().out.splitlines() == shown
