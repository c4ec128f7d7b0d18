"""The participant's side of clean grading, inside the grading kernel: serves data to the judge.

At each graded test cell's place, :class:`toolkit.grading.execute.GuardedExecute` does not
run the test in the kernel; it evaluates :func:`reply` there (as an IPython user expression)
for each request of the judge (:mod:`toolkit.grading._judge`): the values of the names the
test reads (data only) and the results of calls to the participant's functions. Everything
here runs in the participant's interpreter and may have been rewritten by the participant's
code; the judge trusts none of it beyond its data.
"""

from __future__ import annotations

import base64
import builtins
import json
import signal
import sys

from toolkit.grading._wire import Unencodable, WireError, decode, encode

#: Names IPython puts in every namespace: never the participant's answers.
_SHELL_NAMES = {"In", "Out", "get_ipython", "exit", "quit"}


class CellTimeout(Exception):
    """A call to the participant's function ran past its time limit."""


def _alarm(_signum, _frame):
    raise CellTimeout("délai dépassé")


def _describe(ns: dict, name: str) -> dict:
    if name not in ns or name.startswith("_") or name in _SHELL_NAMES:
        return {"kind": "missing"}
    value = ns[name]
    try:
        return {"kind": "data", "value": encode(value)}
    except Unencodable:
        pass
    if callable(value) and not isinstance(value, type(sys)):
        return {"kind": "function"}
    return {"kind": "other", "type": type(value).__name__}


def _exception(exc: BaseException) -> dict:
    builtin = [c.__name__ for c in type(exc).__mro__
               if getattr(builtins, c.__name__, None) is c]
    return {"kind": "raised", "type": type(exc).__name__, "builtin": builtin,
            "message": str(exc)[:2000]}


def _call(ns: dict, name: str, args: object, timeout: int) -> dict:
    function = ns.get(name)
    if not callable(function):
        return _exception(NameError(name))
    try:
        values = decode(args)
    except WireError as exc:
        return _exception(TypeError(str(exc)))
    if not isinstance(values, list):
        return _exception(TypeError("arguments"))
    try:  # the kernel runs user expressions in its main thread; if not, the grader's limit
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
    except ValueError:
        previous = None
    try:
        result = function(*values)
    except BaseException as exc:  # noqa: BLE001 - the participant's code may raise anything
        return _exception(exc)
    finally:
        if previous is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    try:
        return {"kind": "data", "value": encode(result)}
    except Unencodable:
        return {"kind": "other", "type": type(result).__name__, "repr": repr(result)[:300]}


def answer(ns: dict, request: dict, timeout: int) -> dict:
    """The reply to one request of the judge (``get`` names or ``call`` a function)."""
    if "get" in request and isinstance(request["get"], list):
        return {"values": {n: _describe(ns, n) for n in request["get"] if isinstance(n, str)}}
    if "call" in request and isinstance(request["call"], str):
        return _call(ns, request["call"], request.get("args", []), timeout)
    return {"kind": "raised", "type": "ValueError", "builtin": ["ValueError"],
            "message": "requête inconnue"}


def reply(ns: dict, payload: str, timeout: int = 30) -> str:
    """:func:`answer` for a base64 JSON request, as base64 JSON (ASCII: one plain literal)."""
    request = json.loads(base64.b64decode(payload))
    message = answer(ns, request if isinstance(request, dict) else {}, int(timeout))
    return base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")).decode(
        "ascii")
