"""Test helpers for ``atelier lab``: start the real command on a free port, hash the course."""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LabServer", "get", "put_notebook", "start_lab", "tracked_notebooks_digest"]


def tracked_notebooks_digest(root: Path) -> dict[str, str]:
    """sha256 of every notebook git tracks (or finds) in *root*: proof nothing wrote there."""
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.ipynb"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
        paths = [root / p for p in out.split()]
    except (OSError, subprocess.CalledProcessError):
        paths = sorted(root.glob("notebooks/**/*.ipynb"))
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in paths if p.is_file()}


def get(url: str, token: str, timeout: float = 10) -> tuple[int, str]:
    """GET *url* with the server's token: (status, body)."""
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read().decode("utf-8")


@dataclass
class LabServer:
    """A running ``atelier lab``: its process, base URL, token and workspace folder."""

    proc: subprocess.Popen
    base: str
    token: str
    lab_dir: Path

    def stop(self) -> str:
        """Stop the server (its whole process group); everything it printed."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            out, _ = self.proc.communicate()
        return out or ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(course: Path, tmp: Path, *options: str, timeout: float = 180) -> LabServer:
    """Run ``atelier lab --no-browser *options*`` from *course*, its state under *tmp*.

    Offline mode, no ``.env``, workspaces in ``tmp/ateliers``; JupyterLab exposes
    ``window.jupyterapp`` for browser tests. Raises RuntimeError (with the server's output)
    when it does not answer within *timeout* seconds.
    """
    port, token = _free_port(), secrets.token_hex(12)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATELIER_", "OPENAI_"))}
    env.update(
        JUPYTER_TOKEN=token,
        ATELIER_MODE="offline",
        ATELIER_ENV_FILE=str(tmp / "none.env"),
        ATELIER_LAB_DIR=str(tmp / "ateliers"),
        ATELIER_SHARED_DIR=str(tmp / "partage"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        ATELIER_NBGRADER_DB=str(tmp / "gradebook.db"),
        ATELIER_NBGRADER_EXCHANGE=str(tmp / "exchange"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli", "lab", "--no-browser", "--port", str(port),
         *options, "--", "--LabApp.expose_app_in_browser=True"],
        cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    server = LabServer(proc, f"http://127.0.0.1:{port}", token, tmp / "ateliers")
    deadline = time.monotonic() + timeout
    while True:
        try:
            get(f"{server.base}/api/status", token)
            return server
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start:\n{server.stop()}") from None
            time.sleep(0.5)


def put_notebook(server: LabServer, name: str, notebook: dict, timeout: float = 20) -> int:
    """Upload *notebook* as *name* at the workspace root through Jupyter's contents API."""
    import json

    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    req = urllib.request.Request(f"{server.base}/api/contents/{name}", data=body, method="PUT",
                                 headers={"Authorization": f"token {server.token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status
