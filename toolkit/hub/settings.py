"""Settings and folder layout of a workshop hub on one machine (``atelier hub ...``).

Everything a hub needs lives in one state folder: the hub's database, secrets and logs
(``hub/``, root only), nbgrader's exchange, the participants' configuration and the course
template copied into each new home.
"""

from __future__ import annotations

import json
import stat
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError

#: nbgrader course id shared by the trainer and the participants.
COURSE_ID = "atelier-ia"
#: Supplementary group of every system account created by the workshop hub.
GROUP = "atelier"
#: Default state folder (``ATELIER_HUB_STATE`` overrides it).
DEFAULT_STATE = Path("/var/lib/atelier-hub")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy" / "jupyterhub"
HUB_CONFIG_FILE = DEPLOY_DIR / "jupyterhub_config.py"


def default_state() -> Path:
    from toolkit.config import settings

    return settings().hub_state or DEFAULT_STATE


@dataclass
class HubSettings:
    """What ``atelier hub up`` was asked for; saved as JSON in ``<state>/hub/settings.json``."""

    state: str
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 0
    proxy_api_port: int = 0
    auth: str = "personal"  # "personal" (one password each) or "shared" (one room password)
    trainer: str = "animateur"
    home_base: str = "/home"
    course_id: str = COURSE_ID
    #: nbgrader course copied into the trainer's ``~/atelier-ia`` on first start.
    course_source: str = str(REPO_ROOT / "exercises")
    #: course notebooks copied (participant edition) into each new home.
    material_source: str = str(REPO_ROOT / "notebooks")
    default_url: str = "/lab/tree/notebooks/00-accueil.ipynb"
    #: LLM gateway every participant goes through (None: offline mode in the servers).
    gateway_url: str | None = None
    gateway_kind: str = "litellm"  # "litellm" (keys from /key/generate) or "static"
    budget_usd: float = 2.0
    key_duration: str = "60d"
    model: str | None = None
    python: str = ""
    proxy_command: list[str] = field(default_factory=list)
    start_timeout: int = 180

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.state))

    def save(self) -> None:
        path = self.layout.settings
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        path.chmod(0o600)

    @classmethod
    def load(cls, state: Path) -> HubSettings:
        path = Layout(Path(state)).settings
        if not path.is_file():
            raise ConfigError(
                f"Aucun hub d'atelier dans {state} (fichier {path} absent).",
                "Démarrez-le avec « atelier hub up » (ou indiquez le bon dossier avec --state).",
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def public_url(self) -> str:
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0") else self.ip
        return f"http://{host}:{self.port}"


@dataclass(frozen=True)
class Layout:
    """Paths inside the state folder, with the permissions each one needs."""

    root: Path

    @property
    def hub(self) -> Path:  # root only: database, secrets, logs
        return self.root / "hub"

    @property
    def settings(self) -> Path:
        return self.hub / "settings.json"

    @property
    def pid(self) -> Path:
        return self.hub / "jupyterhub.pid"

    @property
    def proxy_pid(self) -> Path:
        return self.hub / "proxy.pid"

    @property
    def log(self) -> Path:
        return self.hub / "jupyterhub.log"

    @property
    def db(self) -> Path:
        return self.hub / "jupyterhub.sqlite"

    @property
    def passwords(self) -> Path:
        """scrypt hashes of the participants' passwords (never the passwords)."""
        return self.hub / "passwords.json"

    @property
    def admin_token(self) -> Path:
        return self.hub / "admin-token"

    @property
    def keys(self) -> Path:
        return self.hub / "keys.json"

    @property
    def shared_password(self) -> Path:
        return self.hub / "shared-password"

    @property
    def trainer_password(self) -> Path:
        """Trainer's password in shared mode (the authenticator needs it in clear)."""
        return self.hub / "trainer-password"

    @property
    def exchange(self) -> Path:  # 1777: nbgrader's exchange
        return self.root / "exchange"

    @property
    def shared(self) -> Path:  # 1777: ATELIER_SHARED_DIR (round table, top-3 files)
        return self.root / "partage"

    @property
    def template(self) -> Path:  # 0755: participant edition of the course
        return self.root / "cours"

    @property
    def bin(self) -> Path:  # 0755: wrappers (python, nbgrader, jupyter, atelier)
        return self.root / "bin"

    def config(self, role: str) -> Path:  # 0755: JUPYTER_CONFIG_PATH of each role
        return self.root / "config" / role

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.hub.mkdir(exist_ok=True)
        self.hub.chmod(0o700)
        for folder in (self.exchange, self.shared):
            folder.mkdir(exist_ok=True)
            folder.chmod(0o777 | stat.S_ISVTX)
        for folder in (self.template, self.bin, self.config("participant"), self.config("trainer")):
            folder.mkdir(parents=True, exist_ok=True)
        (self.root / "config").chmod(0o755)


def participant_python() -> str:
    """An interpreter of this environment that unprivileged accounts may run.

    The venv's own interpreter when every folder above it is open to others; otherwise
    ``bin/python-participant`` made by ``tools/hub-deps.sh`` (same minor version, same packages).
    """
    bindir = Path(sys.prefix) / "bin"
    candidates = [Path(sys.executable), bindir / "python-participant"]
    for candidate in candidates:
        if candidate.exists() and _reachable_by_others(candidate.resolve()):
            return str(candidate)
    raise ConfigError(
        f"L'interpréteur Python de {sys.prefix} se trouve dans un dossier fermé aux "
        "comptes des participants (par exemple /root).",
        "Lancez « bash tools/hub-deps.sh » : il relie un python de Debian de même version "
        "(bin/python-participant).",
    )


def check_shared_install() -> None:
    """Participants' servers read the environment and the toolkit sources: both must be open."""
    for folder in (Path(sys.prefix), REPO_ROOT):
        if not _reachable_by_others(folder.resolve()) or not folder.stat().st_mode & stat.S_IROTH:
            raise ConfigError(
                f"Le dossier {folder} n'est pas lisible par les comptes des participants.",
                "Installez le cours dans un dossier ouvert en lecture (par exemple /opt/atelier-ia"
                " ou /srv/atelier-ia, droits 755), pas dans le dossier personnel de root.",
            )


def _reachable_by_others(path: Path) -> bool:
    if not path.exists() or not path.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def proxy_command() -> list[str]:
    """configurable-http-proxy installed by tools/hub-deps.sh (or found on PATH)."""
    local = DEPLOY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return [str(local)]
    from shutil import which

    found = which("configurable-http-proxy")
    if found:
        return [found]
    raise ConfigError(
        "configurable-http-proxy (le proxy de JupyterHub, paquet npm) est introuvable.",
        "Lancez « bash tools/hub-deps.sh » (il l'installe dans deploy/jupyterhub/node_modules).",
    )
