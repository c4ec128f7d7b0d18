"""French explanations of Python errors in a real kernel (nbclient), and of each error class."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from toolkit.course.erreurs import expliquer
from toolkit.errors import InputError

# (cell, French title expected, a word of the explanation)
MISTAKES = [
    ('ma_demande = "Rédige un courriel', "Guillemet manquant", '"'),
    ('texte = """Bonjour\nla suite', "Guillemet manquant", '"""'),
    ("print(ma_demande)", "Nom inconnu", "exécutez d'abord la cellule qui définit"),
    ("print(len('abc')", "Parenthèse non fermée", "(\u202f»"),
    ("x = [1, 2", "Parenthèse non fermée", "[\u202f»"),
    ("print('a'))", "Parenthèse en trop", ")\u202f»"),
    ("if True:\nprint('x')", "Décalage de ligne incorrect", "ligne 2"),
    ("def f(a, b):\n    return a + b\nf(1)", "Il manque une valeur", "«\u202fb\u202f»"),
    ("def g(a):\n    return a\ng(1, 2)", "Trop de valeurs", "en a reçu 2"),
    ("print('x', couleur='bleu')", "Option inconnue", "couleur"),
    ("d = {'nom': 'Ada'}\nd['prenom']", "Clé absente", "prenom"),
    ("open('donnees-absentes.csv')", "Fichier introuvable", "donnees-absentes.csv"),
    ("import pandasx", "Module absent", "pandasx"),
    ("longueur = 3\nprint(longeur)", "Nom inconnu", "vouliez-vous écrire «\u202flongueur\u202f»"),
]


@pytest.fixture(scope="module")
def executed():
    cells = ["import toolkit"] + [c for c, _, _ in MISTAKES] + [
        "from toolkit.errors import InputError\n"
        "raise InputError('Le fichier enquete.csv est vide.', 'Exportez-le à nouveau.')",
        "1 / 0",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, allow_errors=True, timeout=120, kernel_name="python3").execute()
    return nb.cells


@pytest.mark.parametrize(("index", "case"), list(enumerate(MISTAKES, start=1)),
                         ids=[m[1] for m in MISTAKES])
def test_usual_mistakes_are_explained_in_french(executed, index, case):
    _, title, word = case
    outputs = executed[index].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    errors = [o for o in outputs if o.output_type == "error"]
    assert len(shown) == 1 and len(errors) == 1, outputs  # the cell still stops (and is graded so)
    text = shown[0].data["text/plain"]
    assert text.startswith(title), text
    assert word in text and "→ Que faire\u00a0:" in text
    # the original stays available, folded, for the trainer
    page = shown[0].data["text/html"]
    assert "<details" in page and errors[0].ename in page
    # no traceback wall: one short French line in the error output itself
    assert len(errors[0].traceback) == 1
    assert "Traceback" not in errors[0].traceback[0] and "la cellule s'est arrêtée" in (
        errors[0].traceback[0])


def test_toolkit_errors_are_shown_once(executed):
    outputs = executed[len(MISTAKES) + 1].outputs
    assert [o.output_type for o in outputs] == ["error"]
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(outputs[0].traceback))
    assert text.count("Le fichier enquete.csv est vide.") == 1
    assert "Traceback" not in text and "Exportez-le à nouveau." in text


def test_other_errors_keep_the_python_display(executed):
    (error,) = executed[len(MISTAKES) + 2].outputs
    assert error.ename == "ZeroDivisionError" and len(error.traceback) > 1


def _raised(code: str) -> BaseException:
    try:
        exec(compile(code, "<cell>", "exec"), {})
    except Exception as exc:  # noqa: BLE001 (the point is to catch what the cell raises)
        return exc
    raise AssertionError("no error raised")


@pytest.mark.parametrize(("code", "title"), [
    ('x = "abc', "Guillemet manquant"),
    ("x = (1,\n2", "Parenthèse non fermée"),
    ("x = 1)", "Parenthèse en trop"),
    ("x = = 1", "Python ne comprend pas la ligne"),
    ("  x = 1", "Décalage de ligne incorrect"),
    ("len()", "Il manque une valeur"),
    ("x = 3\nx()", "Ce n'est pas une fonction"),
])
def test_explanations_outside_a_kernel(code, title):
    explication = expliquer(_raised(code))
    assert explication is not None and explication.titre.startswith(title)
    assert not re.search(r"\b(?:the|was|never|missing|object)\b", explication.text())


def test_unknown_errors_and_toolkit_errors_are_not_rewritten():
    assert expliquer(ZeroDivisionError("division by zero")) is None
    assert expliquer(TypeError("unsupported operand type(s) for +: 'int' and 'str'")) is None
    assert expliquer(InputError("x", "y")) is None
