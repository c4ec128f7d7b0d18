"""1,000 replay hits: time to answer 1,000 recorded requests from cassettes on disk."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

HITS = 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(ATELIER_MODE="replay", ATELIER_CASSETTES=tmp, ATELIER_ENV_FILE=os.devnull)
        from toolkit.llm.client import ask
        from toolkit.llm.replay import CassetteStore, normalise_request, request_key

        store = CassetteStore(Path(tmp))
        prompts = [
            f"Question n° {i} sur le règlement du personnel, article {i % 40}." for i in range(HITS)
        ]
        start = time.perf_counter()
        for i, prompt in enumerate(prompts):
            req = normalise_request("chat", [{"role": "user", "content": prompt}])
            store.put(
                f"notebook-{i % 12:02d}",
                request_key(req),
                req,
                {
                    "text": f"Réponse enregistrée {i}",
                    "model": "gpt-4o-mini",
                    "prompt_tokens": 20,
                    "completion_tokens": 8,
                    "finish_reason": "stop",
                },
            )
        write = time.perf_counter() - start
        ask(prompts[0])  # first call pays imports and the index build
        times = []
        start = time.perf_counter()
        for prompt in prompts:
            t0 = time.perf_counter()
            answer = ask(prompt)
            times.append(time.perf_counter() - t0)
            if answer.mode != "replay":
                raise SystemExit("not a replay hit")
        total = time.perf_counter() - start
        print(f"wrote {HITS} cassettes in {write:.2f} s")
        print(
            f"{HITS} replay hits in {total:.2f} s: "
            f"median {statistics.median(times) * 1000:.2f} ms, "
            f"p95 {sorted(times)[int(0.95 * HITS)] * 1000:.2f} ms per hit"
        )


if __name__ == "__main__":
    main()
