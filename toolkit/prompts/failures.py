"""Failed checks in French: one or two lines (what is wrong, what to do), never a traceback.

:func:`short_failure` is used by the notebook (through :func:`install_short_failures`,
called when :mod:`toolkit.prompts.checks` is imported in IPython), by ``atelier grade
validate``/``check`` and by the feedback pages.
"""

from __future__ import annotations

import re
import sys

from toolkit.fr import pluriel

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: nbgrader's English phrases a participant could see, in French.
ENGLISH = {
    "You did not provide a response.": "Vous n'avez pas encore répondu : écrivez votre réponse "
                                       "dans la cellule prévue.",
    "No response.": "Pas de réponse.",
}

#: Messages written by the grader itself, with what to do.
_OWN = {
    "un test caché a échoué": ["Un test caché a échoué : votre réponse ne convient pas dans "
                               "tous les cas.",
                               "Essayez-la sur d'autres exemples que ceux de l'énoncé."],
    "un test a échoué": ["Une vérification a échoué.",
                         "Relisez la consigne de la question et corrigez votre réponse."],
}

_BY_NAME = {
    "NameError": ("{name} n'est pas défini.",
                  "Exécutez d'abord la cellule où vous l'écrivez (ou Exécuter → Exécuter toutes "
                  "les cellules au-dessus)."),
    "NotImplementedError": ("La réponse n'est pas encore écrite.",
                            "Remplacez « raise NotImplementedError() » par votre code."),
    "SyntaxError": ("Le code n'est pas du Python valide ({detail}).",
                    "Vérifiez les parenthèses, guillemets et deux-points de votre réponse."),
    "IndentationError": ("L'indentation du code est incorrecte ({detail}).",
                         "Alignez les lignes du bloc avec 4 espaces."),
    "TypeError": ("Votre code est appelé avec des valeurs qu'il ne sait pas traiter ({detail}).",
                  "Relisez la consigne : quels arguments la fonction reçoit-elle ?"),
    "KeyboardInterrupt": ("La cellule a été arrêtée : elle ne se terminait pas.",
                          "Cherchez une boucle sans fin dans votre réponse."),
    "CellTimeoutError": ("La cellule a été arrêtée : elle ne se terminait pas.",
                         "Cherchez une boucle sans fin dans votre réponse."),
    "MemoryError": ("Votre code demande trop de mémoire.",
                    "Travaillez sur moins de données à la fois."),
}


def short_failure(ename: str, evalue: str) -> list[str]:
    """One or two French lines for a failed check: what is wrong, then what to do."""
    text = _ANSI.sub("", str(evalue or "")).strip()
    if ename in ("AssertionError", "CheckFailed") or ename.endswith("CheckFailed"):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if not lines:
            return list(_OWN["un test a échoué"])
        if lines[0] in _OWN:
            return list(_OWN[lines[0]])
        hint = next((ln for ln in lines[1:] if ln.startswith("Indice")), None)
        bullets = [ln.lstrip("•→- ").strip() for ln in lines[1:] if ln.startswith(("•", "→"))]
        first = ENGLISH.get(lines[0], lines[0])
        if first.endswith(":") and bullets:
            # « … pas encore complet : » says little alone: add the first thing missing.
            more = f" (et {pluriel(len(bullets) - 1, 'autre point')})" if len(bullets) > 1 else ""
            first = f"{first} {bullets[0]}{more}"
        return [first, hint] if hint else [first]
    if ename in _BY_NAME:
        what, fix = _BY_NAME[ename]
        name = re.search(r"'([^']+)'", text)
        return [what.format(name=f"« {name.group(1)} »" if name else "Un nom",
                            detail=text.splitlines()[0][:120] if text else "?"), fix]
    first = text.splitlines()[0][:160] if text else ""
    return [f"Votre code s'est arrêté sur une erreur {ename}" + (f" : {first}" if first else "")
            + ".", "Relisez la ligne indiquée et corrigez votre réponse."]


def _render_short(shell, etype, value, tb, tb_offset=None):
    lines = short_failure(etype.__name__, str(value))
    stb = [f"\x1b[1;31m✗ {lines[0]}\x1b[0m", *(f"\x1b[1m→\x1b[0m {ln}" for ln in lines[1:])]
    shell._showtraceback(etype, value, stb)
    return stb


def install_short_failures(shell=None) -> bool:
    """Show ``AssertionError`` in this IPython session as short French lines (True if done).

    Grading is unaffected: the test cell still ends in error, so nbgrader scores it 0.
    """
    if shell is None:
        if "IPython" not in sys.modules:  # no IPython session without IPython imported
            return False  # (a script, the clean judge): importing it would only cost time
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((AssertionError,), _render_short)
    return True
