"""The course's YAML files (curriculum.yml, session data) are read by one loader."""

from __future__ import annotations

import pytest

from toolkit.errors import ConfigError, InputError
from toolkit.yamlfile import load_mapping


@pytest.mark.parametrize(("text", "allow_empty", "result"), [
    ("titre: Atelier\nniveau: 1\n", False, {"titre": "Atelier", "niveau": 1}),
    ("", True, {}),
    ("# rien que des commentaires\n", True, {}),
])
def test_mappings_and_allowed_empty_files(tmp_path, text, allow_empty, result):
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    assert load_mapping(path, InputError, shown="f.yml", fix="Corrigez.", not_mapping="?",
                        allow_empty=allow_empty) == result


@pytest.mark.parametrize(("text", "allow_empty", "says"), [
    ("titre: [pas fermé\n", False, r"f\.yml n'est pas un YAML valide"),
    ("- une\n- liste\n", True, r"f\.yml doit contenir un dictionnaire"),
    ("", False, r"f\.yml doit contenir un dictionnaire"),
    ("juste du texte\n", True, r"f\.yml doit contenir un dictionnaire"),
])
@pytest.mark.parametrize("error", [InputError, ConfigError])
def test_errors_name_the_file_in_the_callers_class(tmp_path, text, allow_empty, says, error):
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=says) as caught:
        load_mapping(path, error, shown="f.yml", fix="Corrigez la ligne indiquée.",
                     not_mapping="doit contenir un dictionnaire.", allow_empty=allow_empty)
    assert "Traceback" not in str(caught.value)


def test_curriculum_and_session_files_go_through_it(tmp_path):
    from toolkit.course.curriculum import load
    from toolkit.widgets._base import load_session_yaml

    (tmp_path / "curriculum.yml").write_text("- pas un dictionnaire\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="est vide ou mal formé"):
        load(tmp_path)
    (tmp_path / "quiz.yml").write_text("a: [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"quiz\.yml n'est pas un YAML valide"):
        load_session_yaml("quiz", tmp_path, session="session1", what="Quiz")
