"""What the toolkit's result objects share for display in a notebook."""

from __future__ import annotations


class ShowsStr:
    """Mixin: IPython's pretty printer shows the object's ``str``, its French summary.

    Without it a notebook cell ending with a result would show the dataclass ``repr``;
    ``_repr_html_``, where a class has one, still wins in JupyterLab.
    """

    __slots__ = ()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))
