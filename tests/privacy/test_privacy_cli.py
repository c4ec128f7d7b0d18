"""`atelier privacy scan FILE [--mask]`, run in-process through toolkit.cli.main."""

from __future__ import annotations

from toolkit.cli import main

LETTER = (
    "Madame Dubois,\n"
    "Merci de verser le montant sur CH93 0076 2011 6238 5295 7.\n"
    "Contact : marie.dubois@exemple.ch, 079 123 45 67.\n"
    "CONFIDENTIEL\n"
)


def test_scan_lists_findings_in_french(tmp_path, capsys):
    path = tmp_path / "courrier.txt"
    path.write_text(LETTER, encoding="utf-8")
    assert main(["privacy", "scan", str(path), "--no-ner"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("courrier.txt : ")
    assert "1 IBAN" in out and "1 adresse e-mail" in out and "1 numéro de téléphone" in out
    assert "ligne   2  IBAN" in out
    assert "Texte masqué" not in out


def test_scan_with_mask_prints_masked_text_and_table(tmp_path, capsys):
    path = tmp_path / "courrier.txt"
    path.write_text(LETTER, encoding="cp1252")  # Windows files are read too
    assert main(["privacy", "scan", str(path), "--mask"]) == 0
    out = capsys.readouterr().out
    assert "Madame [PERSONNE_1],\nMerci de verser le montant sur [IBAN_1]." in out
    assert "[EMAIL_1] = marie.dubois@exemple.ch" in out
    assert "[MENTION_1] = CONFIDENTIEL" in out


def test_scan_clean_file_and_terms_option(tmp_path, capsys):
    terms = tmp_path / "termes.yml"
    terms.write_text("terms: [Atlas]\n", encoding="utf-8")
    path = tmp_path / "note.txt"
    path.write_text("Point sur le dossier Atlas.\n", encoding="utf-8")
    assert main(["privacy", "scan", str(path), "--no-ner"]) == 0
    assert "aucune donnée personnelle ou confidentielle trouvée" in capsys.readouterr().out
    assert main(["privacy", "scan", str(path), "--terms", str(terms), "--no-ner"]) == 0
    assert "« Atlas »" in capsys.readouterr().out


def test_missing_file_gives_a_clear_french_error(tmp_path, capsys):
    missing = tmp_path / "absent.txt"
    assert main(["privacy", "scan", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"Le fichier « {missing} » est introuvable." in err
    assert "Que faire" in err


def test_directory_is_refused(tmp_path, capsys):
    assert main(["privacy", "scan", str(tmp_path)]) == 1
    assert "est un dossier" in capsys.readouterr().err


def test_help_has_an_example(capsys):
    assert main(["privacy"]) == 0
    assert "atelier privacy scan" in capsys.readouterr().out
