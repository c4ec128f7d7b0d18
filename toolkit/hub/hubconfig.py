"""JupyterHub configuration of the workshop hub, applied by deploy/jupyterhub/jupyterhub_config.py.

One hub run as root, configurable-http-proxy in front, LocalProcessSpawner starting each
participant's JupyterLab (French) under their own system account, the course copied into each
new home, nbgrader's exchange shared, and each participant's own model key in their server.
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

from toolkit.hub import gateway
from toolkit.hub.settings import HubSettings

#: Service whose token (``<state>/hub/admin-token``) the ``atelier hub`` commands use.
ADMIN_SERVICE = "atelier-admin"
ADMIN_SCOPES = [
    "admin:users",
    "admin:servers",
    "access:servers",
    "list:users",
    "read:users",
    "read:servers",
    "tokens",
]


def configure(c, settings: HubSettings) -> None:
    """Fill a JupyterHub config object ``c`` from the saved settings."""
    lay = settings.layout
    c.JupyterHub.ip = settings.ip
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{lay.db}"
    c.JupyterHub.cookie_secret_file = str(lay.hub / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(lay.pid)
    c.JupyterHub.cleanup_servers = True  # `atelier hub down` stops every server too
    c.JupyterHub.cleanup_proxy = True
    c.JupyterHub.shutdown_on_logout = False
    # POST /users/:name/server answers at once (202) instead of holding the request 10 s:
    # a room of 30 starting together, or `atelier hub` scripts, poll for readiness instead.
    c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
    c.JupyterHub.template_vars = {"announcement_login": "Atelier IA : connectez-vous avec "
                                  "l'identifiant et le mot de passe remis par l'animateur."}

    c.ConfigurableHTTPProxy.command = settings.proxy_command
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(lay.proxy_pid)
    c.ConfigurableHTTPProxy.should_start = True

    # Authentication (trade-offs in deploy/README.md).
    c.Authenticator.admin_users = {settings.trainer}
    if settings.auth == "shared":
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = lay.shared_password.read_text().strip()
        c.SharedPasswordAuthenticator.admin_password = lay.trainer_password.read_text().strip()
        c.Authenticator.allow_existing_users = True  # the list given to `hub users add`
    else:
        c.JupyterHub.authenticator_class = "toolkit.hub.auth.AtelierAuthenticator"
        c.AtelierAuthenticator.password_file = str(lay.passwords)
        c.Authenticator.allow_all = True  # only accounts with a password can log in

    token = lay.admin_token.read_text().strip()
    c.JupyterHub.services = [{"name": ADMIN_SERVICE, "api_token": token}]
    c.JupyterHub.load_roles = [
        {"name": ADMIN_SERVICE, "scopes": ADMIN_SCOPES, "services": [ADMIN_SERVICE]}
    ]

    # One system account per participant: the hub is root, servers run as the user.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.cmd = [settings.python, "-m", "jupyterhub.singleuser"]
    c.Spawner.default_url = settings.default_url
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = settings.start_timeout
    c.Spawner.http_timeout = settings.start_timeout
    c.Spawner.pre_spawn_hook = make_pre_spawn_hook(settings)


def base_environment(settings: HubSettings) -> dict[str, str]:
    lay = settings.layout
    venv_bin = str(Path(settings.python).parent)
    return {
        "PATH": os.pathsep.join([str(lay.bin), venv_bin, "/usr/local/bin", "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8",
        "ATELIER_HUB_STATE": str(lay.root),
        "ATELIER_SHARED_DIR": str(lay.shared),
        "ATELIER_NBGRADER_EXCHANGE": str(lay.exchange),
    }


def make_pre_spawn_hook(settings: HubSettings):
    def pre_spawn_hook(spawner) -> None:
        name = spawner.user.name
        admin = bool(spawner.user.admin)
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            raise RuntimeError(  # shown by the hub on the spawn page
                f"Aucun compte système « {name} » sur ce serveur : ajoutez la personne avec "
                "« atelier hub users add »."
            ) from None
        home = Path(entry.pw_dir)
        prepare_home(settings, home, entry.pw_uid, entry.pw_gid, trainer=admin)
        env = base_environment(settings)
        env["JUPYTER_CONFIG_PATH"] = str(settings.layout.config("trainer" if admin else
                                                                "participant"))
        env.update(gateway.participant_environment(settings, name))
        spawner.environment = {**spawner.environment, **env}

    return pre_spawn_hook


def _copy_owned(src: Path, dest: Path, uid: int, gid: int) -> None:
    shutil.copytree(src, dest, symlinks=False)
    for folder, dirs, files in os.walk(dest):
        os.chown(folder, uid, gid)
        for item in dirs + files:
            os.chown(os.path.join(folder, item), uid, gid, follow_symlinks=False)


def prepare_home(settings: HubSettings, home: Path, uid: int, gid: int, *, trainer: bool) -> None:
    """First start: home 0700, course material copied in (and the nbgrader course for trainers)."""
    if not home.is_dir():
        home.mkdir(parents=True)
        os.chown(home, uid, gid)
    home.chmod(0o700)
    template = settings.layout.template
    for item in sorted(template.iterdir()) if template.is_dir() else []:
        target = home / item.name
        if not target.exists():
            _copy_owned(item, target, uid, gid)
    if trainer:
        course = home / settings.course_id
        source = Path(settings.course_source)
        if not course.exists() and source.is_dir():
            _copy_owned(source, course, uid, gid)
