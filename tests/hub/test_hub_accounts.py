"""Participants file, passwords, per-participant keys and the generated hub configuration."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from toolkit.errors import ConfigError, InputError
from toolkit.hub import accounts, gateway, passwords
from toolkit.hub.settings import HubSettings


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "participants.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_french_headers_semicolons_and_windows_encoding(tmp_path):
    path = _csv(tmp_path, "Identifiant;Nom;Courriel;Rôle\r\nalice;Alice Müller;a@ge.ch;\r\n"
                "bob;Bob Pérez;;animateur\r\n", encoding="cp1252")
    people = accounts.read_participants(path)
    assert [(p.username, p.name, p.email, p.role, p.row) for p in people] == [
        ("alice", "Alice Müller", "a@ge.ch", "participant", 2),
        ("bob", "Bob Pérez", "", "trainer", 3),
    ]


def test_commas_bom_and_english_headers(tmp_path):
    path = _csv(tmp_path, "\ufeffusername,name,email\nCarla,Carla R,c@vd.ch\n\n")
    assert [p.username for p in accounts.read_participants(path)] == ["carla"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nom;email\nAlice;a@x.ch\n", "Ligne 1"),
        ("identifiant;nom\nélodie;Élodie\n", "Ligne 2"),
        ("identifiant;nom\nalice;A\nbob;B\nalice;A2\n", "Ligne 4"),
        ("identifiant;nom\nalice;A\n;B\n", "Ligne 3"),
        ("identifiant;email\nalice;pas-un-courriel\n", "Ligne 2"),
        ("identifiant;role\nalice;chef\n", "Ligne 2"),
        ("identifiant;nom\n", "aucun participant"),
    ],
)
def test_errors_name_the_row_in_french(tmp_path, text, expected):
    with pytest.raises(InputError) as info:
        accounts.read_participants(_csv(tmp_path, text))
    assert expected in str(info.value)
    assert info.value.fix


def test_invalid_name_suggests_a_fix(tmp_path):
    with pytest.raises(InputError) as info:
        accounts.read_participants(_csv(tmp_path, "identifiant\nÉlodie Marçal\n"))
    assert "« elodie-marcal »" in info.value.fix


def test_generated_passwords_are_distinct_and_readable():
    made = {accounts.generate_password() for _ in range(200)}
    assert len(made) == 200
    for pw in made:
        assert len(pw) == 14 and pw.count("-") == 2
        assert not set(pw) & set("0o1lI")


def test_password_file_keeps_hashes_only(tmp_path):
    path = tmp_path / "passwords.json"
    passwords.store_passwords(path, {"alice": "abcd-efgh-jkmn", "bob": "x"})
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    text = path.read_text()
    assert "abcd-efgh-jkmn" not in text
    hashes = passwords.load_hashes(path)
    assert passwords.check_password("abcd-efgh-jkmn", hashes["alice"])
    assert not passwords.check_password("abcd-efgh-jkmm", hashes["alice"])
    assert not passwords.check_password("x", "garbage")
    passwords.forget_passwords(path, ["alice"])
    assert set(passwords.load_hashes(path)) == {"bob"}


def test_authenticator_locks_after_failures(tmp_path):
    pytest.importorskip("jupyterhub")
    from toolkit.hub.auth import AtelierAuthenticator

    path = tmp_path / "passwords.json"
    passwords.store_passwords(path, {"alice": "bonne-cle"})
    auth = AtelierAuthenticator(password_file=str(path), allowed_failed_logins=2)

    def login(pw, user="Alice"):
        # A thread of its own: earlier tests (nbclient, nbgrader) may leave a loop running here.
        coro = auth.authenticate(None, {"username": user, "password": pw})
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    assert login("bonne-cle") == "alice"
    assert login("mauvaise") is None
    assert login("mauvaise") is None
    assert login("bonne-cle") is None  # locked for a minute
    assert login("x", user="inconnu") is None


class _FakeLiteLLM(BaseHTTPRequestHandler):
    seen: ClassVar[list] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((self.path, self.headers["Authorization"], body))
        if self.headers["Authorization"] != "Bearer sk-master":
            self.send_response(401)
            self.end_headers()
            return
        payload = json.dumps({"key": f"sk-virtual-{body['user_id']}"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def fake_litellm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLiteLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _FakeLiteLLM.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_litellm_virtual_keys_with_budget(tmp_path, fake_litellm, monkeypatch):
    settings = HubSettings(state=str(tmp_path), gateway_url=fake_litellm + "/v1",
                           budget_usd=1.5, model="gpt-4o-mini")
    settings.layout.create()
    monkeypatch.setenv("LITELLM_MASTER_KEY", "sk-master")
    keys = gateway.ensure_keys(settings, ["alice", "bob"])
    assert keys == {"alice": "sk-virtual-alice", "bob": "sk-virtual-bob"}
    path, auth, body = _FakeLiteLLM.seen[0]
    assert path == "/key/generate" and auth == "Bearer sk-master"
    assert body["max_budget"] == 1.5 and body["user_id"] == "alice"
    assert body["models"] == ["gpt-4o-mini"]
    gateway.ensure_keys(settings, ["alice", "bob"])  # kept, not asked again
    assert len(_FakeLiteLLM.seen) == 2
    assert oct(settings.layout.keys.stat().st_mode & 0o777) == "0o600"
    env = gateway.participant_environment(settings, "bob")
    assert env == {"OPENAI_BASE_URL": fake_litellm + "/v1", "OPENAI_API_KEY": "sk-virtual-bob",
                   "ATELIER_MODEL": "gpt-4o-mini"}
    assert gateway.participant_environment(settings, "inconnu") == {}

    monkeypatch.setenv("LITELLM_MASTER_KEY", "sk-wrong")
    with pytest.raises(ConfigError) as info:
        gateway.ensure_keys(settings, ["carla"])
    assert "carla" in str(info.value)


def test_no_gateway_means_offline_servers(tmp_path):
    settings = HubSettings(state=str(tmp_path))
    settings.layout.create()
    assert gateway.ensure_keys(settings, ["alice"]) == {}
    assert gateway.participant_environment(settings, "alice") == {}


def test_hub_configuration(tmp_path):
    pytest.importorskip("jupyterhub")
    from traitlets.config import Config

    from toolkit.hub.hubconfig import configure, make_pre_spawn_hook

    settings = HubSettings(state=str(tmp_path / "state"), port=8123, hub_port=8124,
                           proxy_api_port=8125, trainer="anim", python="/venv/bin/python",
                           proxy_command=["/chp"])
    lay = settings.layout
    lay.create()
    lay.admin_token.write_text("t0ken")
    c = Config()
    configure(c, settings)
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.JupyterHub.authenticator_class == "toolkit.hub.auth.AtelierAuthenticator"
    assert c.Spawner.cmd == ["/venv/bin/python", "-m", "jupyterhub.singleuser"]
    assert c.JupyterHub.spawner_class.endswith("LocalProcessSpawner")
    assert c.Authenticator.admin_users == {"anim"}
    assert c.JupyterHub.services[0]["api_token"] == "t0ken"
    assert callable(c.Spawner.pre_spawn_hook) and make_pre_spawn_hook(settings)
    # Exchange and shared folder open to all (sticky), secrets root only.
    assert oct(lay.exchange.stat().st_mode & 0o7777) == "0o1777"
    assert oct(lay.hub.stat().st_mode & 0o777) == "0o700"

    lay.shared_password.write_text("salle")
    lay.trainer_password.write_text("anim-pw")
    settings.auth = "shared"
    c = Config()
    configure(c, settings)
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == "salle"


def test_support_files_set_each_participant_as_student(tmp_path):
    from toolkit.hub.lifecycle import write_support_files

    material = tmp_path / "notebooks"
    material.mkdir()
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("Bonjour"), new_markdown_cell("Note")])
    nb.cells[1].metadata["tags"] = ["animateur"]
    nb.cells.append(new_code_cell("1 + 1"))
    nbformat.write(nb, material / "00-accueil.ipynb")
    settings = HubSettings(state=str(tmp_path / "state"), python="/venv/bin/python3",
                           material_source=str(material))
    settings.layout.create()
    write_support_files(settings)
    cfg = (settings.layout.config("participant") / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER")' in cfg
    assert "atelier-ia" in cfg and str(settings.layout.exchange) in cfg
    trainer_cfg = (settings.layout.config("trainer") / "nbgrader_config.py").read_text()
    assert "student_id" not in trainer_cfg.split('"""')[-1]
    copied = nbformat.read(settings.layout.template / "notebooks" / "00-accueil.ipynb", 4)
    assert [c.source for c in copied.cells] == ["Bonjour", "1 + 1"]  # trainer notes removed
    wrapper = (settings.layout.bin / "nbgrader").read_text()
    assert '"/venv/bin/python3" -m nbgrader' in wrapper


def test_cli_registers_hub_commands(capsys):
    from toolkit.cli import main

    with pytest.raises(SystemExit):
        main(["hub", "users", "add", "--help"])
    out = capsys.readouterr().out
    assert "identifiant;nom;email" in out and "Exemple" in out


def test_up_again_keeps_the_saved_settings(tmp_path, monkeypatch):
    from toolkit.cli import main
    from toolkit.hub import lifecycle

    saved = HubSettings(state=str(tmp_path), trainer="referente", port=8100,
                        gateway_url="http://127.0.0.1:4000/v1", home_base="/srv/homes")
    saved.layout.create()
    saved.save()
    started = []
    monkeypatch.setattr(lifecycle, "up", lambda settings: started.append(settings) or "ok")
    assert main(["hub", "up", "--state", str(tmp_path), "--port", "8200"]) == 0
    got = started[0]
    assert (got.trainer, got.port, got.home_base) == ("referente", 8200, "/srv/homes")
    assert got.gateway_url == "http://127.0.0.1:4000/v1"
    assert main(["hub", "up", "--state", str(tmp_path / "neuf")]) == 0
    assert (started[1].trainer, started[1].port, started[1].auth) == ("animateur", 8000,
                                                                      "personal")


def test_hub_and_docker_participants_get_the_participant_edition(tmp_path):
    """One list of what participants do not get: the laptop edition's, less the hub's submit."""
    from toolkit.course.lab import lab_settings
    from toolkit.hub.lifecycle import participant_config_files, write_support_files

    settings = HubSettings(state=str(tmp_path / "state"), python="/venv/bin/python3",
                           material_source=str(tmp_path / "none"))
    settings.layout.create()
    write_support_files(settings)
    folder = settings.layout.config("participant")
    page = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    laptop = lab_settings("participant")["page_config.json"]["disabledExtensions"]
    assert set(page) == set(laptop) - {"@jupyter/nbgrader:assignment-list"}
    for english_control in ("validate-assignment", "create-assignment", "formgrader", "menu"):
        assert page[f"@jupyter/nbgrader:{english_control}"] is True
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    docker = Path(__file__).parents[2] / "deploy" / "docker" / "participant"
    for name, text in participant_config_files().items():
        assert (docker / name).read_text(encoding="utf-8") == text, (
            f"deploy/docker/participant/{name} differs from the hub's participant configuration: "
            "regenerate it from toolkit.hub.lifecycle.participant_config_files()")
