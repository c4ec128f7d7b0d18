"""``atelier hub up | down | users add | users remove``: a workshop hub on one machine."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.errors import ConfigError


def add_hub(_parser, actions) -> None:
    p = actions["up"]
    _state(p)
    p.add_argument("--ip",
                   help="adresse d'écoute (défaut : 127.0.0.1 ; 0.0.0.0 pour toute la salle)")
    p.add_argument("--port", type=int, help="port public (défaut : 8000)")
    p.add_argument("--auth", choices=("personal", "shared"),
                   help="personal : un mot de passe par participant (défaut) ; shared : un mot "
                   "de passe commun à la salle, pour une salle de confiance")
    p.add_argument("--trainer",
                   help="identifiant de l'animateur·rice, administrateur du hub")
    p.add_argument("--home-base", help="dossier des comptes (défaut : /home)")
    p.add_argument("--gateway", metavar="URL",
                   help="passerelle de modèles compatible OpenAI (LiteLLM), ex. "
                   "http://127.0.0.1:4000/v1 ; sans elle, mode hors ligne")
    p.add_argument("--gateway-kind", choices=("litellm", "static"),
                   help="litellm : une clé virtuelle par participant via /key/generate ; "
                   "static : clés générées ici, à déclarer auprès du serveur de modèles")
    p.add_argument("--budget", type=float,
                   help="budget par participant en dollars (LiteLLM, défaut : 2)")
    p.add_argument("--model", help="modèle proposé aux participants (ATELIER_MODEL)")
    p.add_argument("--course", type=Path, help="cours nbgrader copié chez l'animateur·rice "
                   "(défaut : exercises/)")

    p = actions["down"]
    _state(p)

    p = actions["users add"]
    _state(p)
    p.add_argument("file", type=Path, help="fichier CSV ; colonnes identifiant, nom, email, rôle")
    p.add_argument("--reset-passwords", action="store_true",
                   help="regénérer aussi les mots de passe des participants existants")
    p = actions["users remove"]
    _state(p)
    p.add_argument("file", type=Path, help="fichier CSV des participants à supprimer")


def _state(parser: argparse.ArgumentParser) -> None:
    # Not importing toolkit.hub.settings here keeps `atelier --help` fast; test_cli checks
    # the folder named here is DEFAULT_STATE.
    parser.add_argument("--state", type=Path, default=None,
                        help="dossier d'état du hub (défaut : réglage ATELIER_HUB_STATE, "
                        "sinon /var/lib/atelier-hub)")


def _state_of(args) -> Path:
    from toolkit.hub.settings import default_state

    return args.state or default_state()


def _up(args) -> int:
    from toolkit.hub.lifecycle import up
    from toolkit.hub.settings import HubSettings

    state = _state_of(args)
    # A hub started before keeps its settings (trainer, port, gateway...) unless told otherwise.
    try:
        settings = HubSettings.load(state)
    except ConfigError:
        settings = HubSettings(state=str(state))
    chosen = {
        "ip": args.ip, "port": args.port, "auth": args.auth, "home_base": args.home_base,
        "gateway_url": args.gateway, "gateway_kind": args.gateway_kind,
        "budget_usd": args.budget, "model": args.model,
        "trainer": args.trainer.lower() if args.trainer else None,
        "course_source": str(args.course.resolve()) if args.course else None,
    }
    for name, value in chosen.items():
        if value is not None:
            setattr(settings, name, value)
    print(up(settings))
    return 0


def _down(args) -> int:
    from toolkit.hub.lifecycle import down

    print(down(_state_of(args)))
    return 0


def _users_add(args) -> int:
    from toolkit.hub.accounts import read_participants
    from toolkit.hub.lifecycle import add_users
    from toolkit.hub.settings import HubSettings

    people = read_participants(args.file)
    settings = HubSettings.load(_state_of(args))
    logins = add_users(settings, people, reset_passwords=args.reset_passwords)
    print(f"Adresse du hub : {settings.public_url}")
    if settings.auth == "shared":
        shared = settings.layout.shared_password.read_text().strip()
        print(f"Mot de passe commun de la salle : {shared}")
    print(f"{'identifiant':<20} {'mot de passe':<16} nom")
    for login in logins:
        print(login)
    created = sum(login.created for login in logins)
    from toolkit.fr import pluriel

    new = pluriel(created, "nouveau compte", "nouveaux comptes", aucun="aucun nouveau compte")
    print(f"{pluriel(len(logins), 'participant')}, dont {new}.")
    return 0


def _users_remove(args) -> int:
    from toolkit.hub.accounts import read_participants
    from toolkit.hub.lifecycle import remove_users
    from toolkit.hub.settings import HubSettings

    people = read_participants(args.file)
    removed = remove_users(HubSettings.load(_state_of(args)), [p.username for p in people])
    from toolkit.fr import pluriel

    print(f"{pluriel(removed, 'compte supprimé', aucun='Aucun compte supprimé')}.")
    return 0
