"""A small client for the hub's REST API, authenticated with the admin service token."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from toolkit.errors import ConfigError, HubAPIError
from toolkit.hub.settings import HubSettings


@dataclass
class HubClient:
    base_url: str  # e.g. http://127.0.0.1:8000 (through the proxy)
    token: str
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: HubSettings) -> HubClient:
        token_file = settings.layout.admin_token
        if not token_file.is_file():
            raise ConfigError(f"Jeton d'administration introuvable ({token_file}).",
                              "Démarrez le hub avec « atelier hub up ».")
        return cls(settings.public_url, token_file.read_text().strip())

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        url = f"{self.base_url}/hub/api{path}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw.decode(errors="replace")
            return exc.code, payload
        except (urllib.error.URLError, OSError) as exc:
            raise ConfigError(
                f"Le hub ne répond pas à {self.base_url}.",
                "Vérifiez qu'il est démarré (« atelier hub up ») et regardez son journal "
                "(<état>/hub/jupyterhub.log).",
                detail=str(exc),
            ) from exc

    def _ok(self, method: str, path: str, body: dict | None = None, ok=(200, 201, 202, 204)):
        status, payload = self.request(method, path, body)
        if status not in ok:
            raise HubAPIError(
                f"Le hub a refusé {method} {path} (statut {status}).",
                "Regardez le journal du hub (<état>/hub/jupyterhub.log).",
                detail=str(payload),
            )
        return payload

    def alive(self) -> bool:
        try:
            status, _ = self.request("GET", "/")
        except ConfigError:
            return False
        return status == 200

    def users(self) -> dict[str, dict]:
        payload = self._ok("GET", "/users?limit=1000")
        items = payload["items"] if isinstance(payload, dict) and "items" in payload else payload
        return {u["name"]: u for u in items}

    def add_users(self, names: list[str], admin: bool = False) -> None:
        if names:
            self._ok("POST", "/users", {"usernames": names, "admin": admin}, ok=(201,))

    def delete_user(self, name: str) -> None:
        self._ok("DELETE", f"/users/{urllib.parse.quote(name)}", ok=(204, 404))

    def start_server(self, name: str) -> None:
        self._ok("POST", f"/users/{urllib.parse.quote(name)}/server", ok=(201, 202, 400))

    def stop_server(self, name: str) -> None:
        self._ok("DELETE", f"/users/{urllib.parse.quote(name)}/server", ok=(202, 204, 400))

    def server(self, name: str) -> dict | None:
        user = self._ok("GET", f"/users/{urllib.parse.quote(name)}")
        return (user.get("servers") or {}).get("")

    def wait_ready(self, names: list[str], timeout: float = 180.0) -> dict[str, float]:
        """Wait until every named server is ready; returns seconds to ready for each."""
        start = time.monotonic()
        ready: dict[str, float] = {}
        while len(ready) < len(names):
            users = self.users()
            for name in names:
                if name in ready:
                    continue
                server = (users.get(name, {}).get("servers") or {}).get("")
                if server and server.get("ready"):
                    ready[name] = time.monotonic() - start
                elif not server and name in users and not users[name].get("pending"):
                    raise HubAPIError(
                        f"Le serveur de « {name} » s'est arrêté pendant son démarrage.",
                        "Regardez le journal du hub (<état>/hub/jupyterhub.log).",
                    )
            if time.monotonic() - start > timeout:
                missing = ", ".join(sorted(set(names) - set(ready)))
                raise HubAPIError(f"Serveurs non prêts après {timeout:.0f} s : {missing}.",
                                  "Regardez le journal du hub (<état>/hub/jupyterhub.log).")
            if len(ready) < len(names):
                time.sleep(0.5)
        return ready

    def stop_servers(self, names: list[str], timeout: float = 180.0) -> None:
        """Stop the named users' servers (waiting for those still starting) until none runs."""
        deadline = time.monotonic() + timeout
        while names:
            users = self.users()
            busy = [n for n in names if n in users
                    and (users[n].get("servers") or users[n].get("pending"))]
            if not busy:
                return
            for name in busy:
                if not users[name].get("pending"):  # a starting server cannot be stopped yet
                    self.stop_server(name)
            if time.monotonic() > deadline:
                raise HubAPIError(f"Serveurs toujours actifs après {timeout:.0f} s : "
                                  f"{', '.join(busy)}.",
                                  "Regardez le journal du hub (<état>/hub/jupyterhub.log).")
            time.sleep(0.5)
