"""Checks used by the exercise notebooks: each raises ``AssertionError`` with a French hint.

A test cell stays one readable line, for instance ``verifier_prompt(PROMPT, exige=["role"])``;
the hints come from :mod:`toolkit.prompts.hints` and :mod:`toolkit.prompts.indices`.

On success a check builds a :class:`Verdict`. In a notebook it *displays* it and returns
``None``: a test cell then has no execution result, which nbgrader would otherwise try to read
as a partial-credit number (``nbgrader.utils.determine_grade``). Outside IPython (scripts,
pytest) the verdict is returned.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from toolkit.prompts.analysis import PromptReport, analyse
from toolkit.prompts.hints import HINTS, LABELS, component_key
from toolkit.prompts.indices import INDICES

#: « manquant » agreed with each label of LABELS (« Tâche manquante », « Exemples manquants »).
_MISSING = {"tache": "manquante", "contraintes": "manquantes", "exemples": "manquants",
            "delimiteurs": "manquants"}

__all__ = [
    "Verdict",
    "verifier_contient",
    "verifier_egal",
    "verifier_fonction",
    "verifier_prompt",
]

#: Marks left by the exercise release in place of a solution: an answer still holding them
#: has not been written yet.
_STUB_MARKS = ("VOTRE RÉPONSE ICI", "YOUR CODE HERE", "YOUR ANSWER HERE")


@dataclass(frozen=True)
class Verdict:
    """A passed check: a French message, and the prompt analysis when there is one."""

    message: str
    report: PromptReport | None = None

    def __str__(self) -> str:
        text = f"✅ {self.message}"
        if self.report is not None:
            text += "\n" + str(self.report)
        return text

    def _repr_html_(self) -> str:
        body = f"<p style='color:#1a7f37'><b>✅ {html.escape(self.message)}</b></p>"
        if self.report is not None:
            body += self.report._repr_html_()
        return body


def _show(verdict: Verdict) -> Verdict | None:
    """Display the verdict in a notebook (and return None there), return it elsewhere."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return verdict
    if get_ipython() is None:
        return verdict
    from IPython.display import display

    display(verdict)
    return None


def _hint(question: str | None, indice: str | None) -> str:
    text = indice or (INDICES.get(question, "") if question else "")
    return f"\nIndice : {text}" if text else ""


def _fold(text: str) -> str:
    """Lower case without accents, for tolerant comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _check_text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise AssertionError(
            f"{name} doit être un texte entre triples guillemets \"\"\"…\"\"\", "
            f"pas {type(value).__name__}."
        )
    # Lines left by the release (the "VOTRE RÉPONSE ICI" stub) and, in the source notebook,
    # the solution markers inside the PROMPT string are not part of the answer: drop them, so
    # a participant who wrote below the stub line is not told the answer is empty.
    kept = [
        line
        for line in value.splitlines()
        if not any(mark in line for mark in (*_STUB_MARKS, "BEGIN SOLUTION", "END SOLUTION"))
    ]
    value = "\n".join(kept)
    if not value.strip():
        raise AssertionError(
            f"{name} est encore vide : écrivez votre texte à la place de la ligne "
            "« VOTRE RÉPONSE ICI », entre les triples guillemets, puis relancez la cellule."
        )
    return value


def verifier_prompt(
    prompt: object,
    exige: Iterable[str] = ("tache",),
    *,
    score_min: int | None = None,
    question: str | None = None,
    nom: str = "PROMPT",
) -> Verdict | None:
    """Check that ``prompt`` holds every component of ``exige`` and reaches ``score_min``.

    Component names may be given in French or English, with or without accents
    (``"rôle"``, ``"role"``, ``"délimiteurs"``...). Raises ``AssertionError`` listing, in
    French, each missing component with what to add.
    """
    text = _check_text(prompt, nom)
    try:
        required = [component_key(name) for name in exige]
    except KeyError as exc:  # an authoring error in the notebook, not the participant's
        raise ValueError(f"Composante inconnue dans exige : {exc.args[0]!r}") from None
    report = analyse(text)
    missing = [k for k in required if k not in report.present]
    problems = [f"  • {LABELS[k]} {_MISSING.get(k, 'manquant')}. {HINTS[k]}" for k in missing]
    if score_min is not None and report.score < score_min:
        problems.append(
            f"  • Score {report.score}/100, il faut au moins {score_min}. "
            "Complétez les composantes marquées ✘ ci-dessous."
        )
    if problems:
        raise AssertionError(
            f"Votre {nom} n'est pas encore complet :\n"
            + "\n".join(problems)
            + _hint(question, None)
            + "\n\n"
            + str(report)
        )
    found = ", ".join(LABELS[k] for k in required) or "aucune composante exigée"
    return _show(Verdict(f"{nom} contient : {found}. Score {report.score}/100.", report))


def verifier_contient(
    texte: object,
    mots: Iterable[str],
    *,
    nom: str = "PROMPT",
    question: str | None = None,
    indice: str | None = None,
) -> Verdict | None:
    """Check that ``texte`` contains each of ``mots`` (case and accents ignored)."""
    text = _check_text(texte, nom)
    folded = _fold(text)
    absent = [m for m in mots if _fold(m) not in folded]
    if absent:
        listed = ", ".join(f"« {m} »" for m in absent)
        raise AssertionError(f"Il manque {listed} dans votre {nom}." + _hint(question, indice))
    return _show(Verdict(f"{nom} contient tous les éléments attendus."))


def verifier_egal(
    valeur: object,
    attendu: object,
    *,
    nom: str = "votre réponse",
    question: str | None = None,
    indice: str | None = None,
) -> Verdict | None:
    """Check that ``valeur == attendu`` and say, in French, what was found instead."""
    if valeur != attendu:
        raise AssertionError(
            f"{nom[:1].upper()}{nom[1:]} vaut {valeur!r}, ce n'est pas ce qui est attendu."
            + _hint(question, indice)
        )
    return _show(Verdict(f"{nom[:1].upper()}{nom[1:]} est correcte."))


def verifier_fonction(
    fonction: Callable[..., object],
    cas: Iterable[tuple[object, object]],
    *,
    question: str | None = None,
    indice: str | None = None,
    comparer: Callable[[object, object], bool] | None = None,
) -> Verdict | None:
    """Call ``fonction`` on each case ``(arguments, attendu)`` and compare with ``attendu``.

    ``arguments`` is a tuple of positional arguments, or a single value. ``attendu`` may be an
    exception class: the call must then raise it. ``comparer(obtenu, attendu)`` replaces
    ``==`` when given (e.g. to round floats).
    """
    name = getattr(fonction, "__name__", "la fonction")
    if not callable(fonction):
        raise AssertionError(f"{name} n'est pas une fonction : relancez la cellule qui la définit.")
    same = comparer or (lambda a, b: a == b)
    count = 0
    for arguments, attendu in cas:
        args = arguments if isinstance(arguments, tuple) else (arguments,)
        shown = ", ".join(repr(a) for a in args)
        error_type = (attendu if isinstance(attendu, type) and issubclass(attendu, BaseException)
                      else None)
        try:
            obtenu = fonction(*args)
        except NotImplementedError:
            raise AssertionError(
                f"{name}() n'est pas encore écrite : remplacez « raise NotImplementedError() » "
                "par votre code." + _hint(question, indice)
            ) from None
        except Exception as exc:  # noqa: BLE001 (participant code may raise anything)
            if error_type is not None and isinstance(exc, error_type):
                count += 1
                continue
            raise AssertionError(
                f"{name}({shown}) a levé {type(exc).__name__} : {exc}" + _hint(question, indice)
            ) from None
        if error_type is not None:
            raise AssertionError(
                f"{name}({shown}) devrait lever {error_type.__name__}, mais renvoie {obtenu!r}."
                + _hint(question, indice)
            )
        if obtenu is None and attendu is not None:
            raise AssertionError(
                f"{name}({shown}) ne renvoie rien : terminez la fonction par « return … »."
                + _hint(question, indice)
            )
        if not same(obtenu, attendu):
            raise AssertionError(
                f"{name}({shown}) renvoie {obtenu!r} au lieu de {attendu!r}."
                + _hint(question, indice)
            )
        count += 1
    return _show(Verdict(f"{name}() passe les {count} vérifications."))


# In a notebook, a failed check reads as one or two French lines, not a traceback.
from toolkit.prompts.failures import install_short_failures  # noqa: E402

install_short_failures()
