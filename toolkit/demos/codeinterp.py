"""« Code interpreter » for data analysis: the model proposes pandas code, a person reads it,
and it runs only after an explicit confirmation, in a sandbox with a time limit.

:func:`propose` asks the model for code answering a question about a DataFrame;
:func:`run_code` runs code only with ``confirm=True`` (or the button of
:meth:`Proposal.review`).  The code runs in a bubblewrap sandbox (:mod:`toolkit.grading.sandbox`:
read-only system, throw-away working folder and ``/tmp``, no network, empty environment,
memory and time limits), with a restricted set of built-ins and imports on top as a
classroom guard-rail that explains refusals in French. It is stopped after *timeout*
seconds, and every outcome (result, printed text, figures, error, time-out, refusal) comes
back as an :class:`ExecResult`; nothing is raised through. The result comes back as JSON
(tables as pandas JSON, figures as PNG), never as a pickle the sandboxed code could forge.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import html
import io
import pickle
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import InputError, SandboxUnavailableError
from toolkit.fr import pluriel

__all__ = [
    "ALLOWED_IMPORTS",
    "ExecResult",
    "Proposal",
    "check_code",
    "describe_frame",
    "extract_code",
    "propose",
    "run_code",
]

#: Modules the proposed code may import (and their sub-modules).
ALLOWED_IMPORTS = ("pandas", "numpy", "math", "statistics", "datetime", "re", "collections",
                   "itertools", "matplotlib", "textwrap", "decimal")

_SAFE_BUILTINS = (
    "abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float", "format",
    "frozenset", "int", "isinstance", "len", "list", "map", "max", "min", "print", "range",
    "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple", "zip",
    "ArithmeticError", "Exception", "IndexError", "KeyError", "TypeError", "ValueError",
    "ZeroDivisionError", "True", "False", "None",
)
_FORBIDDEN_NAMES = {"open", "exec", "eval", "compile", "__import__", "globals", "locals",
                    "vars", "getattr", "setattr", "delattr", "input", "breakpoint", "exit",
                    "quit", "help", "memoryview", "object", "type", "super", "classmethod"}
_FORBIDDEN_ATTR = re.compile(
    r"^(__\w+__|read_\w+|to_(csv|excel|pickle|parquet|json|sql|html|feather|hdf|clipboard|"
    r"markdown|latex|stata|orc|xml)|tofile|fromfile|save|savez\w*|savetxt|load|loadtxt|"
    r"genfromtxt|memmap|savefig|system|popen|io|os|sys|subprocess|shutil|pathlib|builtins|"
    r"importlib|ctypes)$"
)
_MAX_TEXT = 10_000

_HINTS = {
    "KeyError": "une colonne ou une clé n'existe pas : comparez avec les noms de colonnes "
                "affichés plus haut (accents, majuscules, espaces).",
    "NameError": "un nom est utilisé sans avoir été défini (faute de frappe, ou variable "
                 "d'une autre cellule).",
    "TypeError": "une opération reçoit une valeur du mauvais type (texte au lieu de nombre...).",
    "ValueError": "une valeur n'a pas la forme attendue (nombre mal écrit, tailles "
                  "différentes...).",
    "ZeroDivisionError": "une division par zéro : vérifiez les lignes où le dénominateur vaut 0.",
    "AttributeError": "cette méthode ou cet attribut n'existe pas pour cet objet.",
    "IndexError": "on demande un élément au-delà de la fin d'une liste ou d'un tableau.",
    "ImportError": "ce module n'est pas autorisé ici.",
    "SyntaxError": "le code n'est pas du Python valide (parenthèse ou guillemet manquant...).",
    "MemoryError": "le calcul demande trop de mémoire.",
}


def extract_code(text: str) -> str:
    """The Python code in a model's answer: the fenced ```python blocks, else ''."""
    blocks = re.findall(r"```(?:python3?|py)?[ \t]*\r?\n(.*?)```", str(text),
                        flags=re.S | re.I)
    return "\n\n".join(b.strip("\n") for b in blocks).strip()


def check_code(code: str) -> list[str]:
    """French reasons to refuse *code* before running it (empty list: nothing found)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return [f"Le code n'est pas du Python valide (ligne {exc.lineno}) : {exc.msg}."]
    reasons = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            for name in names:
                if name.split(".")[0] not in ALLOWED_IMPORTS:
                    reasons.append(f"Ligne {node.lineno} : import de « {name} » non autorisé "
                                   f"(autorisés : {', '.join(ALLOWED_IMPORTS)}).")
        elif isinstance(node, ast.Name) and node.id in _FORBIDDEN_NAMES:
            reasons.append(f"Ligne {node.lineno} : « {node.id} » n'est pas autorisé ici.")
        elif isinstance(node, ast.Attribute) and _FORBIDDEN_ATTR.match(node.attr):
            reasons.append(f"Ligne {node.lineno} : « .{node.attr} » n'est pas autorisé ici "
                           "(lecture ou écriture de fichiers, accès interne).")
    # Endless loops are not looked for here: the time limit stops them.
    return reasons


def describe_frame(frame, name: str = "df", rows: int = 5) -> str:
    """A short text description of a DataFrame for the prompt (columns, types, first rows)."""
    cols = ", ".join(f"{c} ({t})" for c, t in zip(frame.columns, frame.dtypes.astype(str),
                                                   strict=True))
    return (f"Le DataFrame pandas `{name}` a {len(frame)} lignes et ces colonnes : {cols}.\n"
            f"Premières lignes :\n{frame.head(rows).to_csv(index=False)}")


def _guarded_import(name, globals_=None, locals_=None, fromlist=(), level=0):
    if level or name.split(".")[0] not in ALLOWED_IMPORTS:
        raise ImportError(f"import de « {name} » non autorisé")
    return __import__(name, globals_, locals_, fromlist, level)


def _child_main() -> None:
    """Entry point inside the sandbox: pickled (code, data) on stdin, one JSON line out."""
    import json
    import sys

    code, data, timeout = pickle.loads(sys.stdin.buffer.read())
    message = _execute(code, data, timeout)
    sys.stdout.write("\n" + _RESULT_MARK + json.dumps(message) + "\n")
    sys.stdout.flush()


_RESULT_MARK = "@@atelier-result@@"


def _to_json_value(value):
    """A JSON form of the code's result: numbers and texts as they are, tables as pandas
    JSON, anything else as its text."""
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"kind": "plain", "value": value}
    if isinstance(value, pd.DataFrame):
        return {"kind": "frame", "value": value.to_json(orient="split", date_format="iso")}
    if isinstance(value, pd.Series):
        return {"kind": "series", "value": value.to_json(orient="split", date_format="iso")}
    return {"kind": "plain", "value": repr(value)[:_MAX_TEXT]}


def _from_json_value(packed):
    if not isinstance(packed, dict):
        return None
    kind, value = packed.get("kind"), packed.get("value")
    if kind in ("frame", "series") and isinstance(value, str):
        import pandas as pd

        return pd.read_json(io.StringIO(value), orient="split",
                            typ="frame" if kind == "frame" else "series")
    return value if value is None or isinstance(value, (bool, int, float, str)) else None


class _TimeUp(BaseException):
    """Raised in the child when the code's own time is up (imports are not counted)."""


def _time_up(signum, frame):
    raise _TimeUp


def _execute(code: str, namespace: dict, timeout: float | None = None) -> dict:
    """Run *code* in this (sandboxed) process: a JSON-ready dict describing the outcome."""
    import builtins
    import contextlib
    import os
    import signal
    import warnings

    os.environ["MPLBACKEND"] = "Agg"
    warnings.filterwarnings("ignore")  # e.g. plt.show() on a non-interactive backend
    out = io.StringIO()
    message: dict[str, Any] = {"status": "ok"}
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
        import pandas as pd

        safe = {n: getattr(builtins, n) for n in _SAFE_BUILTINS if hasattr(builtins, n)}
        safe["__import__"] = _guarded_import
        namespace.update({"__builtins__": safe, "pd": pd, "np": np, "plt": plt})
        tree = ast.parse(code)
        last = None
        if tree.body and isinstance(final := tree.body[-1], ast.Expr):
            tree.body.pop()
            last = ast.Expression(final.value)
        if timeout:
            signal.signal(signal.SIGALRM, _time_up)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        with contextlib.redirect_stdout(out):
            exec(compile(tree, "<code proposé>", "exec"), namespace)
            value = eval(compile(last, "<code proposé>", "eval"), namespace) if last else None
        if value is None:
            value = namespace.get("resultat")
        figures = []
        for number in plt.get_fignums():
            buf = io.BytesIO()
            plt.figure(number).savefig(buf, format="png", dpi=90, bbox_inches="tight")
            figures.append(buf.getvalue())
        plt.close("all")
        message.update(value=_to_json_value(value),
                       figures=[base64.b64encode(f).decode("ascii") for f in figures])
    except _TimeUp:
        message = {"status": "delai"}
    except BaseException as exc:  # noqa: BLE001 - every failure of the proposed code is reported
        tb = exc.__traceback__
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<code proposé>":
                line = tb.tb_lineno
            tb = tb.tb_next
        if isinstance(exc, SyntaxError):
            line = exc.lineno
        message = {"status": "erreur", "error_type": type(exc).__name__,
                   "error": str(exc)[:500], "line": line}
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    message["stdout"] = out.getvalue()[:_MAX_TEXT]
    return message


@dataclass
class ExecResult:
    """The outcome of running (or refusing to run) proposed code, shown in French."""

    status: str  # ok | erreur | delai | refuse | non_confirme | vide
    message: str
    value: Any = None
    stdout: str = ""
    figures: list[bytes] = field(default_factory=list)
    duration: float = 0.0
    error_type: str | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def __str__(self) -> str:
        parts = [self.message]
        if self.stdout.strip():
            parts.append("Texte affiché :\n" + self.stdout.rstrip())
        if self.value is not None:
            parts.append("Résultat :\n" + str(self.value))
        if self.figures:
            parts.append(f"{pluriel(len(self.figures), 'graphique produit')}.")
        return "\n\n".join(parts)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        from toolkit import html as h

        colour = {"ok": h.OK, "non_confirme": h.UNCERTAIN}.get(self.status, h.ERROR)
        parts = [h.status_line(self.message, colour=colour, bold=True)]
        if self.stdout.strip():
            parts.append(f"<pre>{html.escape(self.stdout.rstrip())}</pre>")
        if self.value is not None:
            if hasattr(self.value, "to_html"):
                parts.append(self.value.to_html(max_rows=30))
            else:
                parts.append(f"<pre>{html.escape(str(self.value))}</pre>")
        for png in self.figures:
            data = base64.b64encode(png).decode("ascii")
            parts.append(f"<img src='data:image/png;base64,{data}' style='max-width:100%'>")
        return "".join(parts)


def _error_message(kind: str, error: str, line: int | None) -> str:
    where = f" à la ligne {line}" if line else ""
    hint = _HINTS.get(kind, "relisez le code et la question posée.")
    return f"Le code s'est arrêté sur une erreur{where} ({kind} : {error}). Piste : {hint}"


#: Seconds allowed, beyond the code's own limit, to start Python and import pandas.
_STARTUP_GRACE = 60.0

_CHILD = "from toolkit.demos.codeinterp import _child_main; _child_main()"


def _read_message(stdout: bytes) -> dict | None:
    import json

    text = stdout.decode("utf-8", "replace")
    if _RESULT_MARK not in text:
        return None
    try:
        message = json.loads(text.rsplit(_RESULT_MARK, 1)[1].strip())
    except json.JSONDecodeError:
        return None
    return message if isinstance(message, dict) and "status" in message else None


def _run_unconfined(payload: bytes, timeout: float):
    import subprocess

    from toolkit.grading.sandbox import Completed

    proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return Completed(None, b"", b"", timed_out=True)
    return Completed(proc.returncode, out, b"")


def run_code(
    code: str, data: dict[str, Any] | None = None, *, confirm: bool = False,
    timeout: float = 10.0, sandbox: bool = True, memory_mb: int = 1024,
) -> ExecResult:
    """Run *code* only if *confirm* is true, in a sandbox, within *timeout* seconds.

    *data* maps names to values given to the code (e.g. ``{"df": budget}``).  The value of the
    last expression (or of a variable ``resultat``), printed text and matplotlib figures come
    back in the :class:`ExecResult`.  Errors and time-outs are reported, never raised.
    Without bubblewrap the code is refused with a French message naming the package;
    ``sandbox=False`` runs it unconfined (trusted code on a personal machine only).
    """
    if not str(code or "").strip():
        return ExecResult("vide", "Aucun code à exécuter : la réponse du modèle ne contient pas "
                                  "de bloc de code Python.")
    if not confirm:
        return ExecResult("non_confirme", "Code non exécuté : relisez-le, puis confirmez "
                                          "(bouton « Exécuter » ou confirm=True).")
    reasons = check_code(code)
    if reasons:
        return ExecResult("refuse", "Code refusé avant exécution : " + " ".join(reasons))
    try:
        payload = pickle.dumps((code, dict(data or {}), timeout))
    except Exception as exc:
        raise InputError(
            f"Les données passées au code ne peuvent pas être transmises ({exc}).",
            "Passez des tableaux pandas, des nombres ou des textes.",
        ) from exc
    from toolkit.grading import sandbox as sb

    # The code's own time is limited in the child (after pandas is imported, which can take
    # seconds on a loaded machine); this outer limit also stops code that ignores it.
    outer = timeout + _STARTUP_GRACE
    start = time.perf_counter()
    if sandbox:
        try:
            sb.require("exécuter ce code")
        except SandboxUnavailableError as exc:
            return ExecResult("refuse", f"Code non exécuté : {exc.message} {exc.fix}")
        done = sb.run([sys.executable, "-c", _CHILD], input=payload, timeout=outer,
                      limits=sb.Limits(memory_mb=memory_mb, cpu_seconds=int(outer),
                                       file_mb=16, processes=None))
    else:  # trusted code on a trusted machine: the same child, without the sandbox
        done = _run_unconfined(payload, outer)
    duration = time.perf_counter() - start
    message = _read_message(done.stdout)
    if done.timed_out or (message or {}).get("status") == "delai":
        return ExecResult("delai", f"Le code a dépassé le délai de {timeout:g} s et a été "
                                   "arrêté (boucle sans fin ou calcul trop long ?).",
                          duration=duration)
    if message is None:
        return ExecResult("erreur", "Le processus d'exécution s'est arrêté sans répondre "
                                    f"(code de sortie {done.returncode} ; mémoire épuisée ?).",
                          duration=duration)
    if message["status"] != "ok":
        return ExecResult("erreur", _error_message(message["error_type"], message["error"],
                                                   message["line"]),
                          stdout=message.get("stdout", ""), duration=duration,
                          error_type=message["error_type"], line=message["line"])
    seconds = f"{duration:.1f}".replace(".", ",")
    figures = []
    for fig in message.get("figures", []):
        with contextlib.suppress(ValueError, TypeError):
            figures.append(base64.b64decode(fig, validate=True))
    return ExecResult("ok", f"Code exécuté en {seconds} s.",
                      value=_from_json_value(message.get("value")),
                      stdout=str(message.get("stdout", ""))[:_MAX_TEXT], figures=figures,
                      duration=duration)


@dataclass
class Proposal:
    """Code proposed by the model for a question; it runs only after confirmation."""

    question: str
    code: str
    data: dict[str, Any]
    answer: Any = None
    result: ExecResult | None = None

    def run(self, *, confirm: bool = False, timeout: float = 10.0) -> ExecResult:
        """Run the code (only with ``confirm=True``); the outcome is kept in ``result``."""
        self.result = run_code(self.code, self.data, confirm=confirm, timeout=timeout)
        return self.result

    def review(self, timeout: float = 10.0):
        """A widget showing the code with an « Exécuter » button (text fallback included)."""
        from toolkit.widgets.session2 import CodeReview

        return CodeReview(self, timeout=timeout)

    @property
    def explanation(self) -> str:
        """The model's answer without its code blocks (its explanation, or why no code)."""
        text = re.sub(r"```.*?```", "", str(self.answer or ""), flags=re.S).strip()
        return text if len(text) <= 600 else text[:599].rstrip() + "…"

    def __str__(self) -> str:
        issues = check_code(self.code) if self.code else []
        text = f"Code proposé pour « {self.question} » :\n\n{self.code or '(aucun code)'}\n"
        if self.explanation:
            text += f"\nRéponse du modèle, hors code : {self.explanation}\n"
        if issues:
            text += "\nAttention : " + " ".join(issues)
        return text + "\nRelisez ce code avant de l'exécuter."

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        issues = check_code(self.code) if self.code else []
        warn = "".join(f"<li>{html.escape(i)}</li>" for i in issues)
        mode = getattr(self.answer, "mode_label", None)
        badge = f" · {html.escape(str(mode))}" if mode else ""
        return (f"<p><b>Code proposé</b>{badge} pour « {html.escape(self.question)} »</p>"
                f"<pre style='background:#f6f8fa;padding:8px;border-left:4px solid #e0a800'>"
                f"{html.escape(self.code or '(aucun code)')}</pre>"
                + (f"<p><i>Réponse du modèle, hors code :</i> {html.escape(self.explanation)}</p>"
                   if self.explanation else "")
                + (f"<p style='color:#b3261e'>Attention :</p><ul>{warn}</ul>" if warn else "")
                + "<p><i>Relisez ce code avant de l'exécuter : que fait chaque ligne ? "
                  "Touche-t-il à autre chose que le tableau ?</i></p>")


_SYSTEM = (
    "Tu es un·e analyste de données qui écrit du code Python pandas lisible par des "
    "non-spécialistes. Réponds par un seul bloc ```python``` suivi d'une phrase d'explication. "
    "Le tableau est déjà chargé dans la variable indiquée ; pandas est importé sous le nom pd. "
    "N'ouvre ni n'écris aucun fichier, n'importe que pandas, numpy ou matplotlib. "
    "Termine par une expression (ou une variable `resultat`) qui donne le résultat à afficher. "
    "Commente chaque étape en français."
)


def propose(question: str, frame, *, name: str = "df", simulated: str | None = None,
            **options) -> Proposal:
    """Ask the model for pandas code answering *question* about *frame* (nothing runs yet)."""
    import toolkit

    if not str(question).strip():
        raise InputError("La question est vide.", "Écrivez la question à poser sur le tableau.")
    prompt = f"{describe_frame(frame, name)}\nQuestion : {question}"
    options.setdefault("stream", False)
    answer = toolkit.ask(prompt, system=_SYSTEM, simulated=simulated, **options)
    return Proposal(question=question, code=extract_code(str(answer)), data={name: frame},
                    answer=answer)
