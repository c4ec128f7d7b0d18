"""``toolkit.ask`` overhead against the raw openai SDK on the same local server.

Target: at most 1.1x per call (median of many). Both clients talk to the same stand-in
OpenAI-compatible server on 127.0.0.1, calls alternate so machine noise hits both alike.
"""

from __future__ import annotations

import os
import statistics
import time

from toolkit.testing.openai_server import FakeOpenAIServer

CALLS = 300
PROMPT = "Rédige un titre pour une offre d'emploi de comptable à la mairie de Lausanne."


def main() -> None:
    with FakeOpenAIServer(api_key="bench-key-0123456789") as server:
        os.environ.update(
            OPENAI_BASE_URL=server.base_url,
            OPENAI_API_KEY="bench-key-0123456789",
            ATELIER_ENV_FILE=os.devnull,
        )
        import openai

        import toolkit

        raw = openai.OpenAI(
            base_url=server.base_url, api_key="bench-key-0123456789", timeout=60, max_retries=0
        )
        messages = [{"role": "user", "content": PROMPT}]
        for _ in range(20):  # warm up both paths (imports, connections, caches)
            raw.chat.completions.create(model="gpt-4o-mini", messages=messages)
            toolkit.ask(PROMPT, stream=False)
        sdk, ours = [], []
        for _ in range(CALLS):
            start = time.perf_counter()
            raw.chat.completions.create(model="gpt-4o-mini", messages=messages)
            sdk.append(time.perf_counter() - start)
            start = time.perf_counter()
            toolkit.ask(PROMPT, stream=False)
            ours.append(time.perf_counter() - start)
        s, t = statistics.median(sdk), statistics.median(ours)
        print(f"raw SDK        median {s * 1000:6.2f} ms per call ({CALLS} calls)")
        print(f"toolkit.ask    median {t * 1000:6.2f} ms per call")
        print(f"ratio          {t / s:.3f}x (target <= 1.1x); overhead {(t - s) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
