"""Start, stop and populate a workshop hub on one machine (``atelier hub up|down|users``)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.hub import accounts, gateway
from toolkit.hub.api import HubClient
from toolkit.hub.passwords import forget_passwords, load_hashes, store_passwords
from toolkit.hub.settings import (
    HUB_CONFIG_FILE,
    HubSettings,
    check_shared_install,
    participant_python,
    proxy_command,
)
from toolkit.hub.template import build_course_template

PARTICIPANT_NBGRADER = '''\
"""nbgrader for a participant of the workshop hub (written by `atelier hub up`)."""
import getpass
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
# Every participant runs under their own account; the id is theirs even if that changes.
c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
'''

TRAINER_NBGRADER = '''\
"""nbgrader for the trainer of the workshop hub (written by `atelier hub up`)."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.expanduser("~/{course_id}")
c.Exchange.root = {exchange!r}
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = True
c.Execute.shutdown_kernel = "immediate"
c.LimitOutput.max_lines = 1000
'''

#: What a hub participant still needs of nbgrader's lab extensions: the assignments list,
#: where they fetch and submit (the laptop edition has no exchange, so it disables it too).
HUB_PARTICIPANT_KEEPS = ("@jupyter/nbgrader:assignment-list",)


def participant_config_files() -> dict[str, str]:
    """The participant's Jupyter configuration on a hub or in the Docker image: path -> JSON.

    Derived from the participant edition of ``atelier lab`` (one list of what participants
    do not get), keeping only what submitting through the hub needs.
    """
    from toolkit.course.lab import PARTICIPANT_SERVER_OFF, lab_settings

    page = lab_settings("participant")["page_config.json"]
    disabled = {name: True for name in sorted(page["disabledExtensions"])
                if name not in HUB_PARTICIPANT_KEEPS}
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(PARTICIPANT_SERVER_OFF, False)}}
    return {
        "jupyter_server_config.json": json.dumps(server, indent=2) + "\n",
        "labconfig/page_config.json": json.dumps({"disabledExtensions": disabled}, indent=2)
        + "\n",
    }


WRAPPER = '#!/bin/sh\nexec "{python}" {module} "$@"\n'
#: Commands participants may type in a terminal (the venv's own scripts may point at an
#: interpreter they cannot run); nbgrader calls ``alembic`` through PATH.
WRAPPERS = {"python": "", "python3": "", "nbgrader": "-m nbgrader", "jupyter": "-m jupyter",
            "alembic": "-m alembic", "atelier": "-m toolkit.cli"}


@dataclass
class HubInfo:
    """What ``atelier hub up`` started (text form in French for the trainer)."""

    url: str
    state: Path
    pid: int
    trainer: str
    trainer_password: str | None = None
    shared_password: str | None = None
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Hub d'atelier démarré : {self.url}  (état : {self.state}, pid {self.pid})"]
        if self.trainer_password:
            lines.append(f"Animateur·rice : {self.trainer}  mot de passe : {self.trainer_password}"
                         "  (affiché une seule fois : notez-le)")
        else:
            lines.append(f"Animateur·rice : {self.trainer} (mot de passe inchangé)")
        if self.shared_password:
            lines.append(f"Mot de passe commun de la salle : {self.shared_password}")
        lines.extend(self.notes)
        lines.append("Ajoutez les participants : atelier hub users add participants.csv")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(str(self))}</pre>"


@dataclass
class DownReport:
    stopped_hub: bool
    leftovers: int

    def __str__(self) -> str:
        if not self.stopped_hub and not self.leftovers:
            return "Aucun hub d'atelier ne tournait."
        text = "Hub d'atelier arrêté (serveurs des participants et proxy compris)."
        if self.leftovers:
            text += f" {self.leftovers} processus restants ont été arrêtés."
        return text

    def _repr_html_(self) -> str:
        return f"<p>{self}</p>"


def _require_root() -> None:
    if os.geteuid() != 0:
        raise ConfigError(
            "Le hub d'atelier doit être lancé en root : il crée un compte système par "
            "participant et démarre chaque serveur sous ce compte.",
            "Relancez la commande avec sudo.",
        )


def _free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def _port_taken(ip: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
        except OSError:
            return True
    return False


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_pid(state: Path) -> int | None:
    pid = _read_pid(HubSettings(state=str(state)).layout.pid)
    return pid if _alive(pid) else None


def _write_secret(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")


def _write_public(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)


def write_support_files(settings: HubSettings) -> None:
    """Participant and trainer configuration, wrappers, course template (all readable by all)."""
    lay = settings.layout
    values = {"course_id": settings.course_id, "exchange": str(lay.exchange)}
    _write_public(lay.config("participant") / "nbgrader_config.py",
                  PARTICIPANT_NBGRADER.format(**values))
    for name, text in participant_config_files().items():
        _write_public(lay.config("participant") / name, text)
    (lay.config("participant") / "labconfig").chmod(0o755)
    _write_public(lay.config("trainer") / "nbgrader_config.py", TRAINER_NBGRADER.format(**values))
    for name, module in WRAPPERS.items():
        path = lay.bin / name
        _write_public(path, WRAPPER.format(python=settings.python, module=module).replace(
            "  ", " "))
        path.chmod(0o755)
    _build_template(settings)


def _build_template(settings: HubSettings) -> None:
    source = Path(settings.material_source)
    if source.is_dir():
        build_course_template(source, settings.layout.template / source.name)


def up(settings: HubSettings, *, wait: float = 120.0) -> HubInfo:
    """Start the hub (and its proxy) in the background; returns once it answers."""
    _require_root()
    state = Path(settings.state).resolve()
    settings.state = str(state)
    lay = settings.layout
    pid = running_pid(state)
    if pid:
        raise ConfigError(f"Un hub d'atelier tourne déjà avec l'état {state} (pid {pid}).",
                          "Arrêtez-le d'abord avec « atelier hub down ».")
    if settings.auth not in ("personal", "shared"):
        raise ConfigError(f"Mode d'authentification « {settings.auth} » inconnu.",
                          "Choisissez « personal » ou « shared ».")
    try:
        import jupyterhub  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "Le paquet Python « jupyterhub » manque pour le hub d'atelier.",
            "Installez-le : pip install 'jupyterhub>=6.1,<7'.",
        ) from exc
    check_shared_install()
    settings.python = participant_python()
    settings.proxy_command = proxy_command()
    bind_ip = "127.0.0.1" if settings.ip in ("", "0.0.0.0") else settings.ip
    if _port_taken(bind_ip, settings.port):
        raise ConfigError(f"Le port {settings.port} est déjà occupé sur {bind_ip}.",
                          "Choisissez-en un autre avec --port.")
    settings.hub_port = _free_port()
    settings.proxy_api_port = _free_port()

    lay.create()
    if not lay.admin_token.is_file():
        _write_secret(lay.admin_token, secrets.token_hex(32))
    shared_password = None
    trainer_password = None
    if settings.auth == "shared":
        if not lay.shared_password.is_file():
            shared_password = accounts.generate_password()
            _write_secret(lay.shared_password, shared_password)
            # JupyterHub requires 32 characters or more for the admin password of this mode.
            trainer_password = "-".join(accounts.generate_password() for _ in range(3))
            _write_secret(lay.trainer_password, trainer_password)
        else:
            shared_password = lay.shared_password.read_text().strip()
    settings.save()
    write_support_files(settings)

    from toolkit.course.lab import ensure_french_locale

    ensure_french_locale(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "AZURE_OPENAI_", "LITELLM_", "JUPYTERHUB_"))}
    env["ATELIER_HUB_STATE"] = str(state)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    log = os.open(lay.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG_FILE)],
            cwd=lay.hub, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,
        )
    finally:
        os.close(log)
    lay.pid.write_text(f"{proc.pid}\n")
    client = HubClient.from_settings(settings)
    deadline = time.monotonic() + wait
    while not client.alive():
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                down(settings.state)
            tail = lay.log.read_text(errors="replace").splitlines()[-15:]
            raise ConfigError(
                "Le hub d'atelier n'a pas démarré.",
                f"Voir son journal {lay.log}.",
                detail="\n".join(tail),
            )
        time.sleep(0.3)

    trainer = accounts.Participant(settings.trainer, "Animateur·rice", role="trainer", row=0)
    accounts.ensure_account(trainer, settings.home_base)
    if settings.auth == "personal" and settings.trainer not in load_hashes(lay.passwords):
        trainer_password = accounts.generate_password()
        store_passwords(lay.passwords, {settings.trainer: trainer_password})
    gateway.ensure_keys(settings, [settings.trainer])
    info = HubInfo(settings.public_url, state, proc.pid, settings.trainer, trainer_password,
                   shared_password)
    if not settings.gateway_url:
        info.notes.append("Sans passerelle (--gateway), les serveurs des participants sont en "
                          "mode hors ligne : réponses simulées, étiquetées comme telles.")
    return info


def down(state: str | Path, *, timeout: float = 30.0) -> DownReport:
    """Stop the hub, every participant's server and the proxy; nothing is left running."""
    import psutil

    state = Path(state).resolve()
    lay = HubSettings(state=str(state)).layout
    pid = _read_pid(lay.pid)
    stopped = False
    if pid and _alive(pid):
        stopped = True
        os.kill(pid, signal.SIGTERM)  # the hub stops the servers and the proxy it started
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
    # Anything still carrying this hub's state in its environment, or the proxy, goes too.
    leftovers = []
    proxy = _read_pid(lay.proxy_pid)
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == os.getpid():
            continue
        try:
            if proc.pid == proxy or proc.environ().get("ATELIER_HUB_STATE") == str(state):
                leftovers.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    for proc in leftovers:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _gone, alive = psutil.wait_procs(leftovers, timeout=5)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)
    for path in (lay.pid, lay.proxy_pid):
        path.unlink(missing_ok=True)
    return DownReport(stopped, len(leftovers))


def add_users(settings: HubSettings, people: list[accounts.Participant], *,
              reset_passwords: bool = False) -> list[accounts.Login]:
    """Create system accounts, hub users, passwords and model keys; returns the logins."""
    _require_root()
    lay = settings.layout
    if not running_pid(Path(settings.state)):
        raise ConfigError("Le hub d'atelier n'est pas démarré.",
                          "Lancez d'abord « atelier hub up ».")
    client = HubClient.from_settings(settings)
    created = {p.username: accounts.ensure_account(p, settings.home_base) for p in people}
    known = client.users()
    for admin in (False, True):
        names = [p.username for p in people
                 if p.username not in known and (p.role == "trainer") == admin]
        client.add_users(names, admin=admin)
    logins: list[accounts.Login] = []
    if settings.auth == "personal":
        have = load_hashes(lay.passwords)
        passwords = {p.username: accounts.generate_password() for p in people
                     if reset_passwords or p.username not in have}
        store_passwords(lay.passwords, passwords)
        logins = [accounts.Login(p.username, p.name, passwords.get(p.username),
                                 created[p.username]) for p in people]
    else:
        logins = [accounts.Login(p.username, p.name, None, created[p.username], shared=True)
                  for p in people]
    gateway.ensure_keys(settings, [p.username for p in people])
    return logins


def remove_users(settings: HubSettings, usernames: list[str]) -> int:
    """Stop and delete hub users, then their system accounts and homes; returns how many."""
    _require_root()
    if running_pid(Path(settings.state)):
        client = HubClient.from_settings(settings)
        known = client.users()
        present = [name for name in usernames if name in known]
        client.stop_servers(present)
        for name in present:
            client.delete_user(name)
    forget_passwords(settings.layout.passwords, usernames)
    keys = gateway.load_keys(settings.layout.keys)
    if any(name in keys for name in usernames):
        gateway.save_keys(settings.layout.keys,
                          {k: v for k, v in keys.items() if k not in usernames})
    return sum(accounts.remove_account(name) for name in usernames)
