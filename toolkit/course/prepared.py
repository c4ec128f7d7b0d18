"""Prepared example answers for the course's offline demos, stored as data with their prompt.

Each example is ``toolkit/data/exemples/<session>/<key>.md``: a YAML front matter giving the
``prompt`` it answers (and optionally ``titre`` and ``note_si_modifiee``), then the answer in
Markdown.  Offline, ``toolkit.ask(..., exemple="<key>")`` shows it, labelled as prepared in
advance; when the participant has changed the prompt, the answer says so first.  A demo
whose cell starts from one prompt and is improved to another (the prompt playground) passes
several keys: the answer is the one written for the prompt sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from toolkit.errors import InputError

__all__ = [
    "CHANGED",
    "LABEL",
    "Prepared",
    "answer",
    "get",
    "keys",
    "labelled",
    "path",
    "prompt_changed",
    "text",
]

#: The honest label every prepared answer starts with.
LABEL = "📄 Exemple préparé à l'avance, pas une réponse de modèle."
#: What a prepared answer says when the prompt is not the one it was written for.
CHANGED = (
    "Votre consigne a changé\u202f: voici l'exemple préparé pour la consigne d'origine. "
    "Pour une réponse à votre propre consigne, il faut un vrai modèle (mode en direct)."
)


@dataclass(frozen=True)
class Prepared:
    """One prepared answer: its key, the session folder, the prompt it answers and the text."""

    key: str
    session: str
    prompt: str
    body: str
    title: str = ""
    changed_note: str = ""
    #: ``"exacte"`` (default) or ``"debut"``: the prompt only has to start with ``prompt``
    #: (for prompts that end with a text computed in the cell, such as a masked e-mail).
    comparison: str = "exacte"
    file: Path | None = None


def _root() -> Path:
    return Path(str(resources.files("toolkit") / "data" / "exemples"))


def _parse(file: Path) -> Prepared:
    import yaml

    raw = file.read_text(encoding="utf-8")
    where = f"{file.parent.name}/{file.name}"
    if not raw.startswith("---\n") or "\n---\n" not in raw[4:]:
        raise InputError(
            f"{where} : l'en-tête (front matter) manque.",
            "Commencez le fichier par ---, la ligne « prompt: … », puis --- et la réponse.",
        )
    head, body = raw[4:].split("\n---\n", 1)
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        raise InputError(
            f"{where} : en-tête YAML invalide ({exc}).", "Corrigez l'en-tête."
        ) from exc
    if not isinstance(meta, dict) or not str(meta.get("prompt") or "").strip():
        raise InputError(
            f"{where} : le champ « prompt » de l'en-tête est vide.",
            "Recopiez dans l'en-tête la consigne à laquelle cet exemple répond.",
        )
    if not body.strip():
        raise InputError(f"{where} : la réponse est vide.", "Écrivez la réponse après l'en-tête.")
    return Prepared(
        key=file.stem,
        session=file.parent.name,
        prompt=str(meta["prompt"]).strip(),
        body=body.strip(),
        title=str(meta.get("titre") or ""),
        changed_note=str(meta.get("note_si_modifiee") or "").strip(),
        comparison=_comparison(meta.get("comparaison"), where),
        file=file,
    )


def _comparison(value, where: str) -> str:
    value = str(value or "exacte")
    if value not in ("exacte", "debut"):
        raise InputError(
            f"{where} : « comparaison » vaut « {value} ».", "Valeurs possibles : exacte, debut."
        )
    return value


@lru_cache(maxsize=1)
def _index() -> dict[str, Prepared]:
    found: dict[str, Prepared] = {}
    for file in sorted(_root().glob("*/*.md")):
        item = _parse(file)
        if item.key in found:
            raise InputError(
                f"Deux exemples préparés portent le nom « {item.key} » "
                f"({found[item.key].session} et {item.session}).",
                "Renommez l'un des deux fichiers : chaque clé est unique dans le cours.",
            )
        found[item.key] = item
    return found


def keys() -> list[str]:
    """Every prepared answer's key, in alphabetical order."""
    return sorted(_index())


def get(key: str) -> Prepared:
    """The prepared answer *key* (a file stem, e.g. ``"objets-courriel"``)."""
    index = _index()
    if key not in index:
        import difflib

        close = difflib.get_close_matches(key, list(index), n=1)
        hint = f"Vouliez-vous dire « {close[0]} » ?" if close else "Vérifiez le nom de l'exemple."
        raise InputError(f"Aucun exemple préparé ne s'appelle « {key} ».", hint)
    return index[key]


def text(key: str) -> str:
    """The prepared text alone (for demos whose helpers take a ``simulated=`` text)."""
    return get(key).body


def labelled(key: str) -> str:
    """The prepared text after its honest label (for helpers that take ``simulated=``)."""
    return f"{LABEL}\n\n{get(key).body}"


def path(name: str) -> Path:
    """A data file shipped next to the prepared answers (``exemples/<session>/<name>``)."""
    for file in sorted(_root().glob(f"*/{name}")):
        return file
    raise InputError(
        f"Fichier d'exemple introuvable : {name}.",
        "Réinstallez le paquet atelier-ia (pip install -e .).",
    )


def _flat(value) -> str:
    if isinstance(value, list):  # a message with images: keep its text parts
        value = " ".join(p.get("text", "") for p in value if isinstance(p, dict))
    return " ".join(str(value or "").split())


def prompt_changed(item: Prepared, prompt) -> bool:
    """Whether *prompt* differs from the prompt *item* was written for (spacing ignored)."""
    if item.comparison == "debut":
        return not _flat(prompt).startswith(_flat(item.prompt))
    return _flat(prompt) != _flat(item.prompt)


def _pick(keys, prompt) -> tuple[Prepared, bool]:
    """The example written for *prompt* among *keys* (else the first one), and whether none was."""
    items = [get(k) for k in ([keys] if isinstance(keys, str) else list(keys))]
    if not items:
        raise InputError("Aucun exemple préparé n'est donné.", "Nommez au moins un exemple.")
    for item in items:
        if not prompt_changed(item, prompt):
            return item, False
    return items[0], True


def answer(key: str | list[str] | tuple[str, ...], messages: list[dict] | str) -> str:
    """The labelled prepared answer for *key*, told whether the last user prompt changed.

    *key* may list several examples (a prompt before and after improvement): the one whose
    prompt is the one sent is shown; otherwise the first, with its changed-prompt note.
    """
    if isinstance(messages, str):
        prompt = messages
    else:
        users = [m.get("content") for m in messages if m.get("role") == "user"]
        prompt = (users[-1] or "") if users else ""  # text, or a list of parts with images
    item, changed = _pick(key, prompt)
    parts = [LABEL]
    if changed:
        parts.append(item.changed_note or CHANGED)
    parts.append(item.body)
    return "\n\n".join(parts)
