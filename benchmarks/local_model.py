"""The local model (llama.cpp's server with the embedded SmolLM2): tokens per second streamed
through ``toolkit.ask`` against a direct SDK call to the same server (target >= 0.95x), time
to first token (target <= 1.1x), server start time and memory, and the build time of the
``local`` extra (read from the build log's ``time`` output when given).

    python benchmarks/local_model.py [--rounds 6] [--tokens 96] [--build-time /tmp/llama-build.time]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROMPT = "Write a short story about a lighthouse keeper and a storm."


def _direct(client, model: str, tokens: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    first = None
    chunks = 0
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": PROMPT}], temperature=0,
        max_tokens=tokens, stream=True, stream_options={"include_usage": True},
    )  # fmt: skip
    n = 0
    for chunk in stream:
        if chunk.usage:
            n = chunk.usage.completion_tokens
        for choice in chunk.choices or ():
            if choice.delta and choice.delta.content:
                chunks += 1
                if first is None:
                    first = time.perf_counter() - start
    return time.perf_counter() - start, first or 0.0, n or chunks


def _toolkit(tokens: int) -> tuple[float, float, int]:
    from toolkit.llm import client

    start = time.perf_counter()
    first = []

    class Sink:  # same role as the terminal stream, timing the first piece
        def __call__(self, delta):
            if not first:
                first.append(time.perf_counter() - start)

        def restart(self):
            pass

        def finish(self, answer):
            pass

        def fail(self):
            pass

    original = client.TerminalStream
    client.TerminalStream = Sink
    try:
        answer = client.ask(PROMPT, temperature=0, stream=True, max_tokens=tokens)
    finally:
        client.TerminalStream = original
    return time.perf_counter() - start, first[0] if first else 0.0, answer.completion_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--build-time", default="/tmp/llama-build.time")
    args = parser.parse_args()

    course = Path(tempfile.mkdtemp(prefix="bench-local-"))
    (course / "curriculum.yml").write_text("version: 0.0.0\n", encoding="utf-8")
    os.chdir(course)
    os.environ["ATELIER_ENV_FILE"] = os.devnull
    import psutil

    from toolkit.models import server

    start = time.perf_counter()
    import socket

    with socket.socket() as sock:  # a free port: never disturb a server already running
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    state = server.serve(port=port, ctx=1024)
    started = time.perf_counter() - start
    try:
        os.environ.update(
            ATELIER_LOCAL_BASE_URL=state.base_url,
            ATELIER_LOCAL_MODEL=state.model,
            ATELIER_MAX_TOKENS=str(args.tokens),
            ATELIER_TIMEOUT="300",
        )
        import openai

        direct = openai.OpenAI(base_url=state.base_url, api_key="x", timeout=300, max_retries=0)
        _direct(direct, state.model, 8)  # warm up both paths
        _toolkit(8)
        rows = {"direct": [], "toolkit": []}
        for _ in range(args.rounds):  # alternate so machine noise hits both alike
            rows["direct"].append(_direct(direct, state.model, args.tokens))
            rows["toolkit"].append(_toolkit(args.tokens))
        rss = psutil.Process(state.pid).memory_info().rss
    finally:
        server.stop()

    def tps(r):
        return statistics.median(n / t for t, _, n in r)

    def ttft(r):
        return statistics.median(f for _, f, _ in r)

    d, k = rows["direct"], rows["toolkit"]
    print(f"model          {state.model} ({state.path})")
    print(f"server start   {started:.1f} s until /v1/models answers; RSS {rss / 2**20:.0f} MB")
    print(f"tokens/s       direct {tps(d):6.1f}   toolkit.ask {tps(k):6.1f}   "
          f"ratio {tps(k) / tps(d):.3f}x (target >= 0.95x)")  # fmt: skip
    print(f"first token    direct {ttft(d) * 1000:6.0f} ms toolkit.ask {ttft(k) * 1000:6.0f} ms "
          f"ratio {ttft(k) / ttft(d):.3f}x (target <= 1.1x)")  # fmt: skip
    print(f"               {args.rounds} rounds of {args.tokens} tokens, medians, 2 threads max")
    build = Path(args.build_time)
    if build.is_file():
        print("build of the local extra (llama-cpp-python 0.3.36, trimmed CMAKE_ARGS):")
        for line in build.read_text(encoding="utf-8").strip().splitlines():
            print(f"               {line}")
    else:
        print(f"build time     not measured here ({build} absent)", file=sys.stderr)


if __name__ == "__main__":
    main()
