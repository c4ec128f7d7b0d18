"""PEP 562 lazy exports for the toolkit's packages: names resolve on first use, not on import."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any


class _Package(types.ModuleType):
    """A package exporting a function named like the submodule that defines it.

    Importing ``toolkit.grading.release`` makes the import system bind the package's
    ``release`` attribute to that submodule, which would shadow the ``release`` function
    for every later ``from toolkit.grading import release``.  The binding is turned into
    the function; the submodule stays reachable through ``sys.modules`` and ``from
    toolkit.grading.release import ...`` (not ``import toolkit.grading.release as m``, which
    reads the attribute).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if (isinstance(value, types.ModuleType) and name in self.__dict__["_SAME_NAME"]
                and value.__name__ == f"{self.__name__}.{name}"):
            value = getattr(value, name)
        super().__setattr__(name, value)


def lazy_exports(
    package: str, names: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for *package*, whose public *names* map to submodules.

    Submodules (``toolkit.grading.course``) are reachable as attributes too, as they were when
    the package imported them eagerly.  A resolved name is stored in *namespace* (the
    package's globals), so it costs one dictionary look-up afterwards.  A name exported by
    the submodule of the same name stays the exported object (see :class:`_Package`).
    """

    same_name = frozenset(n for n, module in names.items() if module == f"{package}.{n}")
    if same_name:
        namespace["_SAME_NAME"] = same_name
        sys.modules[package].__class__ = _Package

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module), name)
            namespace[name] = value
            return value
        if not name.startswith("_"):
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__


def by_module(modules: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``{name: module}`` for :func:`lazy_exports`, from the compact ``{module: names}``.

    A package declares each submodule once with the names it exports, the same grouping as
    its ``TYPE_CHECKING`` imports; a name exported twice is a mistake and raises.
    """
    names: dict[str, str] = {}
    for module, exported in modules.items():
        for name in exported:
            if name in names:
                raise ValueError(f"{name!r} is exported by {names[name]} and {module}")
            names[name] = module
    return names


def lazy_package(
    namespace: dict[str, Any], modules: Mapping[str, tuple[str, ...]], local: tuple[str, ...] = ()
) -> None:
    """Make the package whose globals are *namespace* export *modules*' names on first use.

    *modules* is ``{submodule: names}`` (see :func:`by_module`); *local* names the package's
    own definitions.  Sets the package's ``_LAZY``, ``__all__`` (sorted) and the PEP 562
    ``__getattr__`` and ``__dir__``, so every package declares its exports once.  Type
    checkers see the names through the package's ``if TYPE_CHECKING:`` imports, written
    ``import X as X`` (the explicit re-export form).
    """
    names = by_module(modules)
    namespace["_LAZY"] = names
    namespace["__all__"] = sorted({*names, *local})
    namespace["__getattr__"], namespace["__dir__"] = lazy_exports(
        namespace["__name__"], names, namespace)
