"""``atelier profile use``: each profile writes its lines into .env, keeps every other line and
any key already there, and leaves nothing of the previous profile behind; doctor checks it."""

from __future__ import annotations

import pytest
from dotenv import dotenv_values

from toolkit.errors import ConfigError
from toolkit.models.profiles import PROFILES, detect_profile, use_profile

EXISTING = (
    "# mon fichier\n"
    "OPENAI_API_KEY=sk-garde-moi-1234567890\n"
    "ATELIER_ORGANISATION=Commune de Morges\n"
    "ATELIER_PRIVACY=mask\n"
)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_each_profile_keeps_other_lines_and_the_key(course, name):
    env = course / ".env"
    env.write_text(EXISTING, encoding="utf-8")
    kwargs = {"base_url": "https://ma-ressource.openai.azure.com"} if name == "azure" else {}
    profile, path, notes = use_profile(name, **kwargs)
    values = dotenv_values(path)
    text = path.read_text(encoding="utf-8")
    assert "# mon fichier" in text
    assert values["OPENAI_API_KEY"] == "sk-garde-moi-1234567890"
    assert values["ATELIER_ORGANISATION"] == "Commune de Morges"
    assert values["ATELIER_PRIVACY"] == "mask"
    assert values["ATELIER_MODEL"] == profile.model
    if name == "azure":
        assert values["AZURE_OPENAI_ENDPOINT"] == "https://ma-ressource.openai.azure.com"
        assert values["OPENAI_BASE_URL"] == "" and values["OPENAI_API_VERSION"]
        assert "AZURE_OPENAI_API_KEY" in values
    else:
        assert values["OPENAI_BASE_URL"] == (profile.base_url or "")
        assert values["AZURE_OPENAI_ENDPOINT"] == ""
    if profile.local:
        assert values["ATELIER_LOCAL_BASE_URL"] == profile.base_url
    if profile.key == "OPENAI_API_KEY":
        assert any("gardée" in n for n in notes)
    assert "sk-garde" not in " ".join(notes)  # the key is never shown


def test_switching_profiles_leaves_nothing_behind(course):
    use_profile("azure", base_url="https://r.openai.azure.com", model="mon-deploiement")
    use_profile("ollama")
    use_profile("albert")
    values = dotenv_values(course / ".env")
    assert values["AZURE_OPENAI_ENDPOINT"] == "" and values["OPENAI_API_VERSION"] == ""
    assert values["OPENAI_BASE_URL"] == "https://albert.api.etalab.gouv.fr/v1"
    assert values["ATELIER_MODEL"] == "albert-large"
    # the local endpoint of the earlier profile stays: confidential prompts still have a place
    assert values["ATELIER_LOCAL_BASE_URL"] == "http://127.0.0.1:11434/v1"
    assert values["OPENAI_API_KEY"] == ""  # a place for the key, empty


def test_profile_options_and_errors(course):
    use_profile("vllm", base_url="https://gpu.intra.exemple.ch/v1", model="mistral-small")
    values = dotenv_values(course / ".env")
    assert values["OPENAI_BASE_URL"] == values["ATELIER_LOCAL_BASE_URL"]
    assert values["ATELIER_MODEL"] == "mistral-small"
    with pytest.raises(ConfigError, match="inconnu") as info:
        use_profile("chatgpt")
    assert "albert" in info.value.fix
    with pytest.raises(ConfigError, match="Azure"):
        use_profile("azure")


def test_detect_profile(monkeypatch):
    from toolkit.config import settings

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    assert detect_profile(settings()).name == "ollama"
    monkeypatch.setenv("OPENAI_BASE_URL", "https://albert.api.etalab.gouv.fr/v1")
    assert detect_profile(settings()).name == "albert"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com")
    assert detect_profile(settings()).name == "azure"


def test_cli_profile_and_doctor(course, atelier):
    listing = atelier("profile", "list", cwd=course)
    assert listing.returncode == 0
    for name in PROFILES:
        assert f" {name} " in listing.stdout
    used = atelier("profile", "use", "lm-studio", cwd=course)
    assert used.returncode == 0 and "lm-studio" in used.stdout
    doctor = atelier("doctor", cwd=course, timeout=120)
    assert "Profil" in doctor.stdout and "lm-studio" in doctor.stdout
    # nothing listens on LM Studio's port here: doctor says so, and fails
    assert "Modèle local joignable" in doctor.stdout and doctor.returncode == 1
    bad = atelier("profile", "use", "chatgpt", cwd=course)
    assert bad.returncode == 1 and "Profil inconnu" in bad.stderr and "Traceback" not in bad.stderr
