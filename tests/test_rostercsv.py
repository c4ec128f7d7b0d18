"""One roster CSV reader for hub accounts and proofs of training: whatever wrote the file."""

from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.hub.accounts import read_participants
from toolkit.preuves.roster import read_roster
from toolkit.rostercsv import header_key, read_table

HEADERS = {"username": ("identifiant", "login"), "name": ("nom", "name"),
           "email": ("courriel", "email")}

# The same two people as a spreadsheet may export them.
EXPORTS = {
    "excel-fr": ("Identifiant;Nom;Courriel\r\nlea;Léa Dürr;lea@exemple.ch\r\n\r\n"
                 "marc;Marc Roé;\r\n", "cp1252"),
    "utf8-bom-commas": ("\ufeffLogin,Name,E-mail\nlea,Léa Dürr,lea@exemple.ch\nmarc,Marc Roé,\n",
                        "utf-8"),
    "quoted-cells": ('"identifiant";"nom";"courriel"\n"lea";"Léa Dürr";"lea@exemple.ch"\n'
                     '"marc";"Marc Roé";""\n', "utf-8"),
    "latin-1-only": ("identifiant;nom;courriel\nlea;Léa Dürr;lea@exemple.ch\nmarc;Marc Roé;\n",
                     "latin-1"),
}


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_every_export_gives_the_same_cells(tmp_path, export):
    text, encoding = EXPORTS[export]
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    table = read_table(path, HEADERS)
    assert table is not None
    cells = [(number, table.cell(row, "username"), table.cell(row, "name"),
              table.cell(row, "email")) for number, row in table.rows]
    # Blank lines are not counted: the second person is on line 3 whatever the export.
    assert cells == [(2, "lea", "Léa Dürr", "lea@exemple.ch"), (3, "marc", "Marc Roé", "")]


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_hub_and_proofs_read_the_same_people_from_one_file(tmp_path, export):
    text, encoding = EXPORTS[export]
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    hub = [(p.username, p.name, p.email) for p in read_participants(path)]
    proofs = [(p.username, p.name, p.email) for p in read_roster(path)]
    assert hub == proofs == [("lea", "Léa Dürr", "lea@exemple.ch"), ("marc", "Marc Roé", "")]


def test_a_missing_cell_is_empty_and_an_unknown_field_too(tmp_path):
    path = tmp_path / "court.csv"
    path.write_text("nom;identifiant\nDurand\n", encoding="utf-8")
    table = read_table(path, HEADERS)
    assert table is not None
    (number, row), = table.rows
    assert (number, table.cell(row, "name"), table.cell(row, "username"),
            table.cell(row, "email")) == (2, "Durand", "", "")


def test_blank_file_is_none_and_both_readers_say_so_in_french(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("\n  \n", encoding="utf-8")
    assert read_table(path, HEADERS) is None
    for reader in (read_participants, read_roster):
        with pytest.raises(InputError, match="vide"):
            reader(path)


def test_missing_column_message_quotes_the_header_found(tmp_path):
    path = tmp_path / "sans-nom.csv"
    path.write_text("Service;Fonction\nRH;Juriste\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"aucune colonne «\s*nom\s*» parmi 'Service', 'Fonction'"):
        read_roster(path)


@pytest.mark.parametrize(("title", "key"), [("Prénom-Nom", "prenomnom"), (" E-mail ", "email"),
                                            ("NOM COMPLET", "nomcomplet"), ("Rôle", "role")])
def test_header_key_ignores_accents_case_spaces_and_dashes(title, key):
    assert header_key(title) == key
