"""One declaration of the settings: settings(), .env, .env.example and atelier doctor agree."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import config
from toolkit.config import Secret, settings, settings_rows
from toolkit.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DECLARED = dict(config._DECLARED)
NAMES = [meta["env"] for meta in DECLARED.values()]

#: A value for each parser and what settings() must turn it into.
SAMPLES = {
    config._text: ("valeur-de-test", "valeur-de-test"),
    config._secret: ("sk-test-0123456789abcdef", "sk-test-0123456789abcdef"),
    config._path: ("/srv/atelier/essai", Path("/srv/atelier/essai")),
    config._hosts: ("llm.intra.example, .interne.example", ("llm.intra.example", ".interne.example")),
    config._float: ("7,5", 7.5),
    config._int: ("2", 2),
    config._flag: ("oui", True),
    config._locale_name: ("fr-fr", "fr_FR"),
}


@pytest.fixture
def restore_environ():
    """The .env loader writes into os.environ: put it back as it was after the test."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def course(tmp_path, monkeypatch, restore_environ):
    """A course folder (curriculum.yml) as the working folder, its .env not yet loaded."""
    (tmp_path / "curriculum.yml").write_text("version: 0.1.0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "_dotenv_loaded", False)
    monkeypatch.setattr(config, "_dotenv_file", None)
    monkeypatch.setattr(config, "_dotenv_names", frozenset())
    monkeypatch.delenv("ATELIER_CASSETTES", raising=False)
    return tmp_path


def _write_env(folder: Path, **values: str) -> None:
    text = "".join(f"{k}={v}\n" for k, v in values.items())
    (folder / ".env").write_text(text, encoding="utf-8")


# --- the declaration --------------------------------------------------------------------------


def test_every_setting_is_declared_once_with_help_and_group():
    assert len(NAMES) == len(set(NAMES))
    # the cache key covers every declared variable, then the fallbacks (JUPYTERHUB_USER)
    assert tuple(NAMES) + config._FALLBACKS == config._VARIABLES
    for attr, meta in DECLARED.items():
        assert meta["help"].strip().endswith("."), attr
        assert meta["group"], attr
        assert meta["env"].startswith(("ATELIER_", "OPENAI_", "AZURE_OPENAI_")), attr


def test_existing_setting_names_are_kept():
    kept = {
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY",
        "OPENAI_API_VERSION", "ATELIER_MODE", "ATELIER_MODEL", "ATELIER_IMAGE_MODEL",
        "ATELIER_TIMEOUT", "ATELIER_RETRIES", "ATELIER_BUDGET_TOKENS", "ATELIER_CASSETTES",
        "ATELIER_CASSETTE", "ATELIER_PRICES", "ATELIER_PRIVACY", "ATELIER_PRIVACY_EXEMPT_HOSTS",
        "ATELIER_PRIVACY_TERMS", "ATELIER_SURVEY_PRE_URL", "ATELIER_SURVEY_POST_URL",
        "ATELIER_SHARED_DIR", "ATELIER_ORGANISATION", "ATELIER_LOGO", "ATELIER_SURVEY_SALT",
        "ATELIER_ENV_FILE", "ATELIER_NBGRADER_DB", "ATELIER_NBGRADER_EXCHANGE",
        "ATELIER_HUB_STATE",
    }
    assert kept <= set(NAMES), kept - set(NAMES)


@pytest.mark.parametrize("attr", list(DECLARED))
def test_each_variable_feeds_its_setting(attr, monkeypatch):
    meta = DECLARED[attr]
    monkeypatch.delenv(meta["env"], raising=False)  # conftest sets ATELIER_CASSETTES
    default = getattr(settings(), attr)
    if meta["parse"] is config._choice:
        raw = expected = meta["choices"][-1]
    else:
        raw, expected = SAMPLES[meta["parse"]]
    monkeypatch.setenv(meta["env"], raw)
    value = getattr(settings(), attr)
    if isinstance(value, Secret):
        value = value.reveal()
    assert value == expected
    assert value != default
    monkeypatch.setenv(meta["env"], "  ")  # blank means the default, as an empty .env line
    assert getattr(settings(), attr) == default


@pytest.mark.parametrize(
    "attr", [a for a, m in DECLARED.items() if m["parse"] in (config._int, config._float,
                                                               config._choice)]
)
def test_bad_values_name_the_variable_and_the_fix(attr, monkeypatch):
    name = DECLARED[attr]["env"]
    monkeypatch.setenv(name, "n'importe-quoi")
    with pytest.raises(ConfigError) as caught:
        settings()
    assert caught.value.message.startswith(f"{name}=")
    assert caught.value.fix


def test_derived_values_keep_their_rules(monkeypatch):
    assert settings().mode == "offline" and settings().api_key is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-0123456789")
    assert settings().mode == "live" and settings().api_key.reveal() == "sk-openai-0123456789"
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-key-0123456789")
    assert settings().api_key.reveal() == "azure-key-0123456789"  # Azure's key wins
    monkeypatch.setenv("ATELIER_MODE", " Replay ")
    assert settings().mode == "replay" and "ATELIER_MODE" in settings().mode_reason
    monkeypatch.setenv("ATELIER_RETRIES", "9")
    assert settings().retries == config.MAX_RETRIES  # a ceiling, as before


# --- .env.example and atelier doctor ---------------------------------------------------------


def test_env_example_is_generated_from_the_declaration():
    committed = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert committed == config.env_example(), "run: python tools/env_example.py"
    listed = [line.lstrip("# ").split("=")[0] for line in committed.splitlines()
              if "=" in line and line.lstrip("# ").split("=")[0].isupper()]
    assert listed == NAMES


def test_env_example_check_script_fails_on_drift(tmp_path):
    script = ROOT / "tools" / "env_example.py"
    ok = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    drifted = tmp_path / ".env.example"
    drifted.write_text(config.env_example().replace("ATELIER_LOGO=\n", ""), encoding="utf-8")
    bad = subprocess.run([sys.executable, str(script), "--check", str(drifted)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "out of date" in bad.stderr


def test_doctor_rows_check_each_setting_on_its_own(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-0123456789wxyz")
    monkeypatch.setenv("ATELIER_TIMEOUT", "bientôt")
    monkeypatch.setenv("ATELIER_MODLE", "gpt-4o")  # a typo
    rows = {label: (value, ok) for label, value, ok in settings_rows()}
    assert rows["OPENAI_API_KEY"] == ("…wxyz", True)
    assert rows["ATELIER_TIMEOUT"][1] is False and "n'est pas un nombre" in rows["ATELIER_TIMEOUT"][0]
    assert "inconnu" in rows["ATELIER_MODLE"][0]
    assert "sk-secret" not in repr(rows)


def test_doctor_lists_the_settings():
    from toolkit.llm.status import doctor

    labels = [label for label, _, _ in doctor().rows]
    assert "Autres réglages" in labels


# --- every reader goes through settings() ------------------------------------------------------


def _environ_reads(tree: ast.AST):
    """(line, first argument) of each os.environ.get / os.getenv / os.environ[...] read."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            is_get = f.attr == "get" and ast.unparse(f.value) == "os.environ"
            if (is_get or ast.unparse(f) == "os.getenv") and node.args:
                yield node.lineno, node.args[0]
        elif (isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ"
              and isinstance(node.ctx, ast.Load)):
            yield node.lineno, node.slice


#: Reads that save a variable before setting it for a child step, to restore it afterwards.
_SAVE_RESTORE = {
    ("toolkit/llm/record.py", "k"),  # the variables set while recording
    ("toolkit/publish/slides.py", "'ATELIER_MODE'"),  # offline while rendering the decks
}


def test_no_setting_is_read_from_os_environ_outside_config():
    offenders = []
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "toolkit/config.py":
            continue
        for line, arg in _environ_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, ast.unparse(arg)) in _SAVE_RESTORE:
                continue
            if not isinstance(arg, ast.Constant) or str(arg.value).startswith(
                ("ATELIER_", "OPENAI_", "AZURE_OPENAI_")
            ):
                offenders.append(f"{rel}:{line} {ast.unparse(arg)}")
    assert not offenders, "read these through toolkit.config.settings(): " + ", ".join(offenders)


def test_a_course_env_value_reaches_every_reader(course, monkeypatch):
    terms = course / "termes.yml"
    terms.write_text("terms: [Projet Aurore]\n", encoding="utf-8")
    _write_env(
        course,
        ATELIER_SHARED_DIR=str(course / "partage"),
        ATELIER_ORGANISATION="Ville de Nyon",
        ATELIER_SURVEY_PRE_URL="https://sondage.example.org/depart",
        ATELIER_HUB_STATE=str(course / "etat"),
        ATELIER_PRIVACY_EXEMPT_HOSTS="llm.intra.example",
        ATELIER_PRIVACY_TERMS=str(terms),
        ATELIER_MODEL="modele-du-cours",
    )
    monkeypatch.setenv("ATELIER_MODEL", "modele-de-l-environnement")  # environment wins
    from toolkit.course.sharedfolder import shared_dir
    from toolkit.hub.settings import default_state
    from toolkit.privacy.policy import exempt_hosts_from_env
    from toolkit.privacy.terms import current_terms
    from toolkit.publish.slides import organisation
    from toolkit.widgets.survey_link import survey_link

    assert shared_dir() == course / "partage"
    assert organisation() == "Ville de Nyon"
    assert survey_link("pre").url == "https://sondage.example.org/depart"
    assert default_state() == course / "etat"
    assert exempt_hosts_from_env() == ["llm.intra.example"]
    assert current_terms().source == str(terms)
    assert settings().model == "modele-de-l-environnement"
    rows = {label: value for label, value, _ in settings_rows()}
    assert rows["ATELIER_ORGANISATION"] == "Ville de Nyon (fichier .env)"
    assert rows["ATELIER_MODEL"] == "modele-de-l-environnement"


def test_a_course_env_salt_pseudonymises_survey_codes(course):
    _write_env(course, ATELIER_SURVEY_SALT="sel-du-cours-0123456789")
    from toolkit.survey import analysis

    assert settings().survey_salt.reveal() == "sel-du-cours-0123456789"
    assert "sel-du-cours" not in repr(settings())
    assert "os.environ" not in Path(analysis.__file__).read_text(encoding="utf-8")


def _atelier(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("ATELIER_", "OPENAI_", "AZURE_OPENAI_"))}
    clean.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_privacy_scan_honours_the_terms_file_named_in_the_course_env(tmp_path):
    """The issue's reproduction: the setting is only in the course's .env file."""
    (tmp_path / "curriculum.yml").write_text("version: 0.1.0\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Bonjour, voici le compte rendu.\n", encoding="utf-8")
    ok = _atelier(["privacy", "scan", "--no-ner", "t.txt"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    _write_env(tmp_path, ATELIER_PRIVACY_TERMS="/nonexistent/termes.yml")
    for args in (["privacy", "scan", "t.txt"], ["privacy", "scan", "--no-ner", "t.txt"]):
        run = _atelier(args, tmp_path)
        assert run.returncode == 1, (run.stdout, run.stderr)
        assert "/nonexistent/termes.yml est introuvable" in run.stderr
        assert "Traceback" not in run.stderr
    # The same value in the environment gives the same answer.
    (tmp_path / ".env").unlink()
    run = _atelier(["privacy", "scan", "t.txt"], tmp_path,
                   ATELIER_PRIVACY_TERMS="/nonexistent/termes.yml")
    assert run.returncode == 1 and "introuvable" in run.stderr


#: Notebook reads that save a variable before a demonstration changes it, to restore it.
_NOTEBOOK_SAVE_RESTORE = {
    ("notebooks/02-usages-avances/02-fonctionnalites-avancees.ipynb", "'ATELIER_BUDGET_TOKENS'"),
}


def test_no_notebook_reads_a_setting_from_os_environ():
    import nbformat

    offenders = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            # IPython magics and shell lines are not Python: blanked before parsing.
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                               for line in cell.source.splitlines())
            for line, arg in _environ_reads(ast.parse(source)):
                text = ast.unparse(arg)
                if (rel, text) in _NOTEBOOK_SAVE_RESTORE:
                    continue
                if not isinstance(arg, ast.Constant) or str(arg.value).startswith(
                    ("ATELIER_", "OPENAI_", "AZURE_OPENAI_")
                ):
                    offenders.append(f"{rel} (cellule {cell.get('id')}, ligne {line}) {text}")
    assert not offenders, "read these through toolkit.settings(): " + ", ".join(offenders)


@pytest.mark.parametrize(("raw", "given", "name"), [
    (None, False, "Atelier IA"),
    ("   ", False, "Atelier IA"),
    ("Ville de Nyon", True, "Ville de Nyon"),
    ("Atelier IA", True, "Atelier IA"),  # set to the default's words: still set
])
def test_settings_tell_whether_the_organisation_was_set(monkeypatch, raw, given, name):
    if raw is None:
        monkeypatch.delenv("ATELIER_ORGANISATION", raising=False)
    else:
        monkeypatch.setenv("ATELIER_ORGANISATION", raw)
    s = settings()
    assert (s.organisation_given, s.organisation) == (given, name)
