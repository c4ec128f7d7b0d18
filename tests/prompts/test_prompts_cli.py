"""Tests of ``atelier prompt analyse``."""

from __future__ import annotations

import json

from toolkit.cli import main


def test_analyse_text(capsys):
    assert main(["prompt", "analyse", "Tu es juriste. Résume ce contrat en 5 puces."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Analyse du prompt : 55/100")
    assert "✔ Rôle" in out and "Pour l'améliorer" in out


def test_analyse_file_and_json(tmp_path, capsys):
    path = tmp_path / "prompt.txt"
    path.write_text("You are an HR officer. Write a job ad.", encoding="utf-8")
    assert main(["prompt", "analyse", "--file", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"] == 40
    assert data["composantes"]["role"]["present"] is True
    assert data["conseils"][0].startswith("Ajoutez du contexte")


def test_errors_are_french(tmp_path, capsys):
    assert main(["prompt", "analyse", "--file", str(tmp_path / "absent.txt")]) == 1
    assert "Fichier introuvable" in capsys.readouterr().err
    assert main(["prompt", "analyse"]) == 1
    assert "Aucun prompt" in capsys.readouterr().err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Résume".encode("cp1252"))
    assert main(["prompt", "analyse", "--file", str(bad)]) == 1
    assert "UTF-8" in capsys.readouterr().err
