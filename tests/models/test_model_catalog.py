"""``list_models`` and ``add_model``: copy a GGUF file, or download one from a real HTTP server
on 127.0.0.1 that honours ``Range`` (resume), can cut a transfer short, and logs requests."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from toolkit.errors import InputError, ModelFileError
from toolkit.models.catalog import EMBEDDED, add_model, list_models, resolve_model


class FileServer:
    """Serves files from a dict over HTTP/1.1 with Range support; ``cut_after`` drops the
    connection after that many body bytes of the next response."""

    def __init__(self, files: dict[str, bytes]):
        owner = self
        self.files, self.requests, self.cut_after = files, [], None

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                data = owner.files.get(self.path)
                owner.requests.append({"path": self.path, "range": self.headers.get("Range")})
                if data is None:
                    self.send_error(404)
                    return
                start = 0
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes="):
                    start = int(rng[6:].split("-")[0])
                    if start >= len(data):
                        self.send_response(416)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                cut, owner.cut_after = owner.cut_after, None
                self.wfile.write(body if cut is None else body[:cut])
                owner.requests[-1]["sent"] = len(body) if cut is None else cut
                if cut is not None:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def model_bytes(make_gguf, tmp_path):
    # Big enough that a cut transfer leaves a partial file worth resuming.
    return make_gguf(tmp_path / "src.gguf", tensors=4, size=200_000).read_bytes()


def test_list_shows_embedded_and_folder_models(course, make_gguf):
    (course / "models").mkdir()
    make_gguf(course / "models" / "mon-modele.gguf", name="Mon modèle", licence="mit")
    (course / "models" / "abime.gguf").write_bytes(b"pas un modele")
    entries = {e.name: e for e in list_models()}
    assert entries[EMBEDDED].embedded and entries[EMBEDDED].licence == "apache-2.0"
    assert (
        entries["mon-modele"].licence == "mit" and "Mon modèle" in entries["mon-modele"].description
    )
    assert "GGUF" in entries["abime"].description  # listed with the reason, not hidden
    assert "Mo" in str(entries[EMBEDDED])


def test_add_copies_a_checked_file(course, tiny_gguf):
    entry = add_model(str(tiny_gguf), progress=False)
    assert entry.path == course / "models" / "atelier-tiny.gguf"
    assert entry.path.read_bytes() == tiny_gguf.read_bytes()
    assert resolve_model("atelier-tiny") == ("atelier-tiny", entry.path)


def test_add_refuses_a_bad_file_and_copies_nothing(course, tmp_path):
    bad = tmp_path / "faux.gguf"
    bad.write_text("bonjour", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"faux\.gguf"):
        add_model(str(bad), progress=False)
    assert not (course / "models" / "faux.gguf").exists()


def test_add_checks_the_sha256_of_a_copy(course, tiny_gguf):
    with pytest.raises(ModelFileError, match=r"SHA-256"):
        add_model(str(tiny_gguf), sha256="0" * 64, progress=False)
    good = hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    assert add_model(str(tiny_gguf), sha256=good.upper(), progress=False).size > 0


def test_download_resumes_after_a_cut(course, model_bytes):
    sha = hashlib.sha256(model_bytes).hexdigest()
    with FileServer({"/m/petit.gguf": model_bytes}) as server:
        server.cut_after = len(model_bytes) // 3
        with pytest.raises(InputError, match="interrompu") as info:
            add_model(server.url("/m/petit.gguf"), sha256=sha, progress=False)
        assert "reprendra" in info.value.fix
        part = course / "models" / "petit.gguf.part"
        assert part.stat().st_size == len(model_bytes) // 3
        entry = add_model(server.url("/m/petit.gguf"), sha256=sha, progress=False)
        second = server.requests[-1]
    assert second["range"] == f"bytes={len(model_bytes) // 3}-"
    assert second["sent"] == len(model_bytes) - len(model_bytes) // 3  # only the rest
    assert entry.path.read_bytes() == model_bytes and not part.exists()


def test_download_with_a_wrong_sha256_keeps_nothing(course, model_bytes):
    with FileServer({"/m.gguf": model_bytes}) as server, pytest.raises(ModelFileError, match="SHA"):
        add_model(server.url("/m.gguf"), sha256="ab" * 32, progress=False)
    assert list((course / "models").iterdir()) == []


def test_download_of_a_web_page_is_refused(course):
    page = {"/page.gguf": b"<html>Connectez-vous</html>"}
    with FileServer(page) as server, pytest.raises(ModelFileError, match="GGUF"):
        add_model(server.url("/page.gguf"), progress=False)
    assert list((course / "models").iterdir()) == []


def test_download_404_says_so(course):
    with FileServer({}) as server, pytest.raises(InputError, match="HTTP 404") as info:
        add_model(server.url("/absent.gguf"), progress=False)
    assert "lien direct" in info.value.fix


def test_unknown_model_name_lists_the_known_ones(course):
    with pytest.raises(ModelFileError) as info:
        resolve_model("mistral-7b")
    assert "mistral-7b" in info.value.message and EMBEDDED in info.value.message
