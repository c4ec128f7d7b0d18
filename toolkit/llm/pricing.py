"""Estimated cost of a call, from a configurable price table (``toolkit/data/prices.yml``)."""

from __future__ import annotations

import functools
from pathlib import Path

from toolkit.errors import ConfigError

__all__ = ["PriceTable", "load_prices"]

_DEFAULT = Path(__file__).resolve().parent.parent / "data" / "prices.yml"


class PriceTable:
    """Prices per million tokens and per image; unknown models cost ``None``."""

    def __init__(self, data: dict, source: Path):
        self.source = source
        self.currency = str(data.get("currency", "USD"))
        self.models = {str(k): v for k, v in (data.get("models") or {}).items()}
        self.images = {str(k): float(v) for k, v in (data.get("images") or {}).items()}

    def _lookup(self, table: dict, model: str):
        if model in table:
            return table[model]
        # Dated snapshots ("gpt-4o-mini-2024-07-18") cost what their family costs.
        matches = [k for k in table if model.startswith(k + "-")]
        return table[max(matches, key=len)] if matches else None

    def chat_cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
        price = self._lookup(self.models, model)
        if price is None:
            return None
        return (
            prompt_tokens * float(price["input"]) + completion_tokens * float(price["output"])
        ) / 1e6

    def image_cost(self, model: str) -> float | None:
        return self._lookup(self.images, model)


@functools.lru_cache(maxsize=8)
def _load(path: str) -> PriceTable:
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(
            f"Table de prix {p} illisible ({exc.strerror}).",
            "Corrigez ATELIER_PRICES ou retirez-le pour utiliser la table livrée.",
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"Table de prix {p} : YAML invalide ({exc}).", "Corrigez le fichier."
        ) from exc
    for name, price in (data.get("models") or {}).items():
        if not isinstance(price, dict) or not {"input", "output"} <= set(price):
            raise ConfigError(
                f"Table de prix {p} : le modèle « {name} » doit avoir input et output.",
                f"Écrivez par exemple « {name}: {{input: 0.15, output: 0.60}} ».",
            )
    return PriceTable(data, p)


def load_prices(path: Path | None = None) -> PriceTable:
    return _load(str(path or _DEFAULT))
