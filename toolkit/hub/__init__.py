"""Workshop hub: JupyterHub on one machine with one system account per participant,
nbgrader's exchange and a per-participant model key (``atelier hub ...``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.hub.accounts import Login as Login
    from toolkit.hub.accounts import Participant as Participant
    from toolkit.hub.accounts import generate_password as generate_password
    from toolkit.hub.accounts import read_participants as read_participants
    from toolkit.hub.api import HubClient as HubClient
    from toolkit.hub.lifecycle import HubInfo as HubInfo
    from toolkit.hub.lifecycle import add_users as add_users
    from toolkit.hub.lifecycle import down as down
    from toolkit.hub.lifecycle import remove_users as remove_users
    from toolkit.hub.lifecycle import up as up
    from toolkit.hub.settings import HubSettings as HubSettings

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.hub.accounts": ("Login", "Participant", "generate_password", "read_participants"),
    "toolkit.hub.api": ("HubClient",),
    "toolkit.hub.lifecycle": ("HubInfo", "add_users", "down", "remove_users", "up"),
    "toolkit.hub.settings": ("HubSettings",),
})
