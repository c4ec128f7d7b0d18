"""Assistants library: shipped files valid, schema errors name file and field, run, improve."""

from __future__ import annotations

import shutil

import pytest
import yaml

from toolkit import assistants
from toolkit.assistants import load_file
from toolkit.errors import InputError

SHIPPED = assistants.library_folders()[0]


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_PRIVACY", "off")  # the guard is tested in tests/privacy
    monkeypatch.setenv("ATELIER_SHARED_DIR", str(tmp_path / "partage"))


def _write(tmp_path, data, name=None):
    path = tmp_path / (name or f"{data['id']}.v{data['version']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def base():
    return yaml.safe_load((SHIPPED / "post-linkedin.v1.yaml").read_text(encoding="utf-8"))


def test_shipped_assistants_are_valid():
    table = assistants.list_assistants()
    ids = set(table["id"])
    assert {"redacteur-annonce-emploi", "post-linkedin", "analyste-donnees-financieres"} <= ids
    assert sorted(table[table.id == "redacteur-annonce-emploi"]["version"]) == [1, 2]
    for path in SHIPPED.glob("*.yaml"):
        a = load_file(path)
        # Every example input and every field example fills the template.
        a.user_message(a.example_inputs())
        for example in a.exemples:  # a shipped example passes its own assistant's checks
            assert all(c.ok for c in a.check(example["sortie"])), (path.name, a.check(
                example["sortie"]))


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda d: d.pop("prompt_systeme"), "prompt_systeme", "manque"),
        (lambda d: d.update(version="deux"), "version", "nombre entier"),
        (lambda d: d["champs"][1].pop("libelle"), "champs[2].libelle", "manque"),
        (lambda d: d["verifications"][0].update(type="longueur"), "verifications[1].type",
         "Valeurs possibles"),
        (lambda d: d.update(couleur="bleu"), "couleur", "inconnu"),
        (lambda d: d["champs"][0].update(nom="Nouvelle Info"), "champs[1].nom", "forme"),
        (lambda d: d.update(modele_message="Texte : {texte}"), "modele_message", "{texte}"),
        (lambda d: d["exemples"][0]["entrees"].update(lieu="Nyon"), "exemples[1].entrees.lieu",
         "déclaré"),
        (lambda d: d["verifications"][0].update(valeur="cent"), "verifications[1].valeur",
         "entier"),
        (lambda d: d.update(objectif=""), "objectif", "vide"),
        (lambda d: d.update(modele_message="Nouvelle : {nouvelle} et { ouverte"),
         "modele_message", "accolade"),
    ],
)
def test_schema_errors_name_the_file_and_the_field(tmp_path, base, mutate, field, words):
    mutate(base)
    path = _write(tmp_path, {**base, "version": base["version"]}, name="post-linkedin.v1.yaml")
    with pytest.raises(InputError) as err:
        load_file(path)
    message = str(err.value)
    assert message.startswith("post-linkedin.v1.yaml : "), message
    assert f"« {field} »" in message or field in message, message
    assert words in message, message


def test_yaml_syntax_error_names_line(tmp_path):
    path = tmp_path / "x.v1.yaml"
    path.write_text("id: x\nnom: [pas fermé\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.v1\.yaml : YAML invalide à la ligne"):
        load_file(path)


def test_file_name_must_match_id_and_version(tmp_path, base):
    path = _write(tmp_path, base, name="post-linkedin.v7.yaml")
    with pytest.raises(InputError, match=r"post-linkedin\.v1\.yaml"):
        load_file(path)


def test_messages_have_system_examples_and_request():
    a = assistants.get("redacteur-annonce-emploi", 2)
    msgs = a.messages(a.example_inputs())
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"]
    assert msgs[0]["content"] == a.prompt_systeme
    assert "Agent·e d'exploitation" in msgs[1]["content"]
    assert msgs[2]["content"].startswith("## Agent·e d'exploitation")
    assert "Gestionnaire de dossiers RH" in msgs[-1]["content"]


def test_required_and_unknown_inputs():
    a = assistants.get("post-linkedin")
    inputs = a.example_inputs()
    inputs["nouvelle"] = " "
    with pytest.raises(InputError, match="« nouvelle »"):
        a.user_message(inputs)
    optional = {**a.example_inputs(), "public": ""}
    assert "Public : (non précisé)" in a.user_message(optional)
    with pytest.raises(InputError, match="champ inconnu « couleur »"):
        a.user_message({**a.example_inputs(), "couleur": "bleu"})


def test_checks():
    a = assistants.get("redacteur-annonce-emploi", 2)
    good = a.exemples[0]["sortie"]
    assert all(c.ok for c in a.check(good))
    bad = a.check("Nous cherchons un jeune collaborateur.")
    failed = {c.message for c in bad if not c.ok}
    assert "Aucune mention d'âge (« jeune »)." in failed
    assert "Une rubrique « Vos missions » est présente." in failed


def test_run_offline_with_simulated_answer():
    a = assistants.get("redacteur-annonce-emploi", 2)
    run = a.run(simulated=a.exemples[0]["sortie"], stream=False)
    assert run.text.startswith("[Simulation]")
    assert run.passed == len(a.verifications)
    assert "Vérifications automatiques" in str(run)


def test_compare_side_by_side():
    v1 = assistants.get("redacteur-annonce-emploi", 1)
    v2 = assistants.get("redacteur-annonce-emploi", 2)
    comparison = assistants.compare(v1, v2, simulated=("Texte libre.", v2.exemples[0]["sortie"]))
    html = comparison._repr_html_()
    assert html.count("<td") == 2
    assert "(v1)" in html
    assert "(v2)" in html
    assert comparison.right.passed > comparison.left.passed


def test_improve_and_save_new_version(tmp_path):
    a = assistants.get("post-linkedin")
    better = a.improve(auteur="Service communication", note="Ajout d'une signature",
                       prompt_systeme=a.prompt_systeme + "\nSigne avec la fonction donnée.")
    assert better.version == a.version + 1
    assert better.data["journal"][-1]["note"] == "Ajout d'une signature"
    assert a.version == 1  # the original is untouched
    path = better.save()
    assert path.name == "post-linkedin.v2.yaml"
    assert path.parent == tmp_path / "partage" / "assistants"
    assert assistants.get("post-linkedin").version == 2  # found in the shared folder
    with pytest.raises(InputError, match="existe déjà"):
        better.save()
    with pytest.raises(InputError, match="version"):
        a.improve(auteur="X", note="y", version="trois")


def test_unknown_assistant_and_version():
    with pytest.raises(InputError, match="Assistants disponibles"):
        assistants.get("inexistant")
    with pytest.raises(InputError, match="Versions disponibles : 1, 2"):
        assistants.get("redacteur-annonce-emploi", 9)


def test_extra_folder(tmp_path):
    extra = tmp_path / "mes-assistants"
    extra.mkdir()
    shutil.copy(SHIPPED / "post-linkedin.v1.yaml", extra / "post-linkedin.v1.yaml")
    table = assistants.list_assistants([extra])
    assert (table["id"] == "post-linkedin").sum() == 1  # same version listed once


def test_cli(capsys):
    from toolkit.cli import main

    assert main(["assistants", "list"]) == 0
    assert "redacteur-annonce-emploi" in capsys.readouterr().out
    assert main(["assistants", "show", "post-linkedin"]) == 0
    assert "Prompt système" in capsys.readouterr().out
    assert main(["assistants", "run", "post-linkedin", "--champ", "signature=la directrice"]) == 0
    assert "Vérifications automatiques" in capsys.readouterr().out
    assert main(["assistants", "run", "post-linkedin", "--champ", "sans-egal"]) == 1


def test_cli_check(tmp_path, base, capsys):
    from toolkit.cli import main

    good = _write(tmp_path, base)
    assert main(["assistants", "check", str(good)]) == 0
    assert "Fichier valide" in capsys.readouterr().out
    base["verifications"][0]["type"] = "longueur"
    bad = _write(tmp_path, base)
    assert main(["assistants", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "post-linkedin.v1.yaml" in err
    assert "verifications[1].type" in err
