"""The library of business assistants ("GPTs"): versioned YAML files, validated, run, improved.

An assistant is a file ``<id>.v<version>.yaml`` holding a system prompt, input fields, a user
message template, few-shot examples and automatic checks (schema: :data:`SCHEMA`).  Assistants
ship in ``toolkit/data/assistants/``; improved versions made by department experts are saved to
the shared folder (``<ATELIER_SHARED_DIR>/assistants/``) and found there too.
"""

from __future__ import annotations

import contextlib
import copy
import html
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError
from toolkit.fr import pluriel

__all__ = [
    "SCHEMA",
    "Assistant",
    "AssistantRun",
    "CheckResult",
    "Comparison",
    "compare",
    "get",
    "library_folders",
    "list_assistants",
    "load_file",
    "validate",
]

_ID = r"^[a-z0-9][a-z0-9-]{1,62}$"
_FIELD = r"^[a-z_][a-z0-9_]{0,39}$"

#: JSON Schema of an assistant file (keys in French: the files are edited by experts).
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "nom", "version", "auteur", "objectif", "prompt_systeme", "champs",
                 "modele_message", "exemples", "verifications"],
    "properties": {
        "id": {"type": "string", "pattern": _ID},
        "nom": {"type": "string", "minLength": 3, "maxLength": 80},
        "version": {"type": "integer", "minimum": 1},
        "auteur": {"type": "string", "minLength": 2},
        "service": {"type": "string"},
        "date": {"type": "string"},
        "objectif": {"type": "string", "minLength": 10},
        "prompt_systeme": {"type": "string", "minLength": 20},
        "modele_message": {"type": "string", "minLength": 5},
        "champs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["nom", "libelle"],
                "properties": {
                    "nom": {"type": "string", "pattern": _FIELD},
                    "libelle": {"type": "string", "minLength": 2},
                    "aide": {"type": "string"},
                    "obligatoire": {"type": "boolean"},
                    "exemple": {"type": "string"},
                },
            },
        },
        "exemples": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["entrees", "sortie"],
                "properties": {
                    "entrees": {"type": "object", "additionalProperties": {"type": "string"}},
                    "sortie": {"type": "string", "minLength": 1},
                },
            },
        },
        "verifications": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "valeur", "message"],
                "properties": {
                    "type": {"enum": ["contient", "ne_contient_pas", "mots_max", "mots_min",
                                      "regex"]},
                    "valeur": {"type": ["string", "integer"]},
                    "message": {"type": "string", "minLength": 3},
                },
            },
        },
        "journal": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["version", "note"],
                "properties": {
                    "version": {"type": "integer"},
                    "auteur": {"type": "string"},
                    "date": {"type": "string"},
                    "note": {"type": "string"},
                },
            },
        },
    },
}

_TYPE_FR = {"string": "un texte", "integer": "un nombre entier", "array": "une liste",
            "object": "un ensemble de champs (clé : valeur)", "boolean": "oui/non (true/false)",
            "number": "un nombre"}


def _field_path(path) -> str:
    """``champs[1].nom`` style path of a jsonschema error (1-based item numbers)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(racine du fichier)"


def _schema_error_fr(error, label: str) -> InputError:
    """Turn one jsonschema ValidationError into a French InputError naming file and field."""
    where = _field_path(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        full = f"{where}.{name}" if error.absolute_path else name
        return InputError(f"{label} : le champ « {full} » manque.",
                          f"Ajoutez « {name}: ... » (voir un assistant livré comme modèle).")
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        name = extra[0] if extra else "?"
        full = f"{where}.{name}" if error.absolute_path else name
        return InputError(f"{label} : le champ « {full} » est inconnu.",
                          "Vérifiez l'orthographe (les noms de champs sont sans accents) "
                          "ou retirez ce champ.")
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        wanted = " ou ".join(str(_TYPE_FR.get(t, t)) for t in expected)
        return InputError(f"{label} : le champ « {where} » doit être {wanted}.",
                          f"Corrigez la valeur de « {where} ».")
    if kind in ("minLength", "minItems"):
        return InputError(f"{label} : le champ « {where} » est vide ou trop court.",
                          f"Complétez « {where} ».")
    if kind == "maxLength":
        return InputError(f"{label} : le champ « {where} » est trop long.",
                          f"Raccourcissez « {where} » ({error.validator_value} caractères "
                          "au plus).")
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return InputError(f"{label} : le champ « {where} » vaut « {error.instance} ».",
                          f"Valeurs possibles : {allowed}.")
    if kind == "pattern":
        return InputError(
            f"{label} : le champ « {where} » (« {error.instance} ») n'a pas la bonne forme.",
            "Utilisez des minuscules sans accents, des chiffres et des tirets (ou soulignés "
            "pour un nom de champ), sans espace.")
    if kind == "minimum":
        return InputError(f"{label} : le champ « {where} » doit être au moins "
                          f"{error.validator_value}.", f"Corrigez « {where} ».")
    return InputError(f"{label} : le champ « {where} » est invalide ({error.message}).",
                      f"Corrigez « {where} ».")


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{([a-z_][a-z0-9_]*)\}", template))


def validate(data: Any, label: str) -> None:
    """Check an assistant's data; :class:`InputError` names *label* (the file) and the field."""
    from jsonschema import Draft202012Validator

    if not isinstance(data, dict):
        raise InputError(f"{label} : le fichier ne décrit pas un assistant (il est vide ou "
                         "n'est pas un ensemble de champs).", "Partez d'un assistant livré.")
    validator = Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path),
                                                                list(e.absolute_path)))
    if errors:
        raise _schema_error_fr(errors[0], label)
    names = [c["nom"] for c in data["champs"]]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise InputError(f"{label} : le champ « champs[{i + 1}].nom » (« {name} ») est en "
                             "double.", "Donnez un nom unique à chaque champ.")
    import string

    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(data["modele_message"])
                  if f is not None]
    except ValueError:
        fields = [""]
    if any(not re.fullmatch(r"[a-z_][a-z0-9_]*", f) for f in fields):
        raise InputError(
            f"{label} : le champ « modele_message » contient une accolade isolée ou une case "
            "sans nom valide.",
            "Chaque case s'écrit {nom_du_champ} ; pour une accolade dans le texte, "
            "doublez-la : {{ ou }}.")
    unknown = _placeholders(data["modele_message"]) - set(names)
    if unknown:
        raise InputError(
            f"{label} : le champ « modele_message » utilise {{{sorted(unknown)[0]}}}, qui "
            "n'est pas déclaré dans « champs ».",
            f"Ajoutez ce champ à « champs » ou corrigez le modèle. Champs : {', '.join(names)}.")
    for i, ex in enumerate(data["exemples"], start=1):
        extra = set(ex["entrees"]) - set(names)
        if extra:
            raise InputError(
                f"{label} : le champ « exemples[{i}].entrees.{sorted(extra)[0]} » n'est pas "
                "déclaré dans « champs ».", "Corrigez le nom ou déclarez le champ.")
    for i, check in enumerate(data["verifications"], start=1):
        value = check["valeur"]
        if check["type"] in ("mots_max", "mots_min") and not isinstance(value, int):
            raise InputError(f"{label} : le champ « verifications[{i}].valeur » doit être un "
                             "nombre entier pour ce type.", "Mettez par exemple 250.")
        if check["type"] == "regex":
            try:
                re.compile(str(value))
            except re.error as exc:
                raise InputError(f"{label} : le champ « verifications[{i}].valeur » n'est pas "
                                 f"une expression régulière valide ({exc}).",
                                 "Corrigez l'expression ou utilisez le type « contient ».") from exc


@dataclass(frozen=True)
class CheckResult:
    """One automatic check of an assistant's answer."""

    ok: bool
    message: str
    #: What was looked for and found or not (« mot-clé absent : « missions » »): a keyword
    #: check cannot tell that the answer *presents* the missions, only that the word is there.
    detail: str = ""

    def __str__(self) -> str:
        mark = "✅" if self.ok else "⚠️"
        if not self.detail:
            return f"{mark} {self.message}"
        purpose = self.message.rstrip(". ")
        return f"{mark} {self.detail} (contrôle\u00a0: {purpose[:1].lower()}{purpose[1:]})"


# A regex that is only inline flags and one plain word or phrase reads as a keyword.
_PLAIN_PATTERN = re.compile(r"(?:\(\?[aiLmsux]+\))?([\w' -]+)")


def _looked_for(kind: str, value: object, ok: bool, body: str) -> str:
    """French wording of what a check looked for, and whether it was found."""
    if kind in ("mots_max", "mots_min"):
        limit = "au plus" if kind == "mots_max" else "au moins"
        return f"longueur\u00a0: {_word_count(body)} mots ({limit} {value})"
    if kind == "ne_contient_pas":
        state = "présent" if not ok else "absent"
        return f"mot à éviter {state}\u00a0: «\u202f{value}\u202f»"
    plain = _PLAIN_PATTERN.fullmatch(str(value)) if kind == "regex" else None
    if kind == "contient" or plain:
        word = plain.group(1) if plain else value
        return f"mot-clé {'trouvé' if ok else 'absent'}\u00a0: «\u202f{word}\u202f»"
    # a real regular expression means nothing to a participant: say what kind of search it was
    return f"motif recherché {'trouvé' if ok else 'absent'}"


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))


@dataclass
class Assistant(ShowsStr):
    """A versioned business assistant (see :data:`SCHEMA`); ``path`` is where it was read."""

    data: dict[str, Any]
    path: Path | None = None

    id = property(lambda self: self.data["id"])
    nom = property(lambda self: self.data["nom"])
    version = property(lambda self: self.data["version"])
    auteur = property(lambda self: self.data["auteur"])
    objectif = property(lambda self: " ".join(self.data["objectif"].split()))
    prompt_systeme = property(lambda self: self.data["prompt_systeme"].strip())
    champs = property(lambda self: self.data["champs"])
    exemples = property(lambda self: self.data["exemples"])
    verifications = property(lambda self: self.data["verifications"])

    @property
    def label(self) -> str:
        return f"{self.nom} (v{self.version})"

    def example_inputs(self) -> dict[str, str]:
        """The ``exemple`` value of every field: handy to try the assistant at once."""
        return {c["nom"]: c.get("exemple", "") for c in self.champs}

    def user_message(self, inputs: dict[str, Any]) -> str:
        """The user message: the template filled with *inputs* (required fields checked)."""
        values = {}
        for c in self.champs:
            value = str(inputs.get(c["nom"], "") or "").strip()
            if not value and c.get("obligatoire", True):
                raise InputError(
                    f"Assistant « {self.nom} » : le champ « {c['nom']} » ({c['libelle']}) "
                    "est obligatoire.", f"Renseignez « {c['nom']} ». {c.get('aide', '')}".strip())
            values[c["nom"]] = value or "(non précisé)"
        unknown = set(inputs) - {c["nom"] for c in self.champs}
        if unknown:
            raise InputError(
                f"Assistant « {self.nom} » : champ inconnu « {sorted(unknown)[0]} ».",
                f"Champs possibles : {', '.join(c['nom'] for c in self.champs)}.")
        return self.data["modele_message"].format(**values).strip()

    def messages(self, inputs: dict[str, Any]) -> list[dict[str, str]]:
        """System prompt, then each example as a user/assistant pair, then the request."""
        msgs = [{"role": "system", "content": self.prompt_systeme}]
        for ex in self.exemples:
            filled = {c["nom"]: ex["entrees"].get(c["nom"], "(non précisé)") for c in self.champs}
            msgs.append({"role": "user",
                         "content": self.data["modele_message"].format(**filled).strip()})
            msgs.append({"role": "assistant", "content": ex["sortie"].strip()})
        msgs.append({"role": "user", "content": self.user_message(inputs)})
        return msgs

    def check(self, text: str) -> list[CheckResult]:
        """Run the assistant's automatic checks on an answer."""
        results = []
        body = str(text)
        for c in self.verifications:
            kind, value, message = c["type"], c["valeur"], c["message"]
            if kind == "contient":
                ok = str(value).lower() in body.lower()
            elif kind == "ne_contient_pas":
                ok = str(value).lower() not in body.lower()
            elif kind == "mots_max":
                ok = _word_count(body) <= int(value)
            elif kind == "mots_min":
                ok = _word_count(body) >= int(value)
            else:
                ok = re.search(str(value), body, flags=re.IGNORECASE | re.MULTILINE) is not None
            results.append(CheckResult(ok, message, _looked_for(kind, value, ok, body)))
        return results

    def run(self, inputs: dict[str, Any] | None = None, *, simulated: str | None = None,
            **options) -> AssistantRun:
        """Ask the model through :func:`toolkit.chat` and check the answer."""
        import toolkit

        inputs = self.example_inputs() if inputs is None else inputs
        # The run displays the answer itself (with its checks): no separate streamed copy.
        options.setdefault("stream", False)
        answer = toolkit.chat(self.messages(inputs), simulated=simulated, **options)
        return AssistantRun(self, dict(inputs), answer, self.check(str(answer)))

    def improve(self, *, auteur: str, note: str, **changes) -> Assistant:
        """A new version (version + 1) with *changes* applied and a journal line added.

        Changes use the file's keys, e.g. ``prompt_systeme=...``, ``verifications=[...]``.
        """
        data = copy.deepcopy(self.data)
        data.update(changes)
        data["version"] = self.version + 1
        data["auteur"] = auteur
        data["date"] = date.today().isoformat()
        data.setdefault("journal", [])
        data["journal"] = [*data["journal"], {"version": data["version"], "auteur": auteur,
                                              "date": data["date"], "note": note}]
        validate(data, f"nouvelle version de « {self.id} »")
        return Assistant(data)

    def to_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=100)

    def save(self, folder=None) -> Path:
        """Write ``<id>.v<version>.yaml`` in *folder* (default: the shared assistants folder).

        An existing version is never overwritten: save an improved copy under a new version.
        """
        from toolkit.course.sharedfolder import shared_dir

        target = Path(folder) if folder is not None else shared_dir() / "assistants"
        target.mkdir(parents=True, exist_ok=True)
        final = target / f"{self.id}.v{self.version}.yaml"
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=target)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.to_yaml())
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, final)  # atomic and never overwrites an existing version
            except FileExistsError:
                raise InputError(
                    f"La version {self.version} de « {self.id} » existe déjà : {final}.",
                    "Créez une nouvelle version avec .improve(...) avant d'enregistrer.",
                ) from None
            except OSError:  # file systems without hard links (some network shares)
                if final.exists():
                    raise InputError(
                        f"La version {self.version} de « {self.id} » existe déjà : {final}.",
                        "Créez une nouvelle version avec .improve(...) avant d'enregistrer.",
                    ) from None
                os.replace(tmp, final)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.path = final
        return final

    def __str__(self) -> str:
        lines = [f"{self.label} — {self.auteur}", self.objectif, "",
                 "Prompt système :", self.prompt_systeme, "", "Champs :"]
        lines += [f"  - {c['nom']} : {c['libelle']}"
                  + ("" if c.get("obligatoire", True) else " (facultatif)") for c in self.champs]
        lines.append(f"Exemples : {len(self.exemples)} · vérifications : "
                     f"{len(self.verifications)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        fields = "".join(f"<li><code>{e(c['nom'])}</code> : {e(c['libelle'])}</li>"
                         for c in self.champs)
        checks = "".join(f"<li>{e(c['message'])}</li>" for c in self.verifications)
        journal = "".join(f"<li>v{j['version']} : {e(j['note'])}</li>"
                          for j in self.data.get("journal", []))
        return (
            f"<div style='border:1px solid #ccc;border-radius:6px;padding:8px'>"
            f"<b>{e(self.label)}</b> · {e(self.auteur)}<br><i>{e(self.objectif)}</i>"
            f"<details><summary>Prompt système</summary><pre style='white-space:pre-wrap'>"
            f"{e(self.prompt_systeme)}</pre></details>"
            f"<p>Champs :</p><ul>{fields}</ul><p>{pluriel(len(self.exemples), 'exemple')} · "
            f"vérifications :</p><ul>{checks}</ul>"
            + (f"<p>Journal :</p><ul>{journal}</ul>" if journal else "") + "</div>"
        )


@dataclass
class AssistantRun(ShowsStr):
    """An assistant's answer to some inputs, with its automatic checks."""

    assistant: Assistant
    inputs: dict[str, str]
    answer: Any
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def text(self) -> str:
        return str(self.answer)

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    def __str__(self) -> str:
        lines = [f"{self.assistant.label} :", self.text, "",
                 f"Vérifications automatiques : {self.passed}/{len(self.checks)}"]
        lines += [f"  {c}" for c in self.checks]
        return "\n".join(lines)

    def _checks_html(self) -> str:
        items = "".join(f"<li>{html.escape(str(c))}</li>" for c in self.checks)
        return (f"<p><b>Vérifications automatiques : {self.passed}/{len(self.checks)}</b></p>"
                f"<ul>{items}</ul>")

    def _repr_html_(self) -> str:
        body = self.answer._repr_html_() if hasattr(self.answer, "_repr_html_") else (
            f"<pre style='white-space:pre-wrap'>{html.escape(self.text)}</pre>")
        return f"<h4>{html.escape(self.assistant.label)}</h4>{body}{self._checks_html()}"


@dataclass
class Comparison(ShowsStr):
    """Two runs of the same inputs side by side (e.g. version 1 and version 2)."""

    left: AssistantRun
    right: AssistantRun

    def __str__(self) -> str:
        return f"{self.left}\n\n{'=' * 60}\n\n{self.right}"

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<td style='vertical-align:top;width:50%;padding:6px'>{run._repr_html_()}</td>"
            for run in (self.left, self.right))
        return f"<table style='width:100%;table-layout:fixed'><tr>{cells}</tr></table>"


def compare(left: Assistant, right: Assistant, inputs: dict[str, Any] | None = None, *,
            simulated: tuple[str | None, str | None] = (None, None), **options) -> Comparison:
    """Run two assistants (often two versions of one) on the same inputs, side by side."""
    inputs = left.example_inputs() if inputs is None else inputs
    return Comparison(left.run(inputs, simulated=simulated[0], **options),
                      right.run(inputs, simulated=simulated[1], **options))


def load_file(path) -> Assistant:
    """Read and validate one assistant file; errors name the file and the field."""
    import yaml

    path = Path(path)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Fichier d'assistant illisible : {path} ({exc.strerror}).",
                         "Vérifiez le chemin.") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" à la ligne {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{label} : YAML invalide{where}.",
                         "Vérifiez l'indentation (espaces, pas de tabulations) et les « : ».") \
            from exc
    validate(data, label)
    expected = f"{data['id']}.v{data['version']}.yaml"
    if path.name != expected:
        raise InputError(f"{label} : le nom du fichier ne correspond pas aux champs « id » et "
                         f"« version » (attendu {expected}).",
                         f"Renommez le fichier en {expected}.")
    return Assistant(data, path)


def library_folders(extra=None) -> list[Path]:
    """Folders searched: the shipped assistants, the shared folder's, then *extra* ones."""
    from importlib.resources import files

    from toolkit.course.sharedfolder import shared_dir
    from toolkit.errors import ConfigError

    folders = [Path(str(files("toolkit") / "data" / "assistants"))]
    with contextlib.suppress(ConfigError):
        shared = shared_dir(create=False) / "assistants"
        if shared.is_dir():
            folders.append(shared)
    for item in extra or ():
        folders.append(Path(item))
    return folders


def _all(extra=None) -> list[Assistant]:
    found: dict[tuple[str, int], Assistant] = {}
    for folder in library_folders(extra):
        for path in sorted(folder.glob("*.v*.yaml")):
            if path.name.startswith("."):
                continue
            assistant = load_file(path)
            found.setdefault((assistant.id, assistant.version), assistant)
    return sorted(found.values(), key=lambda a: (a.id, a.version))


def list_assistants(extra=None):
    """A tidy table of every assistant version: id, version, nom, auteur, service, fichier."""
    import pandas as pd

    rows = [{"id": a.id, "version": a.version, "nom": a.nom, "auteur": a.auteur,
             "service": a.data.get("service", ""), "objectif": a.objectif,
             "fichier": str(a.path)} for a in _all(extra)]
    return pd.DataFrame(rows, columns=["id", "version", "nom", "auteur", "service", "objectif",
                                       "fichier"])


def get(assistant_id: str, version: int | None = None, *, extra=None) -> Assistant:
    """An assistant by id, its latest version unless *version* is given."""
    everything = _all(extra)
    matching = [a for a in everything if a.id == assistant_id]
    if not matching:
        known = ", ".join(sorted({a.id for a in everything}))
        raise InputError(f"Assistant « {assistant_id} » introuvable.",
                         f"Assistants disponibles : {known}.")
    if version is None:
        return matching[-1]
    for a in matching:
        if a.version == version:
            return a
    raise InputError(f"L'assistant « {assistant_id} » n'a pas de version {version}.",
                     "Versions disponibles : "
                     + ", ".join(str(a.version) for a in matching) + ".")
