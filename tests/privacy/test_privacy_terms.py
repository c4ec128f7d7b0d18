"""Organisation-defined terms and markings from the YAML file in ATELIER_PRIVACY_TERMS."""

from __future__ import annotations

import pytest

from toolkit.errors import ConfigError
from toolkit.privacy import load_terms, mask, scan
from toolkit.privacy.terms import example_path


def found(text, terms=None):
    return [(f.kind, f.text) for f in scan(text, terms=terms, ner=False, kinds={"TERM", "MARKING"})]


def test_example_file_is_shipped_and_documented():
    path = example_path()
    assert path.is_file()
    content = path.read_text(encoding="utf-8")
    assert "ATELIER_PRIVACY_TERMS" in content and "case_sensitive" in content
    terms = load_terms(path)
    assert ("Projet Hermès", False) in terms.terms
    assert ("usage interne", False) in terms.markings


def test_example_terms_and_case_sensitivity():
    terms = load_terms(example_path())
    text = "Le projet  hermès avance ; ALPAGA validé ; un alpaga au zoo. CONFIDENTIEL."
    assert found(text, terms) == [
        ("TERM", "projet  hermès"),
        ("TERM", "ALPAGA"),
        ("MARKING", "CONFIDENTIEL"),
    ]


def test_environment_variable_and_reload(tmp_path, monkeypatch):
    path = tmp_path / "termes.yml"
    path.write_text("terms:\n  - Atlas\nmarkings:\n  - C3\n", encoding="utf-8")
    monkeypatch.setenv("ATELIER_PRIVACY_TERMS", str(path))
    assert found("Dossier Atlas, classé C3, usage interne.") == [
        ("TERM", "Atlas"),
        ("MARKING", "C3"),
        ("MARKING", "usage interne"),  # default markings are kept unless disabled
    ]
    path.write_text("include_default_markings: false\nterms: [Borée]\n", encoding="utf-8")
    import os

    os.utime(path, (1, 1))  # make sure the change is seen even within the same second
    assert found("Dossier Borée, usage interne.") == [("TERM", "Borée")]
    assert mask("Dossier Borée.", ner=False).text == "Dossier [TERME_1]."


def test_missing_file_is_a_french_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_PRIVACY_TERMS", str(tmp_path / "absent.yml"))
    with pytest.raises(ConfigError, match="introuvable"):
        scan("texte", ner=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("terms: [unclosed", "YAML lisible"),
        ("- a\n- b\n", "doivent|doit"),
        ("terms: Atlas\n", "doit être une liste"),
        ("terms:\n  - {case_sensitive: true}\n", "n° 1"),
    ],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "termes.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_terms(path)
