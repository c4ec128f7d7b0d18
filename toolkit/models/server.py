"""Start, watch and stop llama.cpp's own OpenAI-compatible server (``python -m
llama_cpp.server``) in the background on 127.0.0.1; its pid, port, model and start time are
kept in a state file under the course's ``.atelier/`` folder.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.config import settings
from toolkit.errors import (
    LocalModelError,
    LocalModelMissingError,
    ModelFileError,
    ModelTooLargeError,
    PortInUseError,
)
from toolkit.models.catalog import resolve_model

__all__ = [
    "DEFAULT_CTX",
    "DEFAULT_PORT",
    "ServerState",
    "ServerStatus",
    "check_installed",
    "current",
    "memory_needed",
    "serve",
    "status",
    "stop",
]

DEFAULT_PORT = 8090
DEFAULT_CTX = 2048
#: Modules the ``local`` extra brings: the binding and its server's web stack.
_REQUIRED = (
    "llama_cpp",
    "uvicorn",
    "fastapi",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
)
_STATE_FILE = "model-server.json"
_LOG_FILE = "model-server.log"
#: Working memory of the server process beyond the weights (Python, FastAPI, buffers).
_OVERHEAD = 250 * 2**20


@dataclass
class ServerState:
    """What ``serve`` wrote down about the server it started."""

    pid: int
    port: int
    model: str
    path: str
    ctx: int
    started: float
    log: str
    host: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"


@dataclass
class ServerStatus:
    """``atelier model status``: the state plus whether the server is alive and its memory."""

    state: ServerState | None
    alive: bool
    answering: bool = False
    rss: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.state is None:
            return "Aucun modèle local n'est servi. Démarrez-en un avec « atelier model serve »."
        s = self.state
        if not self.alive:
            return (
                f"Serveur du modèle {s.model} arrêté (mort) : le processus {s.pid} n'existe "
                f"plus. {self.reason}\n→ Que faire : relancez « atelier model serve » ; le "
                f"journal est dans {s.log}."
            )
        uptime = _duration(time.time() - s.started)
        memory = f"{self.rss / 2**20:.0f} Mo" if self.rss else "inconnue"
        answer = "répond" if self.answering else "ne répond pas (encore en chargement ?)"
        return "\n".join(
            [
                f"Modèle local servi : {s.model}",
                f"  adresse      {s.base_url}",
                f"  fichier      {s.path}",
                f"  depuis       {uptime} (processus {s.pid}, contexte {s.ctx} jetons)",
                f"  mémoire      {memory}",
                f"  état         {answer}",
            ]
        )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min {s:02d} s" if m else f"{s} s"


def check_installed() -> None:
    """Raise :class:`LocalModelMissingError` with the command to run when the extra is absent."""
    missing = [name for name in _REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        raise LocalModelMissingError(
            "Le serveur de modèle local (llama-cpp-python[server]) n'est pas installé "
            f"(manque : {', '.join(missing)}).",
            "Lancez « make local-model » dans le dossier du cours : la première fois, "
            "llama.cpp est compilé (15 à 30 minutes), ensuite l'installation est rapide.",
        )


def _state_path() -> Path:
    return settings().state_dir / _STATE_FILE


def current() -> ServerState | None:
    """The state file's content, or None when no server was started (or the file is bad)."""
    path = _state_path()
    try:
        return ServerState(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _alive(pid: int) -> bool:
    import psutil

    try:
        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE and any(
            "llama_cpp.server" in part for part in proc.cmdline()
        )
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _answers(base_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def memory_needed(file_size: int, ctx: int) -> int:
    """Bytes the server needs: the weights, a generous KV cache for *ctx*, and the process."""
    # KV cache: at most ~0.5 MB per context token for 7B-class models, far less for small
    # ones; 5 % of the weights per 1024 tokens bounds both without reading the architecture.
    kv = int(file_size * 0.05 * max(ctx, 1) / 1024)
    return file_size + kv + _OVERHEAD


def _check_memory(path: Path, ctx: int) -> None:
    import psutil

    need = memory_needed(path.stat().st_size, ctx)
    free = psutil.virtual_memory().available
    if need > free:
        raise ModelTooLargeError(
            f"Le modèle {path.name} demande environ {need / 2**30:.1f} Go de mémoire, "
            f"mais seuls {free / 2**30:.1f} Go sont libres sur cet ordinateur.",
            "Choisissez une version plus petite du modèle (moins de paramètres, ou une "
            "quantification plus forte comme Q4_K_M), réduisez le contexte (--ctx 1024), ou "
            "fermez d'autres programmes.",
        )


def _check_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise PortInUseError(
                f"Le port {port} est déjà pris par un autre programme sur cet ordinateur.",
                f"Choisissez-en un autre : « atelier model serve --port {_free_port()} ».",
            ) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    model: str | None = None,
    *,
    port: int | None = None,
    ctx: int | None = None,
    timeout: float = 120.0,
    threads: int | None = None,
) -> ServerState:
    """Start the server in the background and return once ``/v1/models`` answers.

    When a server started here is still running, it is returned as is if it serves the same
    model, otherwise it must be stopped first.
    """
    check_installed()
    name, path = resolve_model(model)
    port = port or DEFAULT_PORT
    ctx = ctx or DEFAULT_CTX
    running = current()
    if running is not None and _alive(running.pid):
        if running.path == str(path) and running.port == port:
            return running
        raise LocalModelError(
            f"Un modèle local est déjà servi : {running.model} sur {running.base_url}.",
            "Arrêtez-le d'abord avec « atelier model stop ».",
        )
    _check_port(port)
    _check_memory(path, ctx)
    state_dir = settings().state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    log = state_dir / _LOG_FILE
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(path), "--model_alias", name,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(ctx),
    ]  # fmt: skip
    if threads:
        command += ["--n_threads", str(threads)]
    with log.open("wb") as out:
        # Its own session: the server outlives this command and `stop` ends its whole group.
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    state = ServerState(proc.pid, port, name, str(path), ctx, time.time(), str(log))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise _start_failure(path, port, log)
        if _answers(state.base_url, timeout=1.0):
            _state_path().write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
            return state
        time.sleep(0.2)
    _terminate(proc.pid)
    raise LocalModelError(
        f"Le serveur du modèle {name} n'a pas répondu en {timeout:g} s sur le port {port}.",
        f"L'ordinateur est peut-être très chargé : réessayez, ou voyez le journal {log}.",
    )


def _start_failure(path: Path, port: int, log: Path) -> LocalModelError | ModelFileError:
    tail = _log_tail(log)
    low = tail.lower()
    if "address already in use" in low or "errno 98" in low:
        return PortInUseError(
            f"Le port {port} est déjà pris par un autre programme.",
            f"Choisissez-en un autre : « atelier model serve --port {_free_port()} ».",
        )
    # The log always holds the model's path: match llama.cpp's own phrases only.
    if any(
        k in low for k in ("failed to load model", "unable to load model", "error loading model")
    ):
        return ModelFileError(
            f"llama.cpp n'a pas pu charger {path.name} (fichier endommagé ou architecture "
            "qu'il ne connaît pas).",
            f"Vérifiez le fichier ou prenez-en un autre ; détails dans le journal {log}.",
        )
    if any(k in low for k in ("bad_alloc", "cannot allocate memory", "out of memory",
                              "failed to allocate")):  # fmt: skip
        return ModelTooLargeError(
            f"La mémoire a manqué pour charger {path.name}.",
            "Prenez une version plus petite du modèle ou réduisez le contexte (--ctx 1024).",
        )
    last = tail.strip().splitlines()[-1] if tail.strip() else "aucun message"
    return LocalModelError(
        f"Le serveur du modèle {path.name} s'est arrêté au démarrage ({last[:200]}).",
        f"Voyez le journal complet : {log}.",
    )


def _terminate(pid: int, wait: float = 10.0) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not our child: poll its existence instead
            waited = 0 if _exists(pid) else pid
        if waited == pid:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _exists(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def status() -> ServerStatus:
    """The served model's address, uptime and memory; a dead server is reported as dead."""
    state = current()
    if state is None:
        return ServerStatus(None, False)
    if not _alive(state.pid):
        tail = _log_tail(Path(state.log), 5).strip().splitlines()
        reason = f"Dernière ligne du journal : {tail[-1][:200]}" if tail else ""
        return ServerStatus(state, False, reason=reason)
    import psutil

    try:
        rss = psutil.Process(state.pid).memory_info().rss
    except psutil.Error:
        rss = None
    return ServerStatus(state, True, _answers(state.base_url), rss)


def stop() -> ServerState | None:
    """Stop the server started by ``serve`` (its whole process group); None if none was."""
    state = current()
    if state is None:
        return None
    if _alive(state.pid):
        _terminate(state.pid)
    _state_path().unlink(missing_ok=True)
    return state


def died(base_url: str | None) -> ServerState | None:
    """The state of the server behind *base_url* if it was started here and is now dead."""
    state = current()
    if state is None or not base_url or base_url.rstrip("/") != state.base_url:
        return None
    return None if _alive(state.pid) else state
