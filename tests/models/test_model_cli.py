"""``atelier model`` in a subprocess, and every bad input: a missing, truncated, non-GGUF or
unloadable file, a port in use, a model too large for the memory, the extra missing, a server
that dies mid-answer; each gives a short French message naming the cause and the fix."""

from __future__ import annotations

import functools
import http.server
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

import toolkit
from toolkit.errors import LocalServerDiedError


def _course(tmp_path, name="cours"):
    root = tmp_path / name
    root.mkdir()
    (root / "curriculum.yml").write_text("version: 0.0.0\n", encoding="utf-8")
    return root


def _short_french_error(result, *words):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Erreur :" in result.stderr
    assert "Que faire" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def test_status_and_stop_with_nothing_served(tmp_path, atelier):
    root = _course(tmp_path)
    status = atelier("model", "status", cwd=root)
    assert status.returncode == 0 and "Aucun modèle local" in status.stdout
    stop = atelier("model", "stop", cwd=root)
    assert stop.returncode == 0 and "Aucun modèle local n'était servi" in stop.stdout


def test_serve_a_missing_file(tmp_path, atelier):
    result = atelier(
        "model", "serve", "--model", str(tmp_path / "absent.gguf"), cwd=_course(tmp_path)
    )
    _short_french_error(result, "absent.gguf", "introuvable")


def test_serve_a_truncated_file(tmp_path, atelier, make_gguf):
    path = make_gguf(tmp_path / "coupe.gguf")
    path.write_bytes(path.read_bytes()[:-10])
    _short_french_error(atelier("model", "serve", "--model", str(path), cwd=_course(tmp_path)),
                        "coupe.gguf", "tronqué")  # fmt: skip


def test_serve_a_non_gguf_file(tmp_path, atelier):
    path = tmp_path / "model.safetensors.gguf"
    path.write_bytes(b'\x10\x00\x00\x00\x00\x00\x00\x00{"__metadata__":{}}')
    _short_french_error(atelier("model", "serve", "--model", str(path), cwd=_course(tmp_path)),
                        "model.safetensors.gguf", "GGUF", "converti")  # fmt: skip


def test_serve_a_gguf_llama_cpp_cannot_load(tmp_path, atelier, make_gguf):
    """A complete GGUF file without a vocabulary: llama.cpp itself refuses it at start."""
    path = make_gguf(tmp_path / "sans-vocabulaire.gguf")
    port = _free_port()
    result = atelier("model", "serve", "--model", str(path), "--port", str(port),
                     cwd=_course(tmp_path))  # fmt: skip
    _short_french_error(result, "sans-vocabulaire.gguf", "journal")
    assert not _listening(port)


def test_serve_on_a_port_in_use(tmp_path, atelier):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = atelier("model", "serve", "--port", str(port), cwd=_course(tmp_path))
    _short_french_error(result, f"port {port}", "--port")


def test_serve_a_model_too_large_for_the_memory(tmp_path, atelier, make_gguf):
    path = make_gguf(tmp_path / "geant-70b.gguf")
    with path.open("r+b") as f:  # a sparse file: as big as four times the RAM, no disk used
        f.truncate(4 * psutil.virtual_memory().total)
    result = atelier("model", "serve", "--model", str(path), cwd=_course(tmp_path))
    _short_french_error(result, "geant-70b.gguf", "Go", "quantification")


def test_serve_says_what_to_install_when_the_extra_is_missing(tmp_path, atelier):
    """The package hidden from the import system (sys.modules entry None): as if absent."""
    code = ("import sys; sys.modules['llama_cpp'] = None; from toolkit.cli import main; "
            "sys.exit(main(['model', 'serve']))")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    env["PYTHONPATH"] = str(Path(toolkit.__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-c", code], cwd=_course(tmp_path), env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    _short_french_error(result, "llama-cpp-python", "make local-model")


def test_add_and_list_through_the_cli(tmp_path, atelier, make_gguf):
    root = _course(tmp_path)
    served = tmp_path / "www"
    served.mkdir()
    make_gguf(served / "petit-modele.gguf", licence="mit")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/petit-modele.gguf"
        added = atelier("model", "add", url, cwd=root)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert added.returncode == 0, added.stderr
    assert "Ajouté" in added.stdout and "petit-modele" in added.stdout
    assert "atelier model serve --model petit-modele" in added.stdout
    assert (root / "models" / "petit-modele.gguf").is_file()
    listing = atelier("model", "list", cwd=root)
    assert "petit-modele" in listing.stdout and "mit" in listing.stdout
    bad = atelier("model", "add", str(tmp_path / "rien.gguf"), cwd=root)
    _short_french_error(bad, "rien.gguf")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_server_that_dies_mid_answer(tmp_path, atelier, monkeypatch, llama):
    """A second real server: killed while it streams, then shown as dead by ``status``."""
    root = _course(tmp_path, "cours-mort")
    port = _free_port()
    started = atelier("model", "serve", "--port", str(port), "--ctx", "1024", cwd=root)
    assert started.returncode == 0, started.stderr
    assert "rien ne quitte cet ordinateur" in started.stdout
    assert f"ATELIER_LOCAL_BASE_URL=http://127.0.0.1:{port}/v1" in (root / ".env").read_text()
    again = atelier("model", "serve", "--port", str(port), cwd=root)  # already served: fine
    assert again.returncode == 0
    from toolkit.models.server import current

    monkeypatch.chdir(root)
    pid = current().pid
    monkeypatch.setenv("ATELIER_LOCAL_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("ATELIER_MAX_TOKENS", "400")
    monkeypatch.setenv("ATELIER_TIMEOUT", "120")
    # The server is killed as soon as the first streamed words reach the terminal: always
    # mid-answer, however fast the machine (a fixed delay let a quick answer finish first).
    killed = threading.Event()

    class _KillOnFirstWords(io.StringIO):
        def write(self, text: str) -> int:
            if text.strip() and not killed.is_set():
                killed.set()
                os.kill(pid, signal.SIGKILL)
            return super().write(text)

    terminal = sys.stdout
    monkeypatch.setattr(sys, "stdout", _KillOnFirstWords())
    try:  # either an error, or the part that arrived with the reason it stopped
        answer = toolkit.ask("Count from 1 to 300, separated by commas.", temperature=0,
                             stream=True)  # fmt: skip
        said = " ".join(answer.warnings)
        assert not answer.complete
    except LocalServerDiedError as exc:
        said = str(exc)
    finally:
        monkeypatch.setattr(sys, "stdout", terminal)
    assert killed.is_set()
    assert "s'est arrêté pendant la réponse" in said and "atelier model serve" in said
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    status = atelier("model", "status", cwd=root)
    assert (
        status.returncode == 1
        and "mort" in status.stdout
        and "atelier model serve" in status.stdout
    )
    stopped = atelier("model", "stop", cwd=root)
    assert stopped.returncode == 0
    assert atelier("model", "status", cwd=root).stdout.startswith("Aucun modèle local")
    assert sys.executable  # the suite's own interpreter ran every command
