"""Participants of a workshop hub: the CSV list, their system accounts and their passwords.

Each participant is a system account (``useradd``, home 0700, group ``atelier``) so that nobody
can read another's files; the hub's authenticator gets a generated password for each one.
Passwords are returned to the caller to be shown once and are never written anywhere else.
"""

from __future__ import annotations

import functools
import grp
import pwd
import re
import secrets
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError, InputError
from toolkit.hub.settings import GROUP
from toolkit.rostercsv import header_key, read_table

#: Header names accepted for each column (compared without accents, case or spaces).
HEADERS = {
    "username": ("identifiant", "login", "utilisateur", "username", "user", "id", "nomutilisateur"),
    "name": ("nom", "name", "nomcomplet", "prenomnom", "participant", "fullname"),
    "email": ("email", "courriel", "mail", "adressemail", "adressecourriel"),
    "role": ("role", "profil"),
}
ROLES = {"participant": "participant", "animateur": "trainer", "animatrice": "trainer",
         "formateur": "trainer", "formatrice": "trainer", "trainer": "trainer", "admin": "trainer"}
USERNAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Participant:
    """One row of the participants file."""

    username: str
    name: str = ""
    email: str = ""
    role: str = "participant"  # or "trainer"
    row: int = 0


@dataclass(frozen=True)
class Login:
    """What a participant needs to log in; ``password`` is None when unchanged."""

    username: str
    name: str
    password: str | None
    created: bool
    shared: bool = False  # shared-password room: everybody types the room's password

    def __str__(self) -> str:
        shown = self.password or ("(commun)" if self.shared else "(inchangé)")
        return f"{self.username:<20} {shown:<16} {self.name}"

    def _repr_html_(self) -> str:
        from html import escape

        shown = self.password or ("(commun)" if self.shared else "(inchangé)")
        return (f"<tr><td><code>{escape(self.username)}</code></td>"
                f"<td><code>{escape(shown)}</code></td><td>{escape(self.name)}</td></tr>")


def ascii_username(text: str) -> str:
    """A suggestion for a name that is not a valid identifier (accents and spaces removed)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9_-]+", "-", plain).strip("-")
    if plain and not plain[0].isalpha():
        plain = "p" + plain
    return plain[:32]


def read_participants(path: str | Path) -> list[Participant]:
    """Read a CSV list of participants (``;`` or ``,``; UTF-8 or Windows; French headers)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Le fichier {path} est introuvable.", "Vérifiez le chemin du fichier.")
    table = read_table(path, HEADERS)
    if table is None:
        raise InputError(f"Le fichier {path} est vide.", "Ajoutez une ligne d'en-tête puis une "
                         "ligne par participant, par exemple « identifiant;nom;email ».")
    columns = table.columns
    if "username" not in columns:
        raise InputError(
            f"Ligne 1 de {path} : aucune colonne « identifiant » parmi "
            f"{table.shown_header()}.",
            "La première ligne doit nommer les colonnes, par exemple « identifiant;nom;email ».",
        )
    people: list[Participant] = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        cell = functools.partial(table.cell, row)
        raw = cell("username")
        username = raw.lower()
        if not raw:
            raise InputError(f"Ligne {number} de {path} : l'identifiant est vide.",
                             "Donnez un identifiant à chaque participant ou supprimez la ligne.")
        if not USERNAME_RE.match(username):
            suggestion = ascii_username(raw)
            hint = f" par exemple « {suggestion} »" if suggestion else ""
            raise InputError(
                f"Ligne {number} de {path} : l'identifiant « {raw} » n'est pas utilisable "
                "comme compte (lettres minuscules sans accent, chiffres, - ou _, "
                "32 caractères au plus, commençant par une lettre).",
                f"Corrigez-le dans le fichier,{hint}.",
            )
        if username in seen:
            raise InputError(
                f"Ligne {number} de {path} : l'identifiant « {username} » figure déjà "
                f"ligne {seen[username]}.",
                "Chaque participant doit avoir un identifiant distinct.",
            )
        seen[username] = number
        role_text = header_key(cell("role")) or "participant"
        if role_text not in ROLES:
            raise InputError(
                f"Ligne {number} de {path} : rôle « {cell('role')} » inconnu.",
                "Rôles possibles : participant, animateur.",
            )
        email = cell("email")
        if email and "@" not in email:
            raise InputError(f"Ligne {number} de {path} : l'adresse « {email} » n'est pas un "
                             "courriel.", "Corrigez-la ou laissez la cellule vide.")
        people.append(Participant(username, cell("name"), email, ROLES[role_text], number))
    if not people:
        raise InputError(f"Le fichier {path} ne contient aucun participant.",
                         "Ajoutez une ligne par participant sous l'en-tête.")
    return people


def generate_password() -> str:
    """A password easy to read out and type: three groups of four characters."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


# -- system accounts ------------------------------------------------------------------------


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ConfigError(
            f"La commande système « {' '.join(cmd[:2])} … » a échoué : {result.stderr.strip()}",
            "Le hub doit tourner en root sur une machine Linux (useradd, userdel, groupadd).",
        )


def workshop_group() -> grp.struct_group | None:
    """The participants' system group, or None before the first account is made."""
    try:
        return grp.getgrnam(GROUP)
    except KeyError:
        return None


def ensure_group() -> None:
    if workshop_group() is None:
        _run(["groupadd", "--system", GROUP])


def is_workshop_account(username: str) -> bool:
    group = workshop_group()
    return group is not None and username in group.gr_mem


def ensure_account(person: Participant, home_base: str | Path) -> bool:
    """Create the system account (home 0700) if needed; True when it was created."""
    try:
        pwd.getpwnam(person.username)
    except KeyError:
        pass
    else:
        if not is_workshop_account(person.username):
            raise InputError(
                f"Ligne {person.row} : le compte système « {person.username} » existe déjà et "
                "n'a pas été créé par l'atelier.",
                "Choisissez un autre identifiant pour ce participant.",
            )
        return False
    ensure_group()
    home = Path(home_base) / person.username
    comment = re.sub(r"[:\n]", " ", f"atelier-ia {person.name}".strip())
    _run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
          "--groups", GROUP, "--comment", comment, person.username])
    home.chmod(0o700)
    return True


def remove_account(username: str, *, remove_home: bool = True) -> bool:
    """Delete a system account created by the workshop hub (never any other)."""
    try:
        entry = pwd.getpwnam(username)
    except KeyError:
        return False
    if not is_workshop_account(username):
        raise InputError(
            f"Le compte « {username} » n'a pas été créé par l'atelier : il n'est pas supprimé.",
            "Seuls les comptes du groupe « atelier » peuvent être supprimés par cette commande.",
        )
    subprocess.run(["pkill", "-KILL", "-u", username], capture_output=True, check=False)
    _run(["userdel", username])
    if remove_home and Path(entry.pw_dir).is_dir():
        shutil.rmtree(entry.pw_dir, ignore_errors=True)
    return True
