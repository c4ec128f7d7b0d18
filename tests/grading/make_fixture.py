"""Regenerate the tiny nbgrader fixture course.

Run by hand: python tests/grading/make_fixture.py
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent / "fixtures" / "course"


def nbg(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def main():
    cells = [
        new_markdown_cell("# Exercice de démonstration\n\nÉcrivez les deux fonctions.",
                          metadata=nbg("intro", locked=True)),
        new_code_cell("def carre(x):\n    ### BEGIN SOLUTION\n    return x * x\n"
                      "    ### END SOLUTION", metadata=nbg("carre", solution=True)),
        new_code_cell('assert carre(3) == 9, "carre(3) doit valoir 9"\n'
                      "### BEGIN HIDDEN TESTS\n"
                      'assert carre(-7) == 49, "verification_cachee_zq"\n'
                      "assert carre(11) == 121  # ligne_secrete_4242\n"
                      "### END HIDDEN TESTS",
                      metadata=nbg("test_carre", grade=True, locked=True, points=2)),
        new_code_cell('def saluer(nom):\n    ### BEGIN SOLUTION\n    return f"Bonjour {nom} !"\n'
                      "    ### END SOLUTION", metadata=nbg("saluer", solution=True)),
        new_code_cell('assert saluer("Ada") == "Bonjour Ada !"',
                      metadata=nbg("test_saluer", grade=True, locked=True, points=1)),
        new_markdown_cell("Pourquoi vérifier une réponse de l'IA ?",
                          metadata=nbg("question_reflexion", locked=True)),
        new_markdown_cell("Parce qu'un modèle peut inventer des faits.",
                          metadata=nbg("reflexion", grade=True, solution=True, points=1)),
    ]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.write(nb, HERE / "source" / "01-demo" / "01-demo.ipynb")


if __name__ == "__main__":
    main()
