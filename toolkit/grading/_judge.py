"""The clean judge: a fresh interpreter that runs the trainer's test cells on the answers.

Started in its own sandbox by :mod:`toolkit.grading.judge`; it never runs participant code.
Its plan (JSON on stdin) lists the trainer's locked cells and graded test cells, taken from
the gradebook, in the submission's order. Before each test it asks the answer process for
the names the test reads: data values are bound as they are; the participant's functions
become proxies whose calls run in the answer process and return data. Names bound by the
trainer's cells are never taken from the participant. The verdict of each test is written
as JSON on stdout.
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
    """The answer process, seen through its channel; ``None`` channel: nothing answers."""

    def __init__(self, channel: Channel | None, timeout: float):
        self.channel, self.timeout = channel, timeout

    def _ask(self, message: dict, timeout: float | None = None) -> dict:
        if self.channel is None or self.channel.dead:
            raise WireError("no answer process")
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


def main(argv: list[str]) -> None:
    plan = json.load(sys.stdin)
    out = os.dup(1)  # the verdicts go to the real stdout, whatever the cells print
    channel = Channel(int(argv[1]), int(argv[2])) if len(argv) > 2 else None
    verdicts = judge(plan, Answers(channel, float(plan.get("timeout", 30))))
    with os.fdopen(out, "w", encoding="utf-8") as stream:
        json.dump({"verdicts": verdicts}, stream, ensure_ascii=False)


if __name__ == "__main__":  # pragma: no cover - run in its sandbox
    main(sys.argv)
