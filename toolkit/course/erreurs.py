"""Python errors in French for course notebooks: a short explanation, the traceback folded away.

:func:`install` hooks the IPython shell (``import toolkit`` does it inside a kernel). For the
usual mistakes of non-programmers (a quote or a parenthesis left open, a cell skipped, a bad
indentation, a function called wrongly, a missing key, file or module) the cell shows what
happened and what to do, in French, with the original traceback in a folded ``<details>``.
Other errors keep IPython's display. The toolkit's own errors (:class:`AtelierError`) are
shown once, as their short French message.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from toolkit.errors import AtelierError
from toolkit.fr import pluriel

__all__ = ["Explication", "expliquer", "install", "uninstall"]



def _q(text: object) -> str:
    return f"« {text} »"


@dataclass(frozen=True)
class Explication:
    """A French explanation of an error: a title, what happened, what to do."""

    titre: str
    quoi: str
    faire: str

    def text(self) -> str:
        return f"{self.titre} : {self.quoi}\n→ Que faire : {self.faire}"


def _cell_line(exc: BaseException) -> int | None:
    """Line, in the notebook cell, where ``exc`` happened (the last frame run from a cell)."""
    if isinstance(exc, SyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename
        if name.startswith("<ipython-input") or "ipykernel_" in name or name.startswith("<cell"):
            line = frame.lineno
    return line


def _where(exc: BaseException) -> str:
    line = _cell_line(exc)
    return f" (ligne {line} de la cellule)" if line else ""


def _at(exc: BaseException) -> str:
    line = _cell_line(exc)
    return f" à la ligne {line} de la cellule" if line else ""


def _quoted(text: str) -> str:
    """Python's 'name' quotes as French guillemets."""
    return re.sub(r"'([^']*)'", lambda m: _q(m.group(1)), text)


def _incomplete(text: str) -> tuple[str, str] | None:
    """What an "incomplete input" leaves open: ("quote", mark) or ("bracket", opening)."""
    for mark in ('"""', "'''"):
        if text.count(mark) % 2:
            return "quote", mark
    depth: list[str] = []
    for char in re.sub(r"(\"[^\"\n]*\"|'[^'\n]*')", "", text):
        if char in "([{":
            depth.append(char)
        elif char in ")]}" and depth:
            depth.pop()
    return ("bracket", depth[-1]) if depth else None


def _syntax(exc: SyntaxError) -> Explication:
    msg = exc.msg or ""
    where = _at(exc)
    shown = f" : {_q((exc.text or '').strip()[:80])}" if (exc.text or "").strip() else ""
    if isinstance(exc, IndentationError):
        return Explication(
            "Décalage de ligne incorrect",
            f"le début de la ligne {exc.lineno or '?'} de la cellule n'est pas aligné comme "
            f"Python l'attend{shown}.",
            "alignez la ligne sur celles de son bloc (mêmes espaces au début) ou supprimez les "
            "espaces ajoutés avant le texte, puis relancez la cellule.",
        )
    # IPython parses with "incomplete input" allowed: then look at what was left open
    left_open = _incomplete(exc.text or "") if "incomplete input" in msg else None
    if left_open and left_open[0] == "quote":
        msg = "unterminated triple-quoted string literal"
    elif left_open:
        msg = f"'{left_open[1]}' was never closed"
    if "unterminated" in msg or "EOL while scanning" in msg or "EOF while scanning" in msg:
        triple = "triple" in msg
        mark = '"""' if triple else '"'
        return Explication(
            "Guillemet manquant",
            f"un texte commencé{where} n'est jamais fermé{shown}.",
            f"ajoutez le guillemet {mark} qui termine le texte (le même qu'au début), "
            "puis relancez la cellule.",
        )
    unclosed = re.search(r"'([(\[{])' was never closed", msg)
    if unclosed or "unexpected EOF" in msg:
        bracket = unclosed.group(1) if unclosed else "("
        closer = {"(": ")", "[": "]", "{": "}"}[bracket]
        return Explication(
            "Parenthèse non fermée",
            f"une {_q(bracket)} ouverte{where} n'est jamais refermée{shown}.",
            f"ajoutez la {_q(closer)} qui manque à la fin de l'instruction, puis relancez.",
        )
    closing = re.search(r"unmatched '([)\]}])'|closing parenthesis '([)\]}])'", msg)
    if closing:
        return Explication(
            "Parenthèse en trop",
            f"une {_q(closing.group(1) or closing.group(2))} ferme{where} une parenthèse "
            f"qui n'a pas été ouverte{shown}.",
            "supprimez-la ou ajoutez celle qui l'ouvre, puis relancez la cellule.",
        )
    return Explication(
        "Python ne comprend pas la ligne",
        f"une ligne{where} n'est pas écrite comme Python l'attend{shown}.",
        "vérifiez les guillemets, les parenthèses et les virgules de cette ligne (souvent "
        "un caractère effacé par mégarde), ou rechargez la cellule d'origine.",
    )


def _name(exc: NameError, names: list[str]) -> Explication:
    name = getattr(exc, "name", None) or (re.findall(r"'([^']+)'", str(exc)) or ["?"])[0]
    close = difflib.get_close_matches(name, [n for n in names if not n.startswith("_")], n=1)
    if close:
        faire = (f"vouliez-vous écrire {_q(close[0])} ? Corrigez le nom ; sinon exécutez "
                 f"d'abord la cellule qui définit {_q(name)} (celle qui contient "
                 f"{_q(name + ' = …')}), puis relancez celle-ci.")
    else:
        faire = (f"exécutez d'abord la cellule qui définit {_q(name)} (celle qui contient "
                 f"{_q(name + ' = …')}, plus haut dans le notebook), puis relancez celle-ci. "
                 "Ou exécutez toutes les cellules du début : menu Exécuter › Exécuter toutes "
                 "les cellules au-dessus.")
    return Explication(
        "Nom inconnu",
        f"{_q(name)} n'est pas encore défini{_where(exc)} : une cellule précédente a "
        "sans doute été sautée, ou le nom est mal orthographié.",
        faire,
    )


def _type(exc: TypeError) -> Explication | None:
    msg = str(exc)
    where = _where(exc)
    missing = re.search(r"(\w+)\(\) missing \d+ required (?:positional|keyword-only) "
                        r"arguments?: (.+)", msg)
    if missing:
        return Explication(
            "Il manque une valeur à la fonction",
            f"{_q(missing.group(1) + '()')} attend encore {_quoted(missing.group(2))}{where}.",
            "ajoutez la valeur manquante entre les parenthèses (voir l'exemple de la cellule), "
            "puis relancez.",
        )
    builtin = re.search(r"(\w+)\(\) takes (?:exactly |at most |at least )?(\w+) arguments? "
                        r"\((\d+) given\)", msg)
    if builtin:
        count = {"one": "1", "no": "0"}.get(builtin.group(2), builtin.group(2))
        given = int(builtin.group(3))
        return Explication(
            "Il manque une valeur à la fonction" if given < int(count or 0)
            else "Trop de valeurs données à la fonction",
            f"{_q(builtin.group(1) + '()')} attend {pluriel(int(count or 0), 'valeur')} "
            f"et en a reçu {given}{where}.",
            "mettez entre les parenthèses le nombre de valeurs attendu (voir l'exemple de la "
            "cellule), puis relancez.",
        )
    extra = re.search(r"(\w+)\(\) takes (?:from \d+ to )?(\d+) positional arguments? but (\d+)",
                      msg)
    if extra:
        return Explication(
            "Trop de valeurs données à la fonction",
            f"{_q(extra.group(1) + '()')} accepte "
            f"{pluriel(int(extra.group(2)), 'valeur')} mais en a reçu "
            f"{extra.group(3)}{where}.",
            "retirez la valeur en trop, ou vérifiez les virgules entre les valeurs.",
        )
    keyword = (re.search(r"(\w+)\(\) got an unexpected keyword argument '(\w+)'", msg)
               or re.search(r"'(\w+)' is an invalid keyword argument for (\w+)\(\)", msg))
    if keyword:
        function, option = keyword.groups()
        if "invalid keyword" in msg:
            option, function = function, option
        return Explication(
            "Option inconnue",
            f"{_q(function + '()')} n'a pas d'option {_q(option)}{where}.",
            "vérifiez l'orthographe de l'option (voir l'exemple de la cellule) ou retirez-la.",
        )
    not_callable = re.search(r"'(\w+)' object is not callable", msg)
    if not_callable:
        return Explication(
            "Ce n'est pas une fonction",
            f"des parenthèses suivent une valeur de type {_q(not_callable.group(1))}, qui ne "
            f"s'appelle pas comme une fonction{where}.",
            "retirez les parenthèses, ou vérifiez qu'un nom de fonction n'a pas été remplacé par "
            "une valeur dans une cellule précédente (redémarrez alors le noyau).",
        )
    return None


#: Errors explained by one sentence about one value: the class, how to find the value, the
#: title, what happened (``{value}`` quoted, ``{where}``, ``{cwd}``) and what to do. A
#: subclass comes before its base (``ModuleNotFoundError`` is an ``ImportError``...).
_ABOUT_ONE_VALUE: tuple[tuple[type[BaseException], Callable[[Any], object], str, str, str],
                        ...] = (
    (ModuleNotFoundError, lambda e: e.name or "?", "Module absent",
     "le module {value} n'est pas installé dans cet environnement{where}.",
     "vérifiez son nom ; le cours n'a besoin d'aucun module de plus : si la cellule vient du "
     "cours, signalez-le à l'animateur."),
    (FileNotFoundError, lambda e: e.filename or "?", "Fichier introuvable",
     "le fichier {value} n'existe pas (dossier de travail : {cwd}){where}.",
     "vérifiez le nom et l'extension du fichier, et qu'il est bien dans ce dossier (panneau de "
     "gauche de JupyterLab) ; sinon donnez son chemin complet."),
    (KeyError, lambda e: e.args[0] if e.args else "?", "Clé absente",
     "la clé {value} n'existe pas dans ce dictionnaire ou ce tableau{where}.",
     "vérifiez l'orthographe exacte (majuscules, accents, espaces) ; affichez les clés "
     "disponibles avec .keys() ou .columns."),
)


def _about_one_value(exc: BaseException) -> Explication | None:
    for cls, value_of, title, what, fix in _ABOUT_ONE_VALUE:
        if isinstance(exc, cls):
            return Explication(title, what.format(
                value=_q(value_of(exc)), where=_where(exc),
                cwd=_q(os.getcwd()) if "{cwd}" in what else ""), fix)
    return None


def expliquer(exc: BaseException, names: list[str] | None = None) -> Explication | None:
    """The French explanation of ``exc``, or None when it is not a usual beginner's error.

    ``names`` are the names defined in the notebook, to suggest a close one for a NameError.
    """
    if isinstance(exc, SyntaxError):
        return _syntax(exc)
    if isinstance(exc, NameError):
        return _name(exc, names or [])
    if isinstance(exc, TypeError):
        return _type(exc)
    return _about_one_value(exc)


class _Shown:
    """The explanation as rich output: text for any front end, HTML with the folded original."""

    def __init__(self, explication: Explication, original: str):
        self.explication = explication
        self.original = original

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        e = self.explication
        body = (
            "<div style='border-left:4px solid #cf222e;padding:6px 10px;background:#fff5f5'>"
            f"<b>{html.escape(e.titre)}</b> : {html.escape(e.quoi)}<br>"
            f"<b>→ Que faire :</b> {html.escape(e.faire)}"
            "<details style='margin-top:4px'><summary>Message d'origine de Python (pour "
            "l'animateur)</summary>"
            f"<pre style='white-space:pre-wrap;font-size:85%'>{html.escape(self.original)}"
            "</pre></details></div>"
        )
        return {"text/plain": e.text(), "text/html": body}


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _show(shell, etype, value, tb) -> list[str] | None:
    """Display the explanation and return the one-line traceback IPython will send."""
    from IPython.display import display

    if isinstance(value, AtelierError):
        return value._render_traceback_()  # already short and French: shown once, as is
    names = list(getattr(shell, "user_ns", {}) or {})
    explication = expliquer(value, names)
    if explication is None:
        return None
    original = "".join(traceback.format_exception(etype, value, tb))
    display(_Shown(explication, _ANSI.sub("", original)))
    return [f"\x1b[1;31m{explication.titre} ({etype.__name__})\x1b[0m : la cellule s'est "
            "arrêtée, explication ci-dessus."]


_STATE: dict[int, object] = {}


def install(shell=None) -> bool:
    """Hook ``shell`` (default: the running IPython) so usual errors are explained in French.

    Safe to call again; returns False when there is no IPython shell.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with the course
            return False
        shell = get_ipython()
    if shell is None:
        return False
    if id(shell) in _STATE:
        return True

    def on_error(self, etype, value, tb, tb_offset=None):
        try:
            stb = _show(self, etype, value, tb)
        except Exception:  # noqa: BLE001 (never hide the participant's error behind ours)
            stb = None
        if stb is None:  # not one of ours: IPython's usual display
            if isinstance(value, SyntaxError):
                original_syntax()
            else:
                self.showtraceback((etype, value, tb), tb_offset=tb_offset,
                                   running_compiled_code=True)
            return None
        self._showtraceback(etype, value, stb)
        return None

    original_syntax = shell.showsyntaxerror

    def showsyntaxerror(filename=None, running_compiled_code=False):
        # Syntax errors never reach the custom handler: IPython shows them before running.
        etype, value, tb = shell._get_exc_info()
        try:
            stb = _show(shell, etype, value, tb) if isinstance(value, SyntaxError) else None
        except Exception:  # noqa: BLE001 (never hide the participant's error behind ours)
            stb = None
        if stb is None:
            return original_syntax(filename, running_compiled_code)
        shell._showtraceback(etype, value, stb)
        return None

    shell.set_custom_exc((Exception,), on_error)
    shell.showsyntaxerror = showsyntaxerror
    _STATE[id(shell)] = original_syntax
    return True


def uninstall(shell=None) -> None:
    """Undo :func:`install` (IPython's own display again)."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None or id(shell) not in _STATE:
        return
    shell.set_custom_exc((), None)
    shell.showsyntaxerror = _STATE.pop(id(shell))
