"""Every faulty reply through ``atelier ask`` as a process and in a notebook run by nbclient.

Bounded time (twice ATELIER_TIMEOUT plus the process or kernel start), exit status, a French
message, no "Traceback", and the (distinctive, made-up) key nowhere in what is shown or saved.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest
from _fault_table import CAUSE, EXPECTED, TIMEOUT, slow_server

ROOT = Path(__file__).resolve().parents[2]
FAULTS = sorted({fault for fault, _ in EXPECTED})

pytestmark = pytest.mark.slow


@pytest.fixture
def env(live, api_key, tmp_path):
    old = slow_server(live)
    values = {
        k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_", "AZURE_"))
    }
    values.update(
        OPENAI_BASE_URL=live.base_url,
        OPENAI_API_KEY=api_key,
        ATELIER_TIMEOUT=str(TIMEOUT),
        ATELIER_MAX_RESPONSE_MB="1",
        ATELIER_ENV_FILE=os.devnull,
        ATELIER_CASSETTES=str(tmp_path / "cassettes"),
        PYTHONPATH=str(ROOT),
    )
    yield values
    for k, v in old.items():
        setattr(live, k, v)


#: ``atelier`` (its real ``main``), started after the heavy imports are done and timed from
#: there: process start on a loaded machine varies by seconds and is not the call's doing.
LAUNCHER = (
    "import sys, time\n"
    "import openai, toolkit.cli, toolkit.llm.client, toolkit.llm.live, toolkit.privacy.policy\n"
    "toolkit.cli.build_parser()  # imports every command module\n"
    "sys.stderr.write(f'@ready {time.time()}\\n'); sys.stderr.flush()\n"
    "sys.exit(toolkit.cli.main(sys.argv[1:]))\n"
)


def _ask(env: dict, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, "ask", "--no-stream", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    end = time.time()
    first, _, rest = done.stderr.partition("\n")
    assert first.startswith("@ready "), done.stderr
    done.stderr = rest
    return done, end - float(first.split()[1])


def test_atelier_ask_on_every_fault(env, api_key):
    healthy, overhead = _ask(env, "Bonjour")  # what a quick call costs, exit included
    assert healthy.returncode == 0, healthy.stderr
    for fault in FAULTS:
        done, elapsed = _ask(env, "--model", f"fault-{fault}", "Bonjour")
        shown = done.stdout + done.stderr
        assert done.returncode == 1, f"{fault}: exit {done.returncode}\n{shown}"
        assert done.stderr.startswith("Erreur : "), f"{fault}: {done.stderr}"
        assert CAUSE[fault] in done.stderr.lower(), f"{fault}: {done.stderr}"
        assert "Que faire" in done.stderr
        assert "Traceback" not in shown
        assert api_key not in shown
        limit = 2 * TIMEOUT + overhead + 1.0
        assert elapsed <= limit, f"{fault}: {elapsed:.1f} s after start-up (limit {limit:.1f})"


def test_atelier_ask_exit_status_for_a_cut_answer(env, live):
    done, _ = _ask(env, "--max-tokens", "3", "Donne 6 idées")
    assert done.returncode == 3, done.stderr
    assert "Réponse incomplète" in done.stderr
    assert "réponse incomplète" in done.stdout


def _seconds(cell) -> float:
    timing = cell.metadata["execution"]
    begin = dt.datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    return (end - begin).total_seconds()


def test_every_fault_in_a_notebook(env, api_key, tmp_path, monkeypatch):
    for k in [k for k in os.environ if k.startswith(("ATELIER_", "OPENAI_", "AZURE_"))]:
        monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    cases = sorted(EXPECTED)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import toolkit\ntoolkit.ask('Bonjour', stream=False)")]
    nb.cells += [
        nbformat.v4.new_code_cell(f"toolkit.ask('Bonjour', model='fault-{fault}', stream={stream})")
        for fault, stream in cases
    ]
    client = nbclient.NotebookClient(
        nb, timeout=60, kernel_name="python3", allow_errors=True, record_timing=True
    )
    client.execute()
    path = tmp_path / "pannes.ipynb"
    nbformat.write(nb, path)
    saved = path.read_text(encoding="utf-8")
    assert api_key not in saved
    assert "Traceback" not in saved
    for (fault, stream), cell in zip(cases, nb.cells[1:], strict=True):
        expected = EXPECTED[(fault, stream)]
        label = f"{fault} stream={stream}"
        assert _seconds(cell) <= 2 * TIMEOUT + 0.5, f"{label}: {_seconds(cell):.1f} s"
        errors_out = [o for o in cell.outputs if o.output_type == "error"]
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        assert "réponse en cours" not in html, f"{label}: stale streaming box"
        if expected == "incomplete":
            assert not errors_out, label
            assert "réponse incomplète" in html, label
            continue
        assert len(errors_out) == 1, f"{label}: {cell.outputs}"
        err = errors_out[0]
        assert err.ename == expected.__name__, f"{label}: {err.ename}"
        assert len(err.traceback) == 2, f"{label}: {len(err.traceback)} lines"
        assert CAUSE[fault] in "\n".join(err.traceback).lower(), label
