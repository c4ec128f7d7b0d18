"""The course's own preprocessors, beside nbgrader's and nbconvert's in :mod:`.pipeline`."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

from toolkit.errors import InputError
from toolkit.publish.pipeline import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    cell_label,
)


class CheckRegions(Preprocessor):
    """Refuse a notebook whose solution or hidden-test regions are unclosed, nested or stray.

    nbgrader raises a bare ``RuntimeError`` without the cell; this names the notebook and the
    cell in French before nbgrader's own preprocessors run.
    """

    begin_solution = Unicode(BEGIN_SOLUTION, help="Start of a solution region").tag(config=True)
    end_solution = Unicode(END_SOLUTION, help="End of a solution region").tag(config=True)
    begin_hidden = Unicode(BEGIN_HIDDEN, help="Start of a hidden-test region").tag(config=True)
    end_hidden = Unicode(END_HIDDEN, help="End of a hidden-test region").tag(config=True)

    def preprocess(self, nb, resources):
        rel = resources.get("atelier", {}).get("rel", "notebook")
        for i, cell in enumerate(nb.cells):
            where = f"{rel}, {cell_label(nb, i)}"
            self._check(cell.source, self.begin_solution, self.end_solution, where)
            self._check(cell.source, self.begin_hidden, self.end_hidden, where)
        return nb, resources

    @staticmethod
    def _check(source: str, begin: str, end: str, where: str) -> None:
        inside = False
        for line in source.split("\n"):
            if begin in line:
                if inside:
                    raise InputError(
                        f"{where} : « ### {begin} » apparaît deux fois sans « ### {end} » "
                        "entre les deux.",
                        f"Fermez la première zone par « ### {end} ».",
                    )
                inside = True
            elif end in line:
                if not inside:
                    raise InputError(
                        f"{where} : « ### {end} » sans « ### {begin} » avant.",
                        f"Ajoutez « ### {begin} » au début de la zone ou retirez cette ligne.",
                    )
                inside = False
        if inside:
            raise InputError(
                f"{where} : la zone « ### {begin} » n'est pas fermée.",
                f"Ajoutez « ### {end} » à la fin de la zone.",
            )


class StampHeader(Preprocessor):
    """Regenerate the header cell from ``curriculum.yml`` and record the course version.

    Notebooks the manifest lists get their header cell (as ``atelier notebooks sync`` writes
    it); every notebook gets ``metadata.atelier.version``. Without a manifest nothing changes.
    """

    def preprocess(self, nb, resources):
        from toolkit.course.curriculum import apply_header, header_target

        info = resources.get("atelier", {})
        cur = info.get("curriculum")
        if cur is None:
            return nb, resources
        target = header_target(cur, info.get("rel") or "")
        if target is not None:
            apply_header(nb, *target)
        else:
            nb.metadata["atelier"] = {**(nb.metadata.get("atelier") or {}),
                                      "version": cur.version}
        return nb, resources


class ClearWidgetState(Preprocessor):
    """Drop saved widget state: it is an output too, and may hold a participant's answers."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return nb, resources
