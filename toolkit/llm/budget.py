"""Token usage and budgets: reserve before a call, settle after, under one lock.

A call reserves its prompt plus the ``max_tokens`` it asks for; the reservation is refused
when it does not fit in what is left, and settled with the real usage once the answer is
in.  So concurrent calls never take the budget further than the server's own overrun of
``max_tokens``.  Usage is kept per participant (``ATELIER_PARTICIPANT``, set by the hub),
the session's budget applying to each.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from toolkit.errors import BudgetExceededError
from toolkit.fr import pluriel
from toolkit.llm.answer import format_cost

__all__ = ["Ledger", "Reservation", "Usage"]


@dataclass
class Usage:
    """Tokens and estimated cost used in this session (this Python process)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    budget_tokens: int | None = None
    #: Tokens held by calls still running (reserved, not yet settled).
    reserved_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def remaining(self) -> int | None:
        if self.budget_tokens is None:
            return None
        return max(self.budget_tokens - self.total_tokens, 0)

    def __str__(self) -> str:
        budget = (
            f" sur un budget de {self.budget_tokens} ({self.remaining} restants)"
            if self.budget_tokens
            else " (pas de budget fixé)"
        )
        return (
            f"{pluriel(self.calls, 'appel', aucun='aucun appel')}, "
            f"{pluriel(self.total_tokens, 'jeton')}{budget}, "
            f"coût estimé {format_cost(self.cost)}"
        )

    def _repr_html_(self) -> str:
        return f"<p>📊 {self}</p>"


@dataclass(frozen=True)
class Reservation:
    """Tokens held for one call: its prompt and the completion tokens it may use."""

    who: str
    prompt_tokens: int
    max_tokens: int | None

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + (self.max_tokens or 0)


class Ledger:
    """Usage per participant; ``reserve``/``settle``/``release`` are atomic."""

    def __init__(self):
        self._lock = threading.Lock()
        self._usage: dict[str, Usage] = {}

    def usage(self, who: str = "") -> Usage:
        with self._lock:
            return self._usage.setdefault(who, Usage())

    def reserve(
        self, who: str, prompt_tokens: int, max_tokens: int | None, budget: int | None
    ) -> Reservation:
        """Hold prompt + max_tokens, shrinking max_tokens to what is left of the budget."""
        with self._lock:
            u = self._usage.setdefault(who, Usage())
            if budget is None:
                reservation = Reservation(who, prompt_tokens, max_tokens)
            else:
                left = budget - u.total_tokens - u.reserved_tokens
                grant = left - prompt_tokens
                if grant < 1:
                    raise _exceeded(who, budget, u, prompt_tokens)
                grant = grant if max_tokens is None else min(max_tokens, grant)
                reservation = Reservation(who, prompt_tokens, grant)
            u.reserved_tokens += reservation.tokens
            return reservation

    def settle(
        self, reservation: Reservation, prompt_tokens: int, completion_tokens: int, cost
    ) -> None:
        with self._lock:
            u = self._usage.setdefault(reservation.who, Usage())
            u.reserved_tokens -= reservation.tokens
            u.calls += 1
            u.prompt_tokens += prompt_tokens
            u.completion_tokens += completion_tokens
            u.cost += cost or 0.0

    def release(self, reservation: Reservation) -> None:
        """The call failed before using anything: give the tokens back."""
        with self._lock:
            self._usage.setdefault(reservation.who, Usage()).reserved_tokens -= reservation.tokens


def _exceeded(who: str, budget: int, u: Usage, prompt_tokens: int) -> BudgetExceededError:
    whose = f"de {who}" if who else "de la session"
    held = (
        f" (dont {u.reserved_tokens} réservés par des appels en cours)" if u.reserved_tokens else ""
    )
    return BudgetExceededError(
        f"Le budget {whose} ({budget} jetons) est atteint : "
        f"{u.total_tokens + u.reserved_tokens} jetons déjà utilisés{held}, et cette demande en "
        f"compte {prompt_tokens} avant même la réponse.",
        "Augmentez ATELIER_BUDGET_TOKENS, ou redémarrez le noyau pour ouvrir une nouvelle "
        "session ; vérifiez d'abord qu'aucune boucle n'appelle le modèle sans fin.",
    )
