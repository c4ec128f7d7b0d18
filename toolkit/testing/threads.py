"""Concurrent calls for the budget's tests and benchmark: many threads asking at once."""

from __future__ import annotations

import threading

from toolkit.errors import BudgetExceededError

__all__ = ["ask_from_threads"]


def ask_from_threads(prompt: str, *, threads: int = 20, calls: int = 3, stream: bool = False,
                     timeout: float = 60) -> list[BudgetExceededError]:
    """Ask *prompt* *calls* times in each of *threads* threads released together; the calls
    the budget refused (each thread waits at a barrier so that the calls overlap)."""
    import toolkit

    refused: list[BudgetExceededError] = []
    barrier = threading.Barrier(threads)

    def worker() -> None:
        barrier.wait()
        for _ in range(calls):
            try:
                toolkit.ask(prompt, stream=stream)
            except BudgetExceededError as exc:
                refused.append(exc)

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join(timeout)
    return refused
