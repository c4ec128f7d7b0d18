"""The participant's side of clean grading: runs the answer cells, then serves data.

Started in its own sandbox by :mod:`toolkit.grading.judge`. It reads its plan (the code
cells of the submission in order, test cells left out) as JSON on stdin, runs the cells in
an IPython shell, and at each test cell's place answers the judge on file descriptors
given in ``argv``: the values of the names asked for (data only) and the results of calls
to the participant's functions. Everything here may have been rewritten by the participant's
code; the judge trusts none of it beyond its data.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import signal
import sys

from toolkit.grading._wire import Channel, Unencodable, WireError, encode

#: Names IPython puts in every namespace: never the participant's answers.
_SHELL_NAMES = {"In", "Out", "get_ipython", "exit", "quit"}


class CellTimeout(Exception):
    """A cell or a call ran past its time limit."""


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


def _call(ns: dict, name: str, args: list, timeout: int) -> dict:
    from toolkit.grading._wire import decode

    function = ns.get(name)
    if not callable(function):
        return _exception(NameError(name))
    try:
        values = decode(args)
    except WireError as exc:
        return _exception(TypeError(str(exc)))
    if not isinstance(values, list):
        return _exception(TypeError("arguments"))
    signal.alarm(timeout)
    try:
        result = function(*values)
    except BaseException as exc:  # noqa: BLE001 - the participant's code may raise anything
        return _exception(exc)
    finally:
        signal.alarm(0)
    try:
        return {"kind": "data", "value": encode(result)}
    except Unencodable:
        return {"kind": "other", "type": type(result).__name__, "repr": repr(result)[:300]}


def _serve(channel: Channel, ns: dict, timeout: int) -> bool:
    """Answer the judge until it says ``resume``; False when the judge is gone."""
    while True:
        try:
            request = channel.receive(timeout=3600)
        except WireError:
            return False
        if "get" in request:
            channel.send({"values": {n: _describe(ns, n) for n in request["get"]
                                     if isinstance(n, str)}})
        elif "call" in request:
            channel.send(_call(ns, request["call"], request.get("args", []), timeout))
        else:
            return True


def main(argv: list[str]) -> None:
    read_fd, write_fd = int(argv[1]), int(argv[2])
    plan = json.load(sys.stdin)
    timeout = int(plan.get("timeout", 30))
    channel = Channel(read_fd, write_fd)
    # IPython wants a writable home (the sandbox's /tmp is a fresh tmpfs).
    with contextlib.suppress(OSError):
        os.makedirs(os.environ.get("IPYTHONDIR", "/tmp/home/.ipython"), exist_ok=True)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    signal.signal(signal.SIGALRM, _alarm)
    for step in plan["cells"]:
        if "pause" in step:
            try:
                channel.send({"paused": step["pause"]})
            except WireError:
                return
            if not _serve(channel, shell.user_ns, timeout):
                return
            continue
        signal.alarm(timeout)
        # A cell that escapes run_cell (an alarm between two statements) ends only itself.
        with contextlib.suppress(BaseException):
            shell.run_cell(step["run"], store_history=False, silent=True)
        signal.alarm(0)


if __name__ == "__main__":  # pragma: no cover - run in its sandbox
    main(sys.argv)
