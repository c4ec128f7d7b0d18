"""Batch automation: the same prompt over a list of records, with a cost estimate first, a
progress bar, and a clean stop when the session's token budget is reached.

:func:`estimate` gives the tokens and cost of a batch before running it; :func:`run_batch`
fills the prompt template with each record, asks the model, and returns a tidy table of
answers (:class:`BatchResult`).  A :class:`~toolkit.errors.BudgetExceededError` stops the batch
cleanly with a French message; any other model error is recorded on its row, and the batch
stops after three errors in a row (the endpoint is probably down).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import BudgetExceededError, InputError, LLMError
from toolkit.fr import montant, nombre, pluriel, typographie

__all__ = ["BatchResult", "CostEstimate", "estimate", "render", "run_batch"]

_MAX_CONSECUTIVE_ERRORS = 3


def _records(records) -> list[dict[str, Any]]:
    if hasattr(records, "to_dict"):
        return records.to_dict(orient="records")
    items = list(records)
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"L'élément n° {i} de la liste n'est pas un enregistrement "
                             "(champ → valeur).", "Passez un tableau pandas ou une liste de "
                             "dictionnaires.")
    return items


def render(template: str, record: dict[str, Any], position: int = 1) -> str:
    """*template* with ``{champ}`` replaced by the record's values (missing field: error)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InputError(
            f"Le modèle de prompt contient une accolade isolée ({exc}).",
            "Pour écrire une accolade dans le texte, doublez-la : {{ ou }}.",
        ) from exc
    fields = {name for _, name, _, _ in parsed if name is not None}
    if "" in fields or any(not name.isidentifier() for name in fields):
        raise InputError(
            "Le modèle de prompt contient une case sans nom valide ({} ou {0}).",
            "Nommez chaque case d'après une colonne, par exemple {intitule}.",
        )
    missing = sorted(fields - set(record))
    if missing:
        raise InputError(
            f"Le modèle de prompt utilise {{{missing[0]}}}, absent de l'élément n° {position}.",
            f"Champs disponibles : {', '.join(map(str, record))}.",
        )
    return template.format(**{k: ("" if v is None else v) for k, v in record.items()
                              if isinstance(k, str)})


@dataclass
class CostEstimate(ShowsStr):
    """Tokens and cost of a batch, computed before running it."""

    items: int
    prompt_tokens: int
    completion_tokens: int
    cost: float | None
    currency: str
    mode: str
    budget_remaining: int | None
    #: Offline only: what the batch would cost live with the configured model (None: unknown).
    reference_cost: float | None = None
    model: str = ""

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def fits_budget(self) -> bool:
        return self.budget_remaining is None or self.total_tokens <= self.budget_remaining

    def __str__(self) -> str:
        if self.cost is None:
            cost = "coût inconnu pour ce modèle (prix absent de la table)"
        elif self.mode == "offline":
            cost = "coût 0 (mode hors ligne : rien n'est envoyé)"
            if self.reference_cost is not None:
                cost += (f" ; en direct avec {self.model}, "
                         f"≈\u00a0{montant(self.reference_cost, self.currency)}")
        else:
            cost = f"coût estimé {montant(self.cost, self.currency)}"
        budget = ("pas de budget de session fixé" if self.budget_remaining is None
                  else f"budget restant {pluriel(self.budget_remaining, 'jeton')}"
                  + ("" if self.fits_budget else " : INSUFFISANT, le lot s'arrêtera en route"))
        return typographie(f"Estimation avant lancement\u00a0: {pluriel(self.items, 'élément')}, "
                f"≈\u00a0{pluriel(self.prompt_tokens, 'jeton envoyé')} + "
                f"{pluriel(self.completion_tokens, 'jeton')} de réponse (au plus), {cost}\u202f; "
                f"{budget}.")

    def _repr_html_(self) -> str:
        from toolkit.html import status_line

        return status_line(f"💰 {self}", ok=self.fits_budget)


def _done(done: int, total: int) -> str:
    """« Lot terminé : 3 éléments traités sur 4. » with French plurals."""
    shown = pluriel(done, "élément traité", aucun="aucun élément traité")
    return f"Lot terminé\u00a0: {shown} sur {nombre(total)}."


def estimate(template: str, records, *, system: str | None = None,
             completion_tokens: int = 300, model: str | None = None) -> CostEstimate:
    """Estimate tokens and cost of :func:`run_batch` with the same arguments (nothing is sent)."""
    import toolkit
    from toolkit.config import settings
    from toolkit.llm.pricing import load_prices

    items = _records(records)
    prompts = [render(template, r, i) for i, r in enumerate(items, start=1)]
    prompt_tokens = sum(toolkit.count_tokens((system or "") + "\n" + p) for p in prompts)
    costs = [toolkit.estimate_cost((system or "") + "\n" + p, completion_tokens, model=model)
             for p in prompts]
    known = [c for c in costs if c is not None]
    cost = float(sum(known)) if len(known) == len(costs) else None
    s = settings()
    prices = load_prices(s.prices_file)
    reference = None
    if s.mode == "offline":
        reference = prices.chat_cost(model or s.model, prompt_tokens,
                                     completion_tokens * len(items))
    return CostEstimate(
        items=len(items),
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens * len(items),
        cost=cost,
        currency=prices.currency,
        mode=s.mode,
        budget_remaining=toolkit.usage().remaining,
        reference_cost=reference,
        model=model or s.model,
    )


@dataclass
class BatchResult(ShowsStr):
    """The answers of a batch (tidy ``table``), and why it stopped if it did."""

    table: Any
    total: int
    stopped: bool = False
    message: str = ""

    @property
    def done(self) -> int:
        return int((self.table["statut"] == "ok").sum()) if len(self.table) else 0

    def __str__(self) -> str:
        head = self.message or _done(self.done, self.total)
        lines = [head]
        for row in self.table.itertuples():
            text = " ".join(str(row.reponse).split())
            lines.append(f"- {row.element} [{row.statut}] {text[:160]}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from toolkit.html import status_line

        head = self.message or _done(self.done, self.total)
        cols = [c for c in ("element", "statut", "reponse", "jetons") if c in self.table]
        return (status_line(head, ok=not self.stopped, bold=True)
                + self.table[cols].to_html(index=False, escape=True,
                                           formatters={"jetons": nombre}))


def run_batch(
    template: str,
    records,
    *,
    system: str | None = None,
    id_field: str | None = None,
    simulated=None,
    progress: bool = True,
    **options,
) -> BatchResult:
    """Ask the model once per record (prompt = *template* filled with the record).

    *simulated* (offline mode only) is a text, a list of texts (one per record) or a function
    ``record -> text``.  Stops cleanly on :class:`BudgetExceededError`.
    """
    import pandas as pd

    import toolkit

    items = _records(records)
    prompts = [render(template, r, i) for i, r in enumerate(items, start=1)]
    options.setdefault("stream", False)
    rows: list[dict[str, Any]] = []
    stopped, message, errors_in_row = False, "", 0
    bar = None
    if progress:
        from tqdm.auto import tqdm

        # French words only: tqdm's default line ends in a rate (« 238.64élément/s »).
        bar = tqdm(total=len(items), desc="Traitement du lot", unit="élément",
                   bar_format="{desc}\u00a0: {bar} {n} sur "
                              + pluriel(len(items), "élément").replace("{", "{{"))
    try:
        for i, (record, prompt) in enumerate(zip(items, prompts, strict=True)):
            label = str(record.get(id_field, i + 1)) if id_field else str(i + 1)
            if callable(simulated):
                sim = simulated(record)
            elif isinstance(simulated, (list, tuple)):
                sim = simulated[i] if i < len(simulated) else None
            else:
                sim = simulated
            try:
                answer = toolkit.ask(prompt, system=system, simulated=sim, **options)
            except BudgetExceededError as exc:
                stopped = True
                message = (f"Arrêt propre\u00a0: budget de la session atteint après "
                           f"{pluriel(i, 'élément', aucun='aucun élément')} "
                           f"sur {len(items)}. {exc.message} Les réponses déjà obtenues sont "
                           "conservées ci-dessous.")
                break
            except LLMError as exc:
                errors_in_row += 1
                rows.append({"element": label, "statut": "erreur", "reponse": exc.message,
                             "jetons": 0, "cout": 0.0})
                if errors_in_row >= _MAX_CONSECUTIVE_ERRORS:
                    stopped = True
                    message = (f"Arrêt : {errors_in_row} erreurs de suite (le modèle semble "
                               f"indisponible). Dernière erreur : {exc.message}")
                    break
                continue
            finally:
                if bar is not None:
                    bar.update(1)
            errors_in_row = 0
            rows.append({"element": label, "statut": "ok", "reponse": str(answer),
                         "jetons": answer.total_tokens,
                         "cout": answer.cost or 0.0})
    finally:
        if bar is not None:
            bar.close()
    table = pd.DataFrame(rows, columns=["element", "statut", "reponse", "jetons", "cout"])
    return BatchResult(table=table, total=len(items), stopped=stopped, message=message)
