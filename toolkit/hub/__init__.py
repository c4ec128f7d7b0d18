"""Workshop hub: JupyterHub on one machine with one system account per participant,
nbgrader's exchange and a per-participant model key (``atelier hub ...``)."""

from toolkit.hub.accounts import Login, Participant, generate_password, read_participants
from toolkit.hub.api import HubClient
from toolkit.hub.lifecycle import HubInfo, add_users, down, remove_users, up
from toolkit.hub.settings import HubSettings

__all__ = [
    "HubClient",
    "HubInfo",
    "HubSettings",
    "Login",
    "Participant",
    "add_users",
    "down",
    "generate_password",
    "read_participants",
    "remove_users",
    "up",
]
