"""Shared-folder records: atomic, anonymous, and safe with several writers at once."""

from __future__ import annotations

import getpass
import json
import multiprocessing
import socket

import pytest

from toolkit.course import sharedfolder
from toolkit.errors import InputError


def _writer(folder: str, worker: int, count: int) -> None:
    for i in range(count):
        sharedfolder.append_record(
            "tour-de-table",
            {"tache": f"tâche {worker}-{i}", "texte": "x" * 2000, "worker": worker, "i": i},
            folder,
        )


def _reader(folder: str, rounds: int, queue) -> None:
    skipped = 0
    seen = 0
    for _ in range(rounds):
        frame, report = sharedfolder.read_records("tour-de-table", folder, report=True)
        skipped += len(report.skipped)
        seen = max(seen, len(frame))
    queue.put((skipped, seen))


def test_round_trip_and_anonymous(tmp_path):
    path = sharedfolder.append_record("top3", {"service": "RH", "tache_1": "Annonces"}, tmp_path)
    assert path.parent == tmp_path / "top3"
    text = path.read_text(encoding="utf-8")
    assert getpass.getuser() not in path.name
    assert socket.gethostname() not in text
    frame = sharedfolder.read_records("top3", tmp_path)
    assert frame.loc[0, "tache_1"] == "Annonces"
    assert frame.loc[0, "source"] == "participant"
    assert "date" in frame.columns


def test_env_variable_sets_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))
    sharedfolder.append_record("top3", {"service": "RH"})
    assert len(list((tmp_path / "partage" / "top3").glob("*.json"))) == 1


def test_sample_rows_are_added_and_marked(tmp_path):
    sample = tmp_path / "exemple.csv"
    sample.write_text("tache,service\nA,RH\nB,Finances\n", encoding="utf-8")
    sharedfolder.append_record("tour-de-table", {"tache": "C", "service": "RH"}, tmp_path)
    frame = sharedfolder.read_records("tour-de-table", tmp_path, sample=sample)
    assert list(frame["source"]) == ["exemple", "exemple", "participant"]


def test_broken_and_hidden_files_are_skipped(tmp_path):
    folder = sharedfolder.collection_dir("top3", tmp_path)
    (folder / "casse.json").write_text("{pas du json", encoding="utf-8")
    (folder / ".tmp-en-cours.json").write_text("{", encoding="utf-8")
    sharedfolder.append_record("top3", {"service": "RH"}, tmp_path)
    frame, report = sharedfolder.read_records("top3", tmp_path, report=True)
    assert len(frame) == 1
    assert report.skipped == ["casse.json"]
    assert "illisible" in str(report)


def test_bad_collection_name_is_refused(tmp_path):
    with pytest.raises(InputError, match="collection"):
        sharedfolder.append_record("../evasion", {"a": 1}, tmp_path)


def test_unserialisable_record_is_refused(tmp_path):
    with pytest.raises(InputError, match="valeur impossible"):
        sharedfolder.append_record("top3", {"a": object()}, tmp_path)


def test_concurrent_writers_lose_nothing(tmp_path):
    """6 processes write 40 records each while a reader polls: 240 complete records, no
    half-written file ever seen, no temporary file left."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    writers = [ctx.Process(target=_writer, args=(str(tmp_path), w, 40)) for w in range(6)]
    reader = ctx.Process(target=_reader, args=(str(tmp_path), 30, queue))
    for p in [*writers, reader]:
        p.start()
    for p in [*writers, reader]:
        p.join(120)
        assert p.exitcode == 0
    skipped, _seen = queue.get(timeout=10)
    assert skipped == 0
    folder = tmp_path / "tour-de-table"
    files = list(folder.glob("*.json"))
    assert len(files) == 240
    assert not list(folder.glob(".tmp-*"))
    keys = set()
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        assert len(data["texte"]) == 2000
        keys.add((data["worker"], data["i"]))
    assert len(keys) == 240
