"""Project files agree with each other: dependencies, versions, changelog, ignore rules."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

import toolkit

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


def test_env_example_documents_every_setting_the_code_reads():
    documented = set(
        re.findall(
            r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )
    read = set()
    for path in (ROOT / "toolkit").rglob("*.py"):
        read |= set(
            re.findall(
                r"""(?:environ(?:\.get)?|getenv)\(\s*["']((?:ATELIER|OPENAI|AZURE)_[A-Z_]+)""",
                path.read_text(encoding="utf-8"),
            )
        )
        read |= set(
            re.findall(
                r"""env\.get\(\s*["']((?:ATELIER|OPENAI|AZURE)_[A-Z_]+)""",
                path.read_text(encoding="utf-8"),
            )
        )
    internal = {"ATELIER_CASSETTE", "ATELIER_ENV_FILE"}  # set by `atelier record` / tests
    assert read - internal <= documented, read - internal - documented


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
