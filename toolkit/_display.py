"""What the toolkit's result objects share for display in a notebook."""

from __future__ import annotations


class ShowsStr:
    """Mixin: IPython's pretty printer shows the object's ``str``, its French summary.

    Without it a notebook cell ending with a result would show the dataclass ``repr``;
    ``_repr_html_``, where a class has one, still wins in JupyterLab.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # IPython takes the first class of the MRO whose own __dict__ holds _repr_pretty_ or
        # __repr__, and @dataclass writes a __repr__ into every subclass: so each one gets
        # the method in its own __dict__ (a subclass's own _repr_pretty_ still wins).
        if "_repr_pretty_" not in cls.__dict__:
            cls._repr_pretty_ = ShowsStr._repr_pretty_  # type: ignore[method-assign]

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))
