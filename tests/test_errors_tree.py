"""toolkit/errors.py holds the whole exception tree, drawn in its docstring."""

from __future__ import annotations

import re

import toolkit.errors as errors


def _classes():
    return {name: obj for name, obj in vars(errors).items()
            if isinstance(obj, type) and issubclass(obj, errors.AtelierError)}


def test_every_error_class_is_drawn_at_its_place_in_the_tree():
    drawn = {}
    for line in errors.__doc__.splitlines():
        m = re.match(r"^\s{4}((?:[│ ]   )*)(?:[├└]── )?([A-Z]\w+)\b", line)
        if m and m.group(2) in _classes():
            drawn[m.group(2)] = len(m.group(1)) // 4 + (0 if m.group(2) == "AtelierError" else 1)
    assert set(drawn) == set(_classes())
    for name, cls in _classes().items():
        assert drawn[name] == len(cls.__mro__) - 4, name  # depth below AtelierError
    assert set(errors.__all__) == set(_classes())


def test_moved_errors_keep_their_old_import_paths():
    from toolkit.hub.api import HubAPIError
    from toolkit.publish import ReleaseRefused as from_package
    from toolkit.publish.release import ReleaseRefused

    assert HubAPIError is errors.HubAPIError and issubclass(HubAPIError, errors.ConfigError)
    assert ReleaseRefused is from_package is errors.ReleaseRefused
    refused = ReleaseRefused([f"a{i}.ipynb" for i in range(17)], "Corrigez.")
    assert "a0.ipynb" in str(refused) and "… et 2 autres problèmes" in str(refused)
    assert refused.problems[-1] == "a16.ipynb" and isinstance(refused, errors.InputError)
