"""The workshop hub's authenticator: one generated password per participant, nothing else.

Passwords are stored only as scrypt hashes in ``<state>/hub/passwords.json`` (root, 0600),
written by ``atelier hub users add``; there is no self sign-up, and repeated failures lock an
account for a minute. (NativeAuthenticator 1.3.0 does the same with a sign-up page, but its
login handler fails on JupyterHub 6: ``'LoginHandler' object has no attribute 'statsd'``.)
"""

from __future__ import annotations

import time
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Integer, Unicode

from toolkit.hub.passwords import check_password, load_hashes


class AtelierAuthenticator(Authenticator):
    """Checks the participant's password against the hashes written by ``hub users add``."""

    password_file = Unicode(
        "", config=True, help="JSON file of scrypt password hashes, {username: hash}."
    )
    allowed_failed_logins = Integer(
        5, config=True, help="Failed attempts before an account is locked for a while."
    )
    seconds_before_next_try = Integer(
        60, config=True, help="How long a locked account waits before the next attempt."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failures: dict[str, tuple[int, float]] = {}

    def _locked(self, username: str) -> bool:
        count, last = self._failures.get(username, (0, 0.0))
        return count >= self.allowed_failed_logins and (
            time.monotonic() - last < self.seconds_before_next_try
        )

    async def authenticate(self, handler, data):
        username = self.normalize_username(data.get("username", ""))
        password = data.get("password", "")
        if not username or self._locked(username):
            return None
        stored = load_hashes(Path(self.password_file)).get(username)
        if stored and check_password(password, stored):
            self._failures.pop(username, None)
            return username
        count, _ = self._failures.get(username, (0, 0.0))
        self._failures[username] = (count + 1, time.monotonic())
        self.log.warning("Failed login for %s (%d)", username, count + 1)
        return None
