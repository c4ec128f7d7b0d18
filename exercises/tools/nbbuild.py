"""Tiny builder for the exercise source notebooks: cells with nbgrader metadata, no outputs.

The source notebooks in ``exercises/source/`` are generated from the ``exNN_*.py`` content
modules by ``build_sources.py``; edit the content modules, never the notebooks by hand.
"""

from __future__ import annotations

import textwrap

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class Notebook:
    """Collects cells for one exercise; ``prefix`` makes every grade_id unique in the course."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.cells: list = []
        self._count = 0

    def _id(self, kind: str) -> str:
        self._count += 1
        return f"{self.prefix}-{kind}-{self._count:02d}"

    @staticmethod
    def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None, task=False):
        meta = {
            "grade": grade,
            "grade_id": grade_id,
            "locked": locked,
            "schema_version": 3,
            "solution": solution,
            "task": task,
        }
        if points is not None:
            meta["points"] = points
        return {"nbgrader": meta}

    def md(self, text: str) -> None:
        """A read-only markdown cell (instructions)."""
        gid = self._id("consigne")
        cell = nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip("\n"))
        cell.metadata = self._meta(gid, locked=True)
        cell.id = gid
        self.cells.append(cell)

    def code(self, src: str) -> None:
        """A read-only code cell (setup, data, non-graded demonstration)."""
        gid = self._id("code")
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip("\n"))
        cell.metadata = self._meta(gid, locked=True)
        cell.id = gid
        self.cells.append(cell)

    def free(self, src: str) -> None:
        """An ordinary code cell, free to edit and not graded (playground, live model)."""
        gid = self._id("libre")
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip("\n"))
        cell.id = gid
        self.cells.append(cell)

    def answer(self, name: str, src: str) -> None:
        """The cell the participant edits (### BEGIN/END SOLUTION inside)."""
        gid = f"{self.prefix}-{name}"
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip("\n"))
        cell.metadata = self._meta(gid, solution=True)
        cell.id = gid
        self.cells.append(cell)

    def test(self, name: str, points: int, src: str) -> None:
        """An autograded test cell worth ``points`` (may hold hidden tests)."""
        gid = f"{self.prefix}-{name}"
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip("\n"))
        cell.metadata = self._meta(gid, grade=True, locked=True, points=points)
        cell.id = gid
        self.cells.append(cell)

    def manual(self, name: str, points: int, question: str, solution: str) -> None:
        """A question (read-only) followed by a manually graded free-text answer cell."""
        self.md(question)
        gid = f"{self.prefix}-{name}"
        cell = nbformat.v4.new_markdown_cell(textwrap.dedent(solution).strip("\n"))
        cell.metadata = self._meta(gid, grade=True, solution=True, points=points)
        cell.id = gid
        self.cells.append(cell)

    def build(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = self.cells
        nb.metadata = {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
        }
        nb.nbformat, nb.nbformat_minor = 4, 5
        return nb

    @property
    def points(self) -> int:
        return sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in self.cells)


def header(nb: Notebook, title: str, minutes: int, level: str, objectives: list[str]) -> None:
    """Title, duration, level, objectives and the how-to shared by every exercise."""
    goals = "\n".join(f"- {o}" for o in objectives)
    nb.md(
        f"""
        # {title}

        **Durée :** environ {minutes} minutes · **Niveau visé :** {level} · **Points :** {{points}}

        **Objectifs**

        {goals}

        **Mode d'emploi**

        1. Lisez les consignes, puis exécutez les cellules dans l'ordre (Maj + Entrée).
        2. Modifiez uniquement les cellules marquées ✏️ : remplacez la ligne
           `# ✏️ VOTRE RÉPONSE ICI` par votre réponse.
        3. Exécutez la cellule de vérification ✅ qui suit : elle affiche un conseil si quelque
           chose manque. D'autres vérifications, cachées, compteront à la correction.
        4. La réponse du modèle de langage, quand vous la demandez, n'est jamais notée : elle
           sert seulement à voir l'effet de votre prompt.
        """.replace("\n        ", "\n")
    )
    nb.code(
        """
        import toolkit
        from toolkit.prompts import analyse
        from toolkit.prompts.checks import (
            verifier_contient,
            verifier_egal,
            verifier_fonction,
            verifier_prompt,
        )
        """
    )


def finish(nb: Notebook) -> Notebook:
    """Fill in the total points announced in the header."""
    first = nb.cells[0]
    first.source = first.source.replace("{points}", str(nb.points))
    return nb
