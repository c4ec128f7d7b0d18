"""Connection profiles for the servers trainers use (llama.cpp, Ollama, vLLM, LM Studio, Albert,
LiteLLM, Azure OpenAI, OpenAI): ``use_profile`` writes their lines into the course ``.env``,
keeping every other line and any key already there; ``check_rows`` feeds ``atelier doctor``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.config import Settings, course_root, is_local_url
from toolkit.errors import ConfigError

__all__ = ["PROFILES", "Profile", "check_rows", "detect_profile", "env_path", "use_profile"]

#: Variables a profile owns: each profile sets or clears all of them, so no value of the
#: previous profile stays behind (an Azure endpoint would otherwise win over the new URL).
_OWNED = ("OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION", "ATELIER_MODEL")
_LOCAL = ("ATELIER_LOCAL_BASE_URL", "ATELIER_LOCAL_MODEL")


@dataclass(frozen=True)
class Profile:
    """One kind of server: its default address, model, and whether it needs a key."""

    name: str
    title: str
    base_url: str | None
    model: str
    key: str | None = None  # the key variable it needs, None for a server on this machine
    local: bool = False
    extra: dict = field(default_factory=dict)
    note: str = ""

    def lines(self, base_url: str | None = None, model: str | None = None) -> dict[str, str]:
        url = base_url or self.base_url or ""
        values = {name: "" for name in _OWNED}
        if self.name == "azure":
            values["AZURE_OPENAI_ENDPOINT"] = url
        else:
            values["OPENAI_BASE_URL"] = url
        values["ATELIER_MODEL"] = model or self.model
        values.update(self.extra)
        if self.local:  # also the endpoint that confidential prompts may use
            values["ATELIER_LOCAL_BASE_URL"] = url
            values["ATELIER_LOCAL_MODEL"] = model or self.model
        return values


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "local", "modèle intégré (llama.cpp, « atelier model serve »)",
            "http://127.0.0.1:8090/v1", "smollm2-135m-instruct", local=True,
            note="démarrez-le avec « atelier model serve »",
        ),
        Profile(
            "ollama", "Ollama sur cet ordinateur", "http://127.0.0.1:11434/v1", "qwen2.5:3b",
            local=True, note="« ollama serve » puis « ollama pull qwen2.5:3b »",
        ),
        Profile(
            "vllm", "vLLM (serveur de l'organisation ou de cet ordinateur)",
            "http://127.0.0.1:8000/v1", "Qwen/Qwen2.5-7B-Instruct", local=True,
            note="sur une autre machine : --base-url et ATELIER_PRIVACY_EXEMPT_HOSTS",
        ),
        Profile(
            "lm-studio", "LM Studio sur cet ordinateur", "http://127.0.0.1:1234/v1",
            "qwen2.5-3b-instruct", local=True, note="activez le serveur local de LM Studio",
        ),
        Profile(
            "albert", "Albert, l'API de l'État (DINUM/Etalab)",
            "https://albert.api.etalab.gouv.fr/v1", "albert-large", key="OPENAI_API_KEY",
            note="clé à demander sur albert.sites.beta.gouv.fr",
        ),
        Profile(
            "litellm", "passerelle LiteLLM (une clé virtuelle par participant)",
            "http://127.0.0.1:4000/v1", "gpt-4o-mini", key="OPENAI_API_KEY",
            note="donnez l'adresse de la passerelle avec --base-url",
        ),
        Profile(
            "azure", "Azure OpenAI", None, "gpt-4o-mini", key="AZURE_OPENAI_API_KEY",
            extra={"OPENAI_API_VERSION": "2024-10-21"},
            note="--base-url https://RESSOURCE.openai.azure.com et --model NOM_DU_DÉPLOIEMENT",
        ),
        Profile("openai", "OpenAI", None, "gpt-4o-mini", key="OPENAI_API_KEY"),
    )
}  # fmt: skip


def env_path() -> Path:
    """The course's ``.env`` (or the working folder's outside a course)."""
    return (course_root() or Path.cwd()) / ".env"


def _get(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"Profil inconnu : « {name} ».",
            f"Choisissez parmi : {', '.join(PROFILES)} (liste : « atelier profile list »).",
        ) from None


def use_profile(
    name: str, *, base_url: str | None = None, model: str | None = None, path: Path | None = None
) -> tuple[Profile, Path, list[str]]:
    """Write profile *name* into ``.env``; return it, the file and the French notes to show.

    Other lines are kept as they are; a key already set is never replaced or shown.
    """
    from dotenv import dotenv_values, set_key

    profile = _get(name)
    if name == "azure" and not base_url:
        raise ConfigError(
            "Le profil azure a besoin de l'adresse de votre ressource Azure OpenAI.",
            "Lancez « atelier profile use azure --base-url https://RESSOURCE.openai.azure.com "
            "--model NOM_DU_DÉPLOIEMENT ».",
        )
    target = path or env_path()
    target.touch(exist_ok=True)
    for variable, value in profile.lines(base_url, model).items():
        set_key(target, variable, value, quote_mode="never")
    notes = []
    if profile.key:
        current = dotenv_values(target).get(profile.key)
        if current:
            notes.append(f"La clé {profile.key} déjà présente est gardée.")
        else:
            set_key(target, profile.key, "", quote_mode="never")
            notes.append(f"Mettez votre clé après « {profile.key}= » dans {target}.")
    if profile.note:
        notes.append(profile.note[0].upper() + profile.note[1:] + ".")
    return profile, target, notes


def detect_profile(s: Settings) -> Profile | None:
    """The profile whose address the settings use, when one matches."""
    url = (s.azure_endpoint or s.base_url or "").rstrip("/")
    for profile in PROFILES.values():
        if s.azure_endpoint and profile.name == "azure":
            return profile
        if profile.base_url and url == profile.base_url.rstrip("/"):
            return profile
    if not url and (s.api_key or s.mode == "live"):
        return PROFILES["openai"]
    return None


def check_rows(s: Settings) -> list[tuple[str, str, bool | None]]:
    """``atelier doctor`` rows: the profile in use, its key, the local endpoint and routing."""
    rows: list[tuple[str, str, bool | None]] = []
    profile = detect_profile(s)
    if profile is not None:
        rows.append(("Profil", f"{profile.name} — {profile.title}", None))
        if profile.key:
            has = s.api_key is not None
            rows.append(
                (
                    "Clé du profil",
                    "présente" if has else f"absente : mettez {profile.key}=... dans .env",
                    has,
                )
            )
        if profile.name == "azure" and not s.azure_api_version:
            rows.append(("Version d'API Azure", "absente (OPENAI_API_VERSION)", False))
    local = s.local_base_url
    if local:
        from toolkit.llm.routing import is_inhouse

        inhouse = is_inhouse(local, s.inhouse_hosts)
        rows.append(
            (
                "Point d'accès local",
                f"{local} ({s.local_model or 'modèle par défaut'})"
                + ("" if inhouse else " — n'est ni sur cet ordinateur ni déclaré interne"),
                inhouse,
            )
        )
        from toolkit.models.server import _answers

        up = _answers(local, timeout=2.0)
        rows.append(
            (
                "Modèle local joignable",
                "oui"
                if up
                else "non : démarrez-le (« atelier model serve » pour le modèle intégré)",
                up,
            )
        )
    rows.append(
        (
            "Classification par défaut",
            f"{s.classification} (confidentiel : seulement local ou interne ; secret : jamais)",
            None,
        )
    )
    if s.base_url and not is_local_url(s.base_url) and s.mode == "live" and not local:
        rows.append(
            (
                "Textes confidentiels",
                "refusés : aucun point d'accès local n'est configuré (ATELIER_LOCAL_BASE_URL)",
                None,
            )
        )
    return rows
