"""The clean judge: a fresh interpreter that runs the trainer's test cells on the answers.

A server started once per grading process in its own sandbox by :mod:`toolkit.grading.judge`
forks one judge per notebook (:func:`serve_forks`); neither ever runs participant code. A
judge's plan lists the trainer's locked cells and graded test cells, taken from the
gradebook, in the submission's order. Before each test it asks the grading kernel (through
the grader, :mod:`toolkit.grading._serve` in the kernel) for the names the test reads: data
values are bound as they are; the participant's functions become proxies whose calls run in
the kernel and return data. Names bound by the trainer's cells are never taken from the
participant. The verdicts are written as JSON on a pipe.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import sys

from toolkit.grading._wire import Channel, WireError, decode, encode

#: Text kept of what a test cell prints.
MAX_STDOUT = 10_000


class _Opaque:
    """A value the participant's function returned that is not data: equal to nothing."""

    def __init__(self, text: str):
        self._text = text

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return self._text


class NotData(AssertionError):
    """A name the test reads holds something the grader cannot read (not plain data)."""


def _error_class(reply: dict) -> type[BaseException]:
    """The builtin exception the participant's function raised (its closest builtin base)."""
    for name in reply.get("builtin", []):
        cls = getattr(builtins, str(name), None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            if name == reply.get("type"):
                return cls
            return type(str(reply.get("type", name)), (cls,), {})
    return type(str(reply.get("type", "Erreur")), (RuntimeError,), {})


class Answers:
    """The participant's kernel, seen through the channel; ``None`` channel: nothing answers."""

    def __init__(self, channel: Channel | None, timeout: float):
        self.channel, self.timeout = channel, timeout

    def _ask(self, message: dict, timeout: float | None = None) -> dict:
        if self.channel is None or self.channel.dead:
            raise WireError("nothing answers")
        self.channel.send(message)
        return self.channel.receive(timeout or self.timeout)

    def wait_pause(self, index: int, timeout: float) -> bool:
        if self.channel is None or self.channel.dead:
            return False
        try:
            reply = self.channel.receive(timeout)
        except WireError:
            return False
        return reply.get("paused") == index

    def resume(self) -> None:
        with contextlib.suppress(WireError):
            if self.channel is not None and not self.channel.dead:
                self.channel.send({"resume": True})

    def values(self, names: list[str]) -> dict[str, dict]:
        try:
            reply = self._ask({"get": names}).get("values")
        except WireError:
            return {}
        return reply if isinstance(reply, dict) else {}

    def proxy(self, name: str):
        answers = self

        def call(*args):
            try:
                sent = encode(list(args))
            except Exception as exc:  # noqa: BLE001 - a test passing something not data
                raise TypeError(f"argument non transmissible : {exc}") from None
            try:
                reply = answers._ask({"call": name, "args": sent})
            except WireError:
                raise TimeoutError(f"{name}() n'a pas répondu à temps") from None
            if reply.get("kind") == "data":
                try:
                    return decode(reply.get("value"))
                except WireError:
                    return _Opaque("<valeur illisible>")
            if reply.get("kind") == "raised":
                raise _error_class(reply)(str(reply.get("message", ""))[:2000])
            return _Opaque(str(reply.get("repr", "<objet>"))[:300])

        call.__name__ = call.__qualname__ = name
        return call


def names_read(source: str) -> list[str]:
    """Names a cell reads (its globals, at any depth), in order of first use."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            seen.setdefault(node.id, None)
    return list(seen)


def _run(source: str, ns: dict, filename: str) -> tuple[object, str]:
    """Run a cell like IPython (the last expression is its value); returns (value, stdout)."""
    tree = ast.parse(source, filename)
    last = None
    tail = tree.body[-1] if tree.body else None
    if isinstance(tail, ast.Expr):
        tree.body.pop()
        last = ast.Expression(tail.value)
    out = io.StringIO()
    value = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(tree, filename, "exec"), ns)  # the trainer's own cell
        if last is not None:
            value = eval(compile(last, filename, "eval"), ns)
    return value, out.getvalue()


def _line(exc: BaseException, filename: str) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    return line


def judge(plan: dict, answers: Answers) -> list[dict]:
    """Run the plan's steps; one verdict per test step."""
    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    protected = set(dir(builtins))
    fetched: set[str] = set()
    verdicts = []
    for step in plan["steps"]:
        source = step["source"]
        if step["kind"] == "trusted":
            before = dict(ns)
            with contextlib.suppress(Exception):
                _run(source, ns, "<cellule verrouillée>")
            protected |= {k for k in ns if k not in before or ns[k] is not before[k]}
            continue
        index = step["index"]
        for name in fetched:
            ns.pop(name, None)
        fetched, unreadable = set(), {}
        if answers.wait_pause(index, step.get("wait", answers.timeout)):
            wanted = [n for n in names_read(source) if n not in protected]
            for name, info in answers.values(wanted).items():
                if name not in wanted or not isinstance(info, dict):
                    continue
                if info.get("kind") == "data":
                    try:
                        ns[name] = decode(info.get("value"))
                    except WireError:
                        unreadable[name] = "valeur illisible"
                        continue
                elif info.get("kind") == "function":
                    ns[name] = answers.proxy(name)
                elif info.get("kind") == "other":
                    unreadable[name] = str(info.get("type", "objet"))
                    continue
                else:
                    continue
                fetched.add(name)
        before = dict(ns)
        filename = f"<test {index}>"
        verdict: dict = {"index": index, "ok": True, "stdout": ""}
        try:
            value, verdict["stdout"] = _run(source, ns, filename)
            if type(value) in (int, float):
                verdict["value"] = value
        except BaseException as exc:  # noqa: BLE001 - any failure of the test is a verdict
            missing = exc.name if isinstance(exc, NameError) else None
            if missing is not None and missing in unreadable:
                exc = NotData(
                    f"{missing} n'est pas une valeur simple (c'est un objet "
                    f"« {unreadable[missing]} ») : la correction lit seulement du texte, des "
                    "nombres, des listes, des ensembles et des dictionnaires.")
            verdict.update(ok=False, ename=type(exc).__name__, evalue=str(exc)[:2000],
                           line=_line(exc, filename))
        verdict["stdout"] = verdict["stdout"][:MAX_STDOUT]
        verdicts.append(verdict)
        changed = {k for k in ns if k not in before or ns[k] is not before[k]}
        protected |= changed
        fetched -= changed
        answers.resume()
    return verdicts


def _judge_child(plan_fd: int, read_fd: int, write_fd: int, result_fd: int) -> None:
    """One notebook's judge, in a fresh fork of the server: plan in, verdicts out."""
    with os.fdopen(plan_fd, "rb") as stream:
        plan = json.loads(stream.read())
    verdicts = judge(plan, Answers(Channel(read_fd, write_fd), float(plan.get("timeout", 30))))
    with os.fdopen(result_fd, "w", encoding="utf-8") as stream:
        json.dump({"verdicts": verdicts}, stream, ensure_ascii=False)


def serve_forks(control_fd: int) -> None:
    """The judge server: imports the trainer's modules once, then forks one judge per notebook.

    Requests come on a ``SOCK_SEQPACKET`` socket: ``{"token": n, "preload": [...]}`` with four
    file descriptors (plan, channel in, channel out, verdicts), or ``{"kill": n}``. The
    server itself runs no plan and sees no participant data: every notebook is judged by a
    fork that starts from the same clean state and ends with its notebook.
    """
    import importlib
    import signal
    import socket

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    control = socket.socket(fileno=control_fd)
    children: dict[int, int] = {}
    while True:
        try:
            data, fds, _flags, _address = socket.recv_fds(control, 1 << 16, 4)
        except OSError:
            return
        if not data:
            return  # the grader is gone
        try:
            request = json.loads(data)
        except ValueError:
            request = {}
        if "kill" in request:
            pid = children.pop(request["kill"], None)
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        elif len(fds) == 4 and isinstance(request.get("token"), int):
            for module in request.get("preload", []):
                if isinstance(module, str) and module not in sys.modules:
                    with contextlib.suppress(Exception):  # the judge reports it if it matters
                        importlib.import_module(module)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's coverage is not collected
                status = 1
                try:
                    control.close()
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    _judge_child(*fds)
                    status = 0
                finally:
                    os._exit(status)
            children = {t: p for t, p in children.items() if t > request["token"] - 16}
            children[request["token"]] = pid
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def main(argv: list[str]) -> None:
    serve_forks(int(argv[1]))


if __name__ == "__main__":  # pragma: no cover - run in its sandbox
    main(sys.argv)
