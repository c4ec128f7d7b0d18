"""French typography and number formats: the rules, and every notebook and widget string."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.fr import (
    defauts_typographiques,
    montant,
    nombre,
    pourcentage,
    typographie,
)

ROOT = Path(__file__).resolve().parent.parent
NB, NA = "\u202f", "\u00a0"
NOTEBOOKS = sorted(
    p for folder in ("notebooks", "exercises/source") for p in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
# Files whose strings participants and trainers read (widgets, the défi, the error hook).
WIDGET_SOURCES = [
    *sorted((ROOT / "toolkit" / "widgets").glob("*.py")),
    ROOT / "toolkit" / "course" / "defi.py",
    ROOT / "toolkit" / "course" / "erreurs.py",
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Attention : lisez ceci.", f"Attention{NA}: lisez ceci."),
    ("Prêt ? Oui ! Bien ; fini.", f"Prêt{NB}? Oui{NB}! Bien{NB}; fini."),
    ("Prêt? Oui!", f"Prêt{NB}? Oui{NB}!"),
    ("« Bonjour »", f"«{NB}Bonjour{NB}»"),
    ("«Bonjour»", f"«{NB}Bonjour{NB}»"),
    ("**Cible** : x", f"**Cible**{NA}: x"),
    ("Voir `a ; b` ; ensuite", f"Voir `a ; b`{NB}; ensuite"),
    ("```python\nd = {'a' : 1} ?\n```\nFin !", f"```python\nd = {{'a' : 1}} ?\n```\nFin{NB}!"),
    ("Lien https://ex.org/?q=1&r=2 !", f"Lien https://ex.org/?q=1&r=2{NB}!"),
    ("Rendez-vous à 12:00 ou 9h30", "Rendez-vous à 12:00 ou 9h30"),
    ("Note: clé:valeur", "Note: clé:valeur"),  # a colon glued to a word is often code
    ("| a | b |\n| :--- | ---: |\n| x : y | z |", f"| a | b |\n| :--- | ---: |\n| x{NA}: y | z |"),
    ("<span style='color : red'>x</span> ?", f"<span style='color : red'>x</span>{NB}?"),
    ("$a : b$ et $$x ; y$$ !", f"$a : b$ et $$x ; y$${NB}!"),
    ("Qu'en pensez-vous ?!", f"Qu'en pensez-vous{NB}?!"),
])
def test_typographie(text, expected):
    assert typographie(text) == expected
    assert typographie(expected) == expected  # idempotent
    assert defauts_typographiques(expected) == []


def test_faults_are_reported_with_their_place():
    found = defauts_typographiques("Bonjour : voici « un test » ok")
    assert len(found) == 3 and "Bonjour :" in found[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_markdown_cell_follows_french_typography(path):
    nb = nbformat.read(path, as_version=4)
    faults = [
        f"cellule {i} : …{fault}…"
        for i, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "markdown"
        for fault in defauts_typographiques(cell.source)
    ]
    assert not faults, (
        f"{path.relative_to(ROOT)} : espaces non insécables manquants, lancez "
        "`atelier notebooks sync` ou `python tools/typographie.py` :\n" + "\n".join(faults[:10])
    )


def _literals(source: str):
    """(line, text) of every string literal but docstrings; f-string fields shown as X."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                body[0].value, ast.Constant):
            docstrings.add(id(body[0].value))
    inner = set()
    for node in ast.walk(tree):
        segment = ast.get_source_segment(source, node) if isinstance(
            node, ast.JoinedStr | ast.Constant) else None
        if segment and segment[:3].lower().lstrip("f").startswith(("r", "b")):
            docstrings.add(id(node))  # regular expressions and bytes are not prose
            if isinstance(node, ast.JoinedStr):
                inner.update(id(v) for v in node.values)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in docstrings:
            text = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
            inner.update(id(v) for v in node.values)
            yield node.lineno, text
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings and id(node) not in inner):
            yield node.lineno, node.value


@pytest.mark.parametrize("path", WIDGET_SOURCES, ids=lambda p: p.name)
def test_every_widget_string_follows_french_typography(path):
    faults = [
        f"ligne {line} : {fault!r}"
        for line, text in _literals(path.read_text(encoding="utf-8"))
        for fault in defauts_typographiques(text)
    ]
    assert not faults, f"{path.name} (python tools/typographie.py le corrige) :\n" + "\n".join(
        faults[:10])


def test_the_fixer_tool_has_nothing_left_to_do():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import typographie as tool
    finally:
        sys.path.pop(0)
    assert tool.main(["--check"]) == 0
    fixed = tool.fix_python('x = f"Manche {n} : {t.split(\' : \')} ?"\n')
    assert fixed == f'x = f"Manche {{n}}{NA}: {{t.split(\' : \')}}{NB}?"\n'  # code kept


@pytest.mark.parametrize(("locale", "expected"), [("fr_FR", f"1{NB}234,5"), ("fr_CH", "1'234,5")])
def test_numbers_follow_the_locale(locale, expected):
    assert nombre(1234.5, locale=locale) == expected


@pytest.mark.parametrize("value", [1234567, 4545000, -2500000, 1234567890.25])
def test_swiss_numbers_of_a_million_and_more_keep_every_separator(value):
    """Babel unquotes « '…' » pairs in its output: millions lost their Swiss apostrophes."""
    from babel import Locale

    text = nombre(value, 2, locale="fr_CH")
    group = Locale.parse("fr_CH").number_symbols["latn"]["group"]
    whole = f"{abs(int(value)):,}".replace(",", group)
    assert text == ("-" if value < 0 else "") + whole + "," + f"{abs(value) % 1:.2f}"[2:]
    assert montant(value, "CHF", locale="fr_CH").startswith(text.split(",")[0])
    assert pourcentage(value / 100, 0, locale="fr_CH").startswith(text.split(",")[0])


def test_numbers_never_show_none_or_a_float_repr():
    assert nombre(30.0, locale="fr_FR") == "30"
    assert nombre(None) == "—" and nombre(float("nan")) == "—"
    assert nombre(2.5, 2, locale="fr_FR") == "2,50"


def test_percentages():
    assert pourcentage(0.182, locale="fr_FR") == f"18,2{NB}%"
    assert pourcentage(0.5, 0, locale="fr_CH") == f"50{NB}%"
    assert pourcentage(0.12345, 2, locale="fr_FR") == f"12,35{NB}%"  # halves round up
    assert pourcentage(None) == "—"


@pytest.mark.parametrize(("value", "currency", "expected"), [
    (0.0006, "CHF", f"0,0006{NA}CHF"),
    (0.0006, "EUR", f"0,0006{NA}€"),
    (12.5, "EUR", f"12,50{NA}€"),
    (0.042, "USD", f"0,042{NA}USD"),  # never a bare « $ »
])
def test_amounts(value, currency, expected):
    assert montant(value, currency, locale="fr_FR") == expected


def test_the_cost_badge_uses_the_course_locale(monkeypatch):
    from toolkit.config import settings
    from toolkit.llm.answer import format_cost

    monkeypatch.setenv("ATELIER_LOCALE", "fr-fr")
    assert settings().locale == "fr_FR"
    text = format_cost(1234.5, "EUR")
    assert text == f"≈{NA}1{NB}234,50{NA}€"
    assert "$" not in format_cost(0.0006, "USD") and "." not in format_cost(0.0006, "USD")


def test_an_unknown_locale_is_a_french_config_error(monkeypatch):
    from toolkit.config import settings
    from toolkit.errors import ConfigError

    monkeypatch.setenv("ATELIER_LOCALE", "de_DE")
    with pytest.raises(ConfigError, match="ATELIER_LOCALE"):
        settings()
