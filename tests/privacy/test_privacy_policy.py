"""guard() actions for each policy, is_local_endpoint, and a cheap import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.errors import ConfigError
from toolkit.privacy import GuardResult, guard, is_local_endpoint, unmask

IBAN = "CH93 0076 2011 6238 5295 7"
PROMPT = f"Rédige un rappel pour marie.dubois@exemple.ch, IBAN {IBAN}, tél. 079 123 45 67."


def test_warn_sends_original_with_french_message_without_values():
    result = guard(PROMPT, policy="warn")
    assert isinstance(result, GuardResult)
    assert result.action == "warned"
    assert result.text == PROMPT
    assert {f.kind for f in result.findings} == {"EMAIL", "IBAN", "PHONE"}
    assert "1 adresse e-mail" in result.message and "1 IBAN" in result.message
    assert (
        "toolkit.privacy.mask(...)" in result.message and "ATELIER_PRIVACY=mask" in result.message
    )
    for value in ("marie.dubois@exemple.ch", IBAN, "079 123 45 67", "dubois"):
        assert value not in result.message
    assert str(result) == result.message


def test_mask_sends_masked_text_and_mapping_restores_the_answer():
    result = guard(PROMPT, policy="mask")
    assert result.action == "masked"
    assert result.text == "Rédige un rappel pour [EMAIL_1], IBAN [IBAN_1], tél. [TELEPHONE_1]."
    answer = "Rappel envoyé à [EMAIL_1] (compte [IBAN_1])."
    assert unmask(answer, result.mapping) == (
        f"Rappel envoyé à marie.dubois@exemple.ch (compte {IBAN})."
    )


def test_block_sends_nothing():
    result = guard(PROMPT, policy="block")
    assert result.action == "blocked"
    assert result.text == ""
    assert not result.sendable
    assert "bloqué" in result.message
    assert IBAN not in result.message


def test_off_and_local_do_not_scan():
    off = guard(PROMPT, policy="off")
    assert (off.action, off.text, off.findings) == ("none", PROMPT, [])
    local = guard(PROMPT, policy="block", local=True)
    assert (local.action, local.text, local.findings) == ("exempt", PROMPT, [])


@pytest.mark.parametrize("policy", ["warn", "mask", "block", "MASK "])
def test_nothing_found_gives_none(policy):
    result = guard("Résume ce texte en trois points.", policy=policy)
    assert result.action == "none"
    assert result.text == "Résume ce texte en trois points."


def test_unknown_policy_is_a_french_config_error():
    with pytest.raises(ConfigError, match="warn, mask, block ou off"):
        guard("texte", policy="masquer")


def test_html_form_shows_action_and_highlights():
    html = guard(PROMPT, policy="warn")._repr_html_()
    assert "Confidentialité" in html and "<mark" in html


def test_short_prompt_without_names_does_not_load_the_model():
    code = (
        "import sys, toolkit.privacy as p\n"
        "assert 'spacy' not in sys.modules and 'presidio_analyzer' not in sys.modules\n"
        "r = p.guard('Résume ce courriel de marie@exemple.ch en trois points.', policy='mask')\n"
        "assert r.action == 'masked', r\n"
        "assert 'spacy' not in sys.modules, 'model loaded for a short prompt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:11434/v1",
        "http://127.0.0.1:8000/v1",
        "http://127.8.0.3/v1",
        "http://[::1]:1234/v1",
        "localhost:4000",
        "http://llm.localhost/v1",
    ],
)
def test_local_endpoints(url):
    assert is_local_endpoint(url, [])


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "https://api.openai.com/v1",
        "https://albert.api.etalab.gouv.fr/v1",
        "http://10.0.0.5:8000/v1",
        "https://localhost.evil.example/v1",
    ],
)
def test_remote_endpoints(url):
    assert not is_local_endpoint(url, [])


def test_declared_on_premises_hosts_from_argument_and_environment(monkeypatch):
    assert is_local_endpoint("https://llm.intra.exemple.ch/v1", ["llm.intra.exemple.ch"])
    assert is_local_endpoint("https://GPU3.Intra.Exemple.ch/v1", [".intra.exemple.ch"])
    assert not is_local_endpoint("https://intra.exemple.ch.evil.com/v1", [".intra.exemple.ch"])
    monkeypatch.setenv("ATELIER_PRIVACY_EXEMPT_HOSTS", " vllm.canton.ch , 10.0.0.5 ")
    assert is_local_endpoint("http://10.0.0.5:8000/v1", [])
    assert is_local_endpoint("https://vllm.canton.ch", [])
    assert not is_local_endpoint("https://api.openai.com/v1", [])


def test_import_is_cheap():
    code = (
        "import sys, toolkit.privacy\n"
        "heavy = [m for m in ('spacy', 'presidio_analyzer', 'phonenumbers', 'yaml') "
        "if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_mask_across_the_messages_of_a_conversation():
    first = guard("Écris à marie.dubois@exemple.ch.", policy="mask")
    second = guard(
        "Mets jean.favre@exemple.ch et marie.dubois@exemple.ch en copie.",
        policy="mask",
        mapping=first.mapping,
    )
    assert first.text == "Écris à [EMAIL_1]."
    assert second.text == "Mets [EMAIL_2] et [EMAIL_1] en copie."
    assert second.mapping == {
        "[EMAIL_1]": "marie.dubois@exemple.ch",
        "[EMAIL_2]": "jean.favre@exemple.ch",
    }
    assert first.mapping == {"[EMAIL_1]": "marie.dubois@exemple.ch"}  # not modified
