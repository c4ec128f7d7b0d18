"""LLM calls that always end: worst case over the fault routes, budget under 20 threads,
streaming render cost.

1. Every fault route of the stand-in server (streamed and not), ATELIER_TIMEOUT=2, default
   retries: the wall time of each ``toolkit.ask``, the worst as a ratio to ATELIER_TIMEOUT
   (target <= 2.0).
2. 20 threads x 3 calls against a 1,500-token budget, ATELIER_MAX_TOKENS=120: tokens used,
   overshoot (target <= one call's max_tokens).
3. A 1 MB and a 10 MB answer streamed into a notebook cell (``CellStream`` in a real kernel
   run by nbclient, 1,000-character pieces) against displaying the same answer once
   (target <= 2x).

Run: ``python benchmarks/llm_faults.py`` (about two minutes).
"""

from __future__ import annotations

import datetime as dt
import os
import time

from toolkit.testing.openai_server import FAULTS, FakeOpenAIServer

KEY = "sk-bench-faults-0123456789abcdef"
TIMEOUT = 2.0


def _env(server) -> None:
    for name in [n for n in os.environ if n.startswith(("ATELIER_", "OPENAI_", "AZURE_"))]:
        del os.environ[name]
    os.environ.update(
        OPENAI_BASE_URL=server.base_url,
        OPENAI_API_KEY=KEY,
        ATELIER_ENV_FILE=os.devnull,
        ATELIER_TIMEOUT=str(TIMEOUT),
    )


def fault_routes(server) -> None:
    import toolkit
    from toolkit.errors import AtelierError

    server.drip_interval, server.slow_seconds, server.hang_seconds = 0.5, 1.0, 30.0
    toolkit.ask("Bonjour", stream=False)  # imports done before timing
    rows = []
    for fault in sorted(FAULTS):
        for stream in (False, True):
            start = time.monotonic()
            try:
                answer = toolkit.ask("Bonjour", model=f"fault-{fault}", stream=stream)
                outcome = "answer, incomplete" if not answer.complete else "answer"
            except AtelierError as exc:
                outcome = type(exc).__name__
            rows.append((time.monotonic() - start, fault, stream, outcome))
    print(f"1. Fault routes, ATELIER_TIMEOUT={TIMEOUT:g} s (deadline {2 * TIMEOUT:g} s)")
    for seconds, fault, stream, outcome in sorted(rows, reverse=True):
        kind = "streamed" if stream else "plain   "
        print(f"   {fault:12s} {kind} {seconds:5.2f} s  {seconds / TIMEOUT:4.2f}x  {outcome}")
    worst = max(rows)
    print(
        f"   worst case: {worst[0]:.2f} s = {worst[0] / TIMEOUT:.2f}x ATELIER_TIMEOUT "
        f"({worst[1]}, {'streamed' if worst[2] else 'plain'}); target <= 2.00x"
    )


def budget_threads(server) -> None:
    import toolkit
    from toolkit.llm.client import reset_session
    from toolkit.testing.threads import ask_from_threads

    budget, max_tokens = 1500, 120
    os.environ.update(ATELIER_BUDGET_TOKENS=str(budget), ATELIER_MAX_TOKENS=str(max_tokens))
    server.stream_delay = 0.01
    reset_session()
    refused = ask_from_threads("Donne 6 idées pour un séminaire d'équipe", threads=20, calls=3)
    used = toolkit.usage()
    over = max(used.total_tokens - budget, 0)
    print(f"\n2. Budget: 20 threads x 3 calls, budget {budget}, ATELIER_MAX_TOKENS={max_tokens}")
    print(
        f"   {used.calls} calls answered, {len(refused)} refused, {used.total_tokens} tokens used "
        f"= {used.total_tokens / budget:.2f}x the budget; overshoot {over} tokens "
        f"(target <= {max_tokens}; before issue 13: 10,140 tokens = 6.8x)"
    )
    server.stream_delay = 0.0
    for name in ("ATELIER_BUDGET_TOKENS", "ATELIER_MAX_TOKENS"):
        del os.environ[name]


CELL_STREAM = """
import time
from toolkit.llm.answer import Answer
from toolkit.llm.streaming import CellStream
piece = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20)[:1000]
n = {size} // len(piece)
answer = Answer(text=piece * n, mode="live", model="bench")
start = time.perf_counter()
sink = CellStream("en direct · bench")
for _ in range(n):
    sink(piece)
sink.finish(answer)
kernel_seconds = time.perf_counter() - start
"""

CELL_PLAIN = """
import time
from IPython.display import display
start = time.perf_counter()
display(answer)
kernel_seconds = time.perf_counter() - start
"""


def _cell_seconds(cell) -> float:
    timing = cell.metadata["execution"]
    begin = dt.datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    return (end - begin).total_seconds()


def streaming_render() -> None:
    import nbclient
    import nbformat

    print("\n3. Streaming into a notebook cell (nbclient, real kernel) vs one display")
    for size in (1_000_000, 10_000_000):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell("import toolkit.llm.answer, mistune"),
            nbformat.v4.new_code_cell(CELL_STREAM.format(size=size)),
            nbformat.v4.new_code_cell(CELL_PLAIN),
        ]
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3").execute()
        streamed, plain = _cell_seconds(nb.cells[1]), _cell_seconds(nb.cells[2])
        print(
            f"   {size / 1e6:4.0f} MB: streamed {streamed:6.2f} s, displayed once {plain:6.2f} s, "
            f"ratio {streamed / plain:.2f}x (target <= 2x; before issue 13: 59 s for 10 MB)"
        )


def main() -> None:
    with FakeOpenAIServer(api_key=KEY, hang_seconds=30) as server:
        _env(server)
        fault_routes(server)
        budget_threads(server)
    streaming_render()


if __name__ == "__main__":
    main()
