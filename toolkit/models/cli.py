"""``atelier model serve|status|stop|list|add`` and ``atelier profile list|use``."""

from __future__ import annotations

import argparse
import sys


def add_model(_parser, actions) -> None:
    s = actions["serve"]
    s.add_argument("--model", help="nom (atelier model list) ou fichier .gguf")
    s.add_argument("--port", type=int, help="port (défaut : 8090)")
    s.add_argument("--ctx", type=int, help="taille du contexte en jetons (défaut : 2048)")
    s.add_argument("--no-env", action="store_true", help="ne pas écrire l'adresse dans .env")

    s = actions["add"]
    s.add_argument("source", help="chemin d'un fichier .gguf ou adresse http:// ou https://")
    s.add_argument("--sha256", help="empreinte SHA-256 attendue (donnée par la source)")
    s.add_argument("--name", help="nom du fichier dans models/")


def add_profile(_parser, actions) -> None:
    s = actions["use"]
    s.add_argument("name", help="nom du profil")
    s.add_argument("--base-url", help="adresse du serveur, si elle diffère de celle par défaut")
    s.add_argument("--model", help="nom du modèle sur ce serveur")


def _serve(args: argparse.Namespace) -> int:
    from toolkit.models import server

    state = server.serve(args.model, port=args.port, ctx=args.ctx)
    print(f"Modèle local servi : {state.model}")
    print(f"Adresse : {state.base_url} (rien ne quitte cet ordinateur)")
    if not args.no_env:
        from dotenv import set_key

        from toolkit.models.profiles import env_path

        path = env_path()
        path.touch(exist_ok=True)
        set_key(path, "ATELIER_LOCAL_BASE_URL", state.base_url, quote_mode="never")
        set_key(path, "ATELIER_LOCAL_MODEL", state.model, quote_mode="never")
        print(f"Inscrit comme point d'accès local dans {path} (ATELIER_LOCAL_BASE_URL).")
    print("Arrêt : atelier model stop")
    return 0


def _status(args: argparse.Namespace) -> int:
    from toolkit.models import server

    result = server.status()
    print(result)
    return 0 if result.state is None or result.alive else 1


def _stop(args: argparse.Namespace) -> int:
    from toolkit.models import server

    state = server.stop()
    if state is None:
        print("Aucun modèle local n'était servi.")
    else:
        print(f"Serveur du modèle {state.model} arrêté ({state.base_url}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    from toolkit.config import settings
    from toolkit.models.catalog import list_models

    entries = list_models()
    if not entries:
        print(
            "Aucun modèle : installez le modèle intégré (« make local-model ») ou ajoutez un "
            f"fichier GGUF dans {settings().models_dir} (« atelier model add CHEMIN »)."
        )
        return 0
    for entry in entries:
        print(entry)
        if entry.description:
            print(f"    {entry.description}")
    return 0


def _add(args: argparse.Namespace) -> int:
    from toolkit.models.catalog import add_model

    entry = add_model(args.source, sha256=args.sha256, name=args.name, progress=True)
    print(f"Ajouté : {entry}")
    print(f"Pour le servir : atelier model serve --model {entry.name}")
    return 0


def _profile_list(args: argparse.Namespace) -> int:
    from toolkit.config import settings
    from toolkit.models.profiles import PROFILES, detect_profile

    active = detect_profile(settings())
    for profile in PROFILES.values():
        mark = "*" if active is not None and active.name == profile.name else " "
        where = profile.base_url or ("adresse à donner" if profile.name == "azure" else "OpenAI")
        key = f", clé {profile.key}" if profile.key else ", sans clé"
        print(f"{mark} {profile.name:<10} {profile.title} — {where}{key}")
    print("Choisir : atelier profile use NOM   (vérifier ensuite : atelier doctor)")
    return 0


def _profile_use(args: argparse.Namespace) -> int:
    from toolkit.models.profiles import use_profile

    profile, path, notes = use_profile(args.name, base_url=args.base_url, model=args.model)
    print(f"Profil « {profile.name} » ({profile.title}) écrit dans {path}.")
    for note in notes:
        print(f"  {note}")
    print("Vérifiez avec : atelier doctor")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
