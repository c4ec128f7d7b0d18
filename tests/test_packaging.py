"""Project files agree with each other: dependencies, versions, changelog, ignore rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
import yaml

import toolkit
from toolkit.testing.fresh import fresh_python

ROOT = Path(__file__).resolve().parent.parent


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    expected = project["dependencies"] + extras["dev"] + extras["local"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = [p for p in pip if p != "-e ."]
    assert listed == expected
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]


def test_versions_agree():
    manifest = yaml.safe_load((ROOT / "curriculum.yml").read_text(encoding="utf-8"))
    assert manifest["version"] == toolkit.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", toolkit.__version__)


def test_changelog_has_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert "Keep a Changelog" in text


def test_secrets_and_generated_files_are_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".venv/", "cassettes/", "exercises/release/", "exercises/gradebook.db"):
        assert entry in ignored


def test_public_names_resolve():
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Démarrage rapide", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make lab", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ] == ["make test"]


PACKAGES = sorted(p.parent.name for p in (ROOT / "toolkit").glob("*/__init__.py"))

_IMPORT_PROBE = """
import importlib, json, sys
out = {}
for name in sys.argv[1:]:
    before = set(sys.modules)
    pkg = importlib.import_module("toolkit." + name)
    out[name] = sorted(m for m in set(sys.modules) - before if m.startswith("toolkit."))
json.dump(out, sys.stdout)
"""


def test_importing_a_package_imports_none_of_its_modules():
    import json

    for name, loaded in json.loads(fresh_python(_IMPORT_PROBE, *PACKAGES, cwd=ROOT)).items():
        extra = [m for m in loaded if m not in (f"toolkit.{name}", "toolkit._lazy", "toolkit._version")]
        assert not extra, f"import toolkit.{name} also imports {extra}"


@pytest.mark.parametrize("name", PACKAGES)
def test_package_all_is_explicit_and_resolves(name):
    import importlib

    pkg = importlib.import_module(f"toolkit.{name}")
    assert isinstance(pkg.__all__, list) and len(set(pkg.__all__)) == len(pkg.__all__)
    lazy = getattr(pkg, "_LAZY", {})
    local = {n for n, v in vars(pkg).items()
             if not n.startswith("_") and getattr(v, "__module__", None) == pkg.__name__}
    assert set(pkg.__all__) == set(lazy) | local, name  # every export listed, nothing extra
    for export in pkg.__all__:
        assert getattr(pkg, export) is not None, export
    assert set(pkg.__all__) <= set(dir(pkg))


def test_atelier_help_imports_no_implementation_module():

    probe = ("import sys; from toolkit.cli import build_parser; build_parser().format_help(); "
             "print('\\n'.join(sorted(sys.modules)))")
    loaded = fresh_python(probe, cwd=ROOT).split()
    ours = [m for m in loaded if m.startswith("toolkit.")]
    allowed = {"toolkit._lazy", "toolkit._version", "toolkit.cli", "toolkit.errors"}
    assert [m for m in ours if m not in allowed and m.count(".") > 1 and not m.endswith(".cli")] \
        == []
    heavy = {"openai", "httpx", "pandas", "numpy", "yaml", "nbformat", "nbgrader", "matplotlib",
             "jinja2", "inspect", "dataclasses"}
    assert heavy.isdisjoint(loaded), heavy & set(loaded)


def test_a_function_named_like_its_submodule_survives_the_submodule_import():

    probe = ("import types, toolkit.grading.release, toolkit.grading.validate\n"
             "import toolkit.grading.autograde, toolkit.grading.collect, toolkit.grading.precheck\n"
             "from toolkit.grading import autograde, collect, precheck, release, validate\n"
             "import toolkit.grading as g\n"
             "for f in (autograde, collect, precheck, release, validate, g.release):\n"
             "    assert isinstance(f, types.FunctionType), f\n"
             "from toolkit.grading.release import ReleaseReport\n"
             "assert g.ReleaseReport is ReleaseReport\n")
    fresh_python(probe, cwd=ROOT)  # its asserts fail the test, with their message


def test_lazy_declaration_by_module_maps_each_name_to_its_module_once():
    from toolkit._lazy import by_module

    assert by_module({"pkg.a": ("f", "G"), "pkg.b": ("h",)}) == {
        "f": "pkg.a", "G": "pkg.a", "h": "pkg.b"}
    with pytest.raises(ValueError, match=r"'f' is exported by pkg\.a and pkg\.b"):
        by_module({"pkg.a": ("f",), "pkg.b": ("f",)})


def test_result_objects_show_their_french_summary_in_ipython():
    from dataclasses import dataclass

    from IPython.lib.pretty import pretty

    from toolkit._display import ShowsStr

    @dataclass(frozen=True)
    class Result(ShowsStr):
        n: int

        def __str__(self) -> str:
            return f"{self.n} réponse(s)"

    @dataclass(frozen=True)
    class Child(Result):
        pass

    assert pretty(Result(2)) == "2 réponse(s)"
    assert pretty(Child(3)) == "3 réponse(s)"  # its own dataclass __repr__ does not win
    assert repr(Result(2)).endswith("Result(n=2)")  # repr() itself is unchanged


def test_lazy_package_declares_all_getattr_and_dir_once():
    import types

    from toolkit._lazy import lazy_package

    pkg = types.ModuleType("pkg_probe")
    lazy_package(vars(pkg), {"json": ("dumps", "loads"), "textwrap": ("dedent",)},
                 local=("mine",))
    assert pkg.__all__ == ["dedent", "dumps", "loads", "mine"]
    assert pkg._LAZY == {"dumps": "json", "loads": "json", "dedent": "textwrap"}
    import json

    assert pkg.dumps is json.dumps and "dumps" in vars(pkg)  # resolved once, then stored
    assert {"dedent", "dumps", "loads"} <= set(dir(pkg))
    with pytest.raises(AttributeError, match="has no attribute '_hidden'"):
        pkg._hidden  # noqa: B018
    with pytest.raises(ValueError, match="exported by json and textwrap"):
        lazy_package(vars(types.ModuleType("p2")), {"json": ("dumps",), "textwrap": ("dumps",)})
