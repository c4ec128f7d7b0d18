"""The survey instrument: items, answer scales, dimensions and level rules read from YAML.

The packaged ``toolkit/data/survey/instrument.yml`` is the single source; every loader,
template and statistic reads it through :func:`load_instrument`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError, InputError
from toolkit.survey._text import norm_text

PHASES = ("pre", "post", "followup")
PHASE_FR = {"pre": "avant", "post": "après", "followup": "suivi J+30"}
#: The item types as the trainer reads them in the instrument table.
TYPE_FR = {"code": "code personnel", "choice": "choix", "scale": "échelle", "quiz": "quiz",
           "number": "nombre"}
ITEM_TYPES = ("code", "choice", "scale", "quiz", "number")
RULE_OPS = ("min", "max", "equals", "in")


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale with official labels and accepted variants."""

    name: str
    min: int
    max: int
    labels: dict[int, dict[str, str]]
    aliases: dict[str, int] = field(default_factory=dict)

    def label(self, value: int, lang: str = "fr") -> str:
        return self.labels[value][lang]


@dataclass(frozen=True)
class Item:
    """One question of the instrument."""

    code: str
    section: str
    phases: tuple[str, ...]
    type: str
    text: dict[str, str]
    scale: str | None = None
    dimension: str | None = None
    reverse: bool = False
    required: bool = False
    options: tuple[dict[str, str], ...] = ()
    answer: str | None = None
    min: float | None = None
    max: float | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "section": self.section,
            "phases": list(self.phases),
            "type": self.type,
            "text": dict(self.text),
            "scale": self.scale,
            "dimension": self.dimension,
            "reverse": self.reverse,
            "required": self.required,
        }
        if self.options:
            data["options"] = [dict(o) for o in self.options]
        if self.answer is not None:
            data["answer"] = self.answer
        if self.min is not None:
            data["min"], data["max"] = self.min, self.max
        if self.source:
            data["source"] = self.source
        return data


@dataclass(frozen=True)
class Instrument:
    """The whole questionnaire (see the YAML file for field meanings)."""

    version: str
    title: dict[str, str]
    citation: str
    items: tuple[Item, ...]
    scales: dict[str, Scale]
    dimensions: dict[str, dict[str, Any]]
    sections: dict[str, dict[str, str]]
    levels: dict[str, Any]
    missing_labels: tuple[str, ...]
    source: str = "instrument.yml"

    # ---- look-ups ------------------------------------------------------------------------
    def item(self, code: str) -> Item:
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)

    def scale_of(self, item: Item) -> Scale:
        """The answer scale of a scale item (KeyError for an item without one)."""
        if item.scale is None:
            raise KeyError(f"{item.code} has no answer scale")
        return self.scales[item.scale]

    def items_for(self, phase: str) -> list[Item]:
        return [it for it in self.items if phase in it.phases]

    def dimension_items(self, dimension: str, phase: str | None = None) -> list[Item]:
        return [
            it
            for it in self.items
            if it.dimension == dimension and (phase is None or phase in it.phases)
        ]

    def paired_dimensions(self) -> list[str]:
        """Dimensions measured both before and after (those compared with Wilcoxon)."""
        return [d for d, spec in self.dimensions.items() if not spec.get("post_only")]

    def quiz_items(self) -> list[Item]:
        return [it for it in self.items if it.type == "quiz"]

    def level_name(self, level: int) -> str:
        return str(self.levels["names"][int(level)])

    @property
    def level_values(self) -> list[int]:
        return sorted(int(k) for k in self.levels["names"])

    # ---- export --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "title": self.title,
            "citation": self.citation,
            "sections": self.sections,
            "scales": {
                name: {
                    "min": s.min,
                    "max": s.max,
                    "labels": {str(k): v for k, v in s.labels.items()},
                    "aliases": s.aliases,
                }
                for name, s in self.scales.items()
            },
            "missing_labels": list(self.missing_labels),
            "dimensions": self.dimensions,
            "levels": {
                "default": self.levels["default"],
                "names": {str(k): v for k, v in self.levels["names"].items()},
                "descriptions": {str(k): v for k, v in self.levels["descriptions"].items()},
                "rules": self.levels["rules"],
            },
            "items": [it.to_dict() for it in self.items],
        }

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __str__(self) -> str:
        counts = {p: len(self.items_for(p)) for p in PHASES}
        return (
            f"Questionnaire « {self.title['fr']} » (version {self.version}) : "
            f"{len(self.items)} questions ; avant {counts['pre']}, après {counts['post']}, "
            f"suivi {counts['followup']} ; dimensions : {', '.join(self.dimensions)}."
        )

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td><code>{escape(it.code)}</code></td><td>{escape(it.text['fr'])}</td>"
            f"<td>{escape(TYPE_FR.get(it.type, it.type))}</td><td>{escape(it.dimension or '')}</td>"
            f"<td>{', '.join(PHASE_FR[p] for p in it.phases)}</td></tr>"
            for it in self.items
        )
        return (
            f"<p>{escape(str(self))}</p><table><thead><tr><th>code</th><th>question</th>"
            f"<th>type</th><th>dimension</th><th>phases</th></tr></thead><tbody>{rows}</tbody></table>"
        )


def default_path() -> Path:
    return Path(str(resources.files("toolkit") / "data" / "survey" / "instrument.yml"))


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Read and check an instrument YAML file (the packaged one by default)."""
    import yaml

    path = Path(path) if path else default_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"Fichier de questionnaire introuvable : {path}.",
            "Vérifiez le chemin, ou omettez l'option pour utiliser le questionnaire fourni.",
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"Le questionnaire {path} n'est pas un YAML valide ({exc}).",
            "Corrigez la syntaxe (indentation, deux-points) à l'endroit indiqué.",
        ) from exc
    return _build(raw, path)


def _fail(path: Path, where: str, what: str) -> ConfigError:
    return ConfigError(
        f"Questionnaire {path.name}, {where} : {what}.",
        "Corrigez cette entrée du fichier YAML (voir les explications en tête du fichier).",
    )


def _build(raw: dict[str, Any], path: Path) -> Instrument:
    if not isinstance(raw, dict) or "items" not in raw:
        raise _fail(path, "racine", "la clé « items » manque")
    scales: dict[str, Scale] = {}
    for name, spec in (raw.get("scales") or {}).items():
        labels = {int(k): v for k, v in spec["labels"].items()}
        aliases = {str(k): int(v) for k, v in (spec.get("aliases") or {}).items()}
        scales[name] = Scale(name, int(spec["min"]), int(spec["max"]), labels, aliases)
    dimensions = dict(raw.get("dimensions") or {})
    items: list[Item] = []
    seen: set[str] = set()
    for pos, spec in enumerate(raw["items"], start=1):
        code = str(spec.get("code", "")).strip()
        where = f"item n° {pos} ({code or 'sans code'})"
        if not code or not code.isalnum():
            raise _fail(path, where, "le code doit être fait de lettres et de chiffres")
        if code in seen:
            raise _fail(path, where, "ce code est déjà utilisé")
        seen.add(code)
        kind = spec.get("type")
        if kind not in ITEM_TYPES:
            raise _fail(path, where, f"type « {kind} » inconnu (attendu : {', '.join(ITEM_TYPES)})")
        phases = tuple(spec.get("phases") or ())
        if not phases or any(p not in PHASES for p in phases):
            raise _fail(path, where, f"phases {phases} invalides (attendu : {', '.join(PHASES)})")
        if kind == "scale" and spec.get("scale") not in scales:
            raise _fail(path, where, f"échelle « {spec.get('scale')} » inconnue")
        dim = spec.get("dimension")
        if dim is not None and dim not in dimensions:
            raise _fail(path, where, f"dimension « {dim} » inconnue")
        if kind in ("choice", "quiz") and not spec.get("options"):
            raise _fail(path, where, "les options de réponse manquent")
        if kind == "quiz" and spec.get("answer") not in {o["value"] for o in spec["options"]}:
            raise _fail(path, where, "la bonne réponse (« answer ») n'est pas une des options")
        text = spec.get("text") or {}
        if "fr" not in text:
            raise _fail(path, where, "l'intitulé français (text.fr) manque")
        items.append(
            Item(
                code=code,
                section=str(spec.get("section", "")),
                phases=phases,
                type=kind,
                text={"fr": text["fr"], "en": text.get("en", text["fr"])},
                scale=spec.get("scale"),
                dimension=dim,
                reverse=bool(spec.get("reverse", False)),
                required=bool(spec.get("required", False)),
                options=tuple(spec.get("options") or ()),
                answer=spec.get("answer"),
                min=spec.get("min"),
                max=spec.get("max"),
                source=spec.get("source"),
            )
        )
    levels = raw.get("levels") or {}
    levels = {
        "default": int(levels.get("default", 1)),
        "names": {int(k): v for k, v in (levels.get("names") or {}).items()},
        "descriptions": {int(k): v for k, v in (levels.get("descriptions") or {}).items()},
        "rules": list(levels.get("rules") or []),
    }
    for rule in levels["rules"]:
        for cond in rule.get("all", []):
            if cond.get("item") not in seen:
                raise _fail(
                    path, f"règle du niveau {rule.get('level')}", f"item {cond.get('item')} inconnu"
                )
            if not any(op in cond for op in RULE_OPS):
                raise _fail(
                    path,
                    f"règle du niveau {rule.get('level')}",
                    f"condition sans opérateur ({', '.join(RULE_OPS)})",
                )
    # The matching of headers relies on unique question texts.
    texts: dict[str, str] = {}
    for it in items:
        for lang in ("fr", "en"):
            key = norm_text(it.text[lang])
            if key in texts and texts[key] != it.code:
                raise _fail(path, f"item {it.code}", f"même intitulé que {texts[key]}")
            texts[key] = it.code
    return Instrument(
        version=str(raw.get("version", "")),
        title=raw.get("title") or {"fr": "Questionnaire", "en": "Survey"},
        citation=str(raw.get("citation", "")),
        items=tuple(items),
        scales=scales,
        dimensions=dimensions,
        sections=raw.get("sections") or {},
        levels=levels,
        missing_labels=tuple(raw.get("missing_labels") or ()),
        source=str(path),
    )
