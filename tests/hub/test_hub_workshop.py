"""A real workshop hub on 127.0.0.1: three participants fetch, submit; the trainer grades.

Runs as root (CI does): system accounts get a unique prefix and are removed at the end, with
the hub, the proxy and every server, even when an assertion fails. The model gateway itself
(LiteLLM) is not run here: a stand-in OpenAI-compatible server accepts the per-participant
keys that the spawner hands to each server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import textwrap
import uuid
from pathlib import Path

import psutil
import pytest

from toolkit.hub.settings import GROUP
from toolkit.testing import openai_server
from toolkit.testing.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
COURSE = HERE / "fixtures" / "course"
ASSIGNMENT = "hub-exercice"


def _missing_requirements() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "le hub d'atelier se teste en root (comptes système)"
    if not shutil.which("useradd"):
        return "useradd absent"
    try:
        import jupyterhub  # noqa: F401

        from toolkit.hub.settings import check_shared_install, participant_python, proxy_command

        check_shared_install()
        participant_python()
        proxy_command()
    except Exception as exc:  # noqa: BLE001 - any missing piece skips with its reason
        return f"dépendance du hub absente : {exc}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _KeyHandler(openai_server._Handler):
    """Accepts any of the participants' keys, and records which one was used."""

    def _authorised(self) -> bool:
        owner = self.server.owner
        got = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if got in owner.accepted_keys:
            with owner.lock:
                owner.keys_seen.append(got)
            return True
        self._error(401, "Incorrect API key provided.", "invalid_api_key")
        return False


def _upstream() -> FakeOpenAIServer:
    server = FakeOpenAIServer()
    server._httpd.RequestHandlerClass = _KeyHandler
    server.accepted_keys = set()
    server.keys_seen = []
    return server.start()


# -- running code inside a participant's server (kernel over the REST + websocket API) --------


async def _run_in_server(base: str, user: str, token: str, code: str, timeout: float = 240):
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    http = AsyncHTTPClient()
    resp = await http.fetch(HTTPRequest(f"{base}/user/{user}/api/kernels", method="POST",
                                        headers=headers, body=json.dumps({"name": "python3"}),
                                        request_timeout=60))
    kernel = json.loads(resp.body)["id"]
    ws_url = base.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel}/channels"
    conn = await websocket_connect(HTTPRequest(ws_url, headers=headers, request_timeout=60))
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    out, error = [], None
    try:
        while True:
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            if raw is None:
                raise RuntimeError(f"websocket closed while running code for {user}")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        conn.close()
        await http.fetch(HTTPRequest(f"{base}/user/{user}/api/kernels/{kernel}",
                                     method="DELETE", headers=headers), raise_error=False)
    if error:
        raise AssertionError(f"code failed in {user}'s server:\n{error}\n{''.join(out)}")
    return "".join(out)


def run_in_server(hub, user: str, code: str) -> dict:
    """Run ``code`` in a fresh kernel of ``user``'s server; its last printed line is JSON."""
    coro = _run_in_server(hub["url"], user, hub["token"], textwrap.dedent(code))
    # A thread of its own: earlier tests (nbclient, nbgrader) may leave a loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        text = pool.submit(asyncio.run, coro).result()
    return json.loads(text.strip().splitlines()[-1])


# -- the hub ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hub():
    reason = _missing_requirements()
    if reason:
        pytest.skip(reason)
    from toolkit.hub import accounts, lifecycle
    from toolkit.hub.settings import HubSettings

    prefix = "t" + secrets.token_hex(3)  # unique system account names for this run
    names = {"a": f"{prefix}a", "b": f"{prefix}b", "c": f"{prefix}c"}
    trainer = f"{prefix}anim"
    base = Path(tempfile.mkdtemp(prefix="atelier-hubtest-", dir="/tmp"))
    base.chmod(0o755)  # homes below must be reachable by their owners
    (base / "home").mkdir(mode=0o755)
    upstream = _upstream()
    settings = HubSettings(
        state=str(base / "state"), port=_free_port(), trainer=trainer,
        home_base=str(base / "home"), course_source=str(COURSE),
        gateway_url=upstream.base_url, gateway_kind="static", model="atelier-test",
    )
    group_existed = accounts.workshop_group() is not None
    try:
        info = lifecycle.up(settings)
        csv = base / "participants.csv"
        csv.write_text("identifiant;nom;email\n" + "".join(
            f"{n};Participant {k.upper()};{k}@example.ch\n" for k, n in names.items()),
            encoding="utf-8")
        logins = lifecycle.add_users(settings, accounts.read_participants(csv))
        keys = json.loads(settings.layout.keys.read_text())
        upstream.accepted_keys.update(keys.values())
        yield {
            "settings": settings, "info": info, "names": names, "trainer": trainer,
            "logins": logins, "keys": keys, "upstream": upstream, "base": base,
            "url": settings.public_url,
            "token": settings.layout.admin_token.read_text().strip(),
        }
    finally:
        try:
            lifecycle.down(settings.state)
        finally:
            upstream.stop()
        for name in [*names.values(), trainer]:
            try:
                accounts.remove_account(name)
            except Exception as exc:  # noqa: BLE001 - keep cleaning the others
                print(f"could not remove {name}: {exc}")
        shutil.rmtree(base, ignore_errors=True)
        group = accounts.workshop_group()
        if not group_existed and group is not None and not group.gr_mem:
            subprocess.run(["groupdel", GROUP], check=False)


def _processes_of(users) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["username"]):
        if proc.info["username"] in users:
            found.append(proc)
    return found


def test_workshop_round_trip(hub):
    from toolkit.hub.api import HubClient

    settings = hub["settings"]
    names, trainer = hub["names"], hub["trainer"]
    client = HubClient.from_settings(settings)

    # Logins: one generated password each, shown once, stored only as a hash.
    assert {lg.username for lg in hub["logins"]} == set(names.values())
    assert all(lg.password and lg.created for lg in hub["logins"])
    stored = settings.layout.passwords.read_text()
    assert all(lg.password not in stored for lg in hub["logins"])
    assert oct(settings.layout.passwords.stat().st_mode & 0o777) == "0o600"
    assert oct(settings.layout.keys.stat().st_mode & 0o777) == "0o600"
    assert hub["info"].trainer_password and hub["info"].trainer_password not in stored
    assert can_log_in(hub, trainer, hub["info"].trainer_password)
    assert not can_log_in(hub, trainer, "mauvais-mot-de-passe")
    first = hub["logins"][0]
    assert can_log_in(hub, first.username, first.password)

    # Homes: one system account each, home 0700.
    for name in names.values():
        entry = pwd.getpwnam(name)
        assert Path(entry.pw_dir).stat().st_mode & 0o777 == 0o700

    # Spawn the trainer and the three participants through the REST API.
    everyone = [trainer, *names.values()]
    for name in everyone:
        client.start_server(name)
    client.wait_ready(everyone, timeout=300)

    # The trainer releases the small assignment (nbgrader API, inside the trainer's server).
    released = run_in_server(hub, trainer, f"""
        import json, os
        from toolkit.grading.course import Course, make_api
        api = make_api(Course.open(os.path.expanduser("~/atelier-ia")))
        r1 = api.generate_assignment("{ASSIGNMENT}", force=True, create=True)
        r2 = api.release_assignment("{ASSIGNMENT}")
        print(json.dumps({{"generate": r1["success"], "release": r2["success"],
                          "log": (r1.get("log") or "") + (r2.get("log") or ""),
                          "error": (r1.get("error") or "") + (r2.get("error") or "")}}))
    """)
    assert released["generate"] and released["release"], released

    # Each participant fetches, answers (C gets it wrong) and submits, as themselves.
    for key, name in names.items():
        answer = "return x" if key == "c" else "return 2 * x"
        other = names["b"] if key == "a" else names["a"]
        result = run_in_server(hub, name, f"""
            import getpass, hashlib, json, os, subprocess, sys
            import nbformat
            os.chdir(os.path.expanduser("~"))
            def nbg(*args):
                r = subprocess.run([sys.executable, "-m", "nbgrader", *args],
                                   capture_output=True, text=True)
                return r.returncode, r.stdout[-1500:] + r.stderr[-1500:]
            fetch = nbg("fetch_assignment", "{ASSIGNMENT}")
            path = os.path.join("{ASSIGNMENT}", "{ASSIGNMENT}.ipynb")
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {{}}).get("grade_id") == "double":
                    cell.source = "def double(x):\\n    {answer}"
            nbformat.write(nb, path)
            submit = nbg("submit", "{ASSIGNMENT}")
            try:
                os.listdir("{Path(settings.home_base) / other}")
                other_home = "lisible"
            except PermissionError:
                other_home = "refusé"
            try:
                os.listdir("{settings.layout.exchange}/atelier-ia/inbound")
                inbound = "lisible"
            except PermissionError:
                inbound = "refusé"
            import toolkit
            answer = toolkit.ask("Donne un titre pour une offre d'emploi de comptable.")
            key = os.environ.get("OPENAI_API_KEY", "")
            print(json.dumps({{
                "user": getpass.getuser(), "hub_user": os.environ.get("JUPYTERHUB_USER"),
                "fetch": fetch, "submit": submit, "other_home": other_home,
                "inbound": inbound, "mode": answer.mode,
                "key_sha": hashlib.sha256(key.encode()).hexdigest(),
                "home_files": sorted(os.listdir(".")),
            }}))
        """)
        assert result["user"] == name and result["hub_user"] == name
        assert result["fetch"][0] == 0, result["fetch"]
        assert result["submit"][0] == 0, result["submit"]
        assert result["other_home"] == "refusé"  # A cannot read B's home (nor B A's)
        assert result["inbound"] == "refusé"  # nor list the others' submissions
        assert "notebooks" in result["home_files"]  # the course was copied in
        # The model is reached with this participant's own key, never a shared one.
        assert result["mode"] == "live"
        assert result["key_sha"] == hashlib.sha256(hub["keys"][name].encode()).hexdigest()
    seen = set(hub["upstream"].keys_seen)
    assert seen == {hub["keys"][n] for n in names.values()}

    # Submissions are filed under each participant's own name.
    inbound = settings.layout.exchange / "atelier-ia" / "inbound"
    owners = {p.name.split("+")[0] for p in inbound.iterdir()}
    assert owners == set(names.values())
    for entry in inbound.iterdir():
        assert pwd.getpwuid(entry.stat().st_uid).pw_name == entry.name.split("+")[0]

    # The trainer collects the three and autogrades them (nbgrader API).
    graded = run_in_server(hub, trainer, f"""
        import json, os
        from toolkit.grading.course import Course, make_api
        api = make_api(Course.open(os.path.expanduser("~/atelier-ia")))
        collected = api.collect("{ASSIGNMENT}")
        results = {{}}
        for student in {sorted(names.values())!r}:
            r = api.autograde("{ASSIGNMENT}", student, force=True, create=True)
            results[student] = r["success"]
        scores = {{s["student"]: s["score"] for s in api.get_submissions("{ASSIGNMENT}")}}
        print(json.dumps({{"collect": collected["success"], "autograde": results,
                          "scores": scores}}))
    """)
    assert graded["collect"], graded
    assert all(graded["autograde"].values()), graded
    assert graded["scores"] == {names["a"]: 1.0, names["b"]: 1.0, names["c"]: 0.0}

    # Removing a participant stops their server, then deletes hub user, account and home.
    from toolkit.hub import lifecycle

    home_c = Path(pwd.getpwnam(names["c"]).pw_dir)
    assert lifecycle.remove_users(settings, [names["c"]]) == 1
    assert names["c"] not in client.users()
    with pytest.raises(KeyError):
        pwd.getpwnam(names["c"])
    assert not home_c.exists()

    # Participants do not get the trainer's tools.
    log = settings.layout.log.read_text(errors="replace")
    assert "formgrader | extension was successfully loaded" in log  # trainer only
    assert log.count("formgrader | extension was successfully loaded") == 1


def can_log_in(hub, username: str, password: str) -> bool:
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{hub['url']}/hub/login", timeout=20).read().decode()
    found = re.search(r'name="_xsrf" value="([^"]+)"', page)
    xsrf = found.group(1) if found else next(c.value for c in jar if c.name == "_xsrf")
    data = urllib.parse.urlencode({"username": username, "password": password,
                                   "_xsrf": xsrf}).encode()
    try:
        opener.open(f"{hub['url']}/hub/login", data, timeout=20)
    except urllib.error.HTTPError:
        return False
    return any(c.name == "jupyterhub-hub-login" for c in jar)


def test_down_leaves_nothing_behind(hub):
    """Runs last in this module: `down` stops servers, kernels, proxy and hub."""
    from toolkit.hub import lifecycle

    settings = hub["settings"]
    users = {*hub["names"].values(), hub["trainer"]}
    hub_pid = lifecycle.running_pid(Path(settings.state))
    assert hub_pid
    proxy_pid = int(settings.layout.proxy_pid.read_text())
    assert psutil.pid_exists(proxy_pid)
    report = lifecycle.down(settings.state)
    assert report.stopped_hub
    assert not psutil.pid_exists(hub_pid) or psutil.Process(hub_pid).status() == "zombie"
    assert not psutil.pid_exists(proxy_pid)
    assert _processes_of(users) == []
    with socket.socket() as s:  # the public port is free again (nobody listens)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", settings.port))
    assert "Aucun hub" in str(lifecycle.down(settings.state))
