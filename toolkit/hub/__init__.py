"""Workshop hub: JupyterHub on one machine with one system account per participant,
nbgrader's exchange and a per-participant model key (``atelier hub ...``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import by_module, lazy_exports

# submodule -> the names it exports, imported on first use (PEP 562).
_LAZY = by_module({
    "toolkit.hub.accounts": ("Login", "Participant", "generate_password", "read_participants"),
    "toolkit.hub.api": ("HubClient",),
    "toolkit.hub.lifecycle": ("HubInfo", "add_users", "down", "remove_users", "up"),
    "toolkit.hub.settings": ("HubSettings",),
})

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
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

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
