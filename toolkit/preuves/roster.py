"""The roster of a training group: who attended, their department, role and survey code."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import InputError
from toolkit.preuves.render import french_error
from toolkit.rostercsv import read_table

__all__ = ["Person", "hub_roster", "read_roster"]

#: Header names accepted for each column, compared without accents, case, spaces or dashes.
HEADERS = {
    "name": ("nom", "nomcomplet", "prenomnom", "nometprenom", "participant", "participante",
             "name", "fullname"),
    "first_name": ("prenom", "firstname"),
    "email": ("email", "courriel", "mail", "adressemail", "adressecourriel"),
    "department": ("service", "direction", "departement", "department", "unite"),
    "role": ("fonction", "poste", "role", "job"),
    "code": ("code", "codeenquete", "codequestionnaire", "codeparticipant", "surveycode"),
    "username": ("identifiant", "login", "utilisateur", "username", "compte"),
    "sessions": ("sessions", "session"),
}
_CODE_RE = re.compile(r"^[A-Z0-9]{3,20}$")


@dataclass(frozen=True)
class Person:
    """One row of the roster (``row`` is its line number in the file, for messages)."""

    name: str
    email: str = ""
    department: str = ""
    role: str = ""
    code: str = ""
    username: str = ""
    sessions: tuple[str, ...] = ()
    row: int = 0
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def slug(self) -> str:
        """A file-name-safe form of the name (attestation files)."""
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or f"ligne-{self.row}"

    def where(self) -> str:
        return f"ligne {self.row} de {self.source}" if self.source else f"ligne {self.row}"


def norm_code(text: str) -> str:
    """The survey's own normalisation of a participant code (upper case, no spaces)."""
    from toolkit.survey._text import norm_code as survey_norm

    return survey_norm(text)


def read_roster(path: str | Path) -> list[Person]:
    """Read a roster CSV (``;`` or ``,``, UTF-8 or Windows, French headers).

    Columns: ``nom`` (required; or ``prenom`` + ``nom``), ``courriel``, ``service``,
    ``fonction``, ``code`` (the survey code the person chose), ``identifiant`` (hub account,
    the gradebook's id) and ``sessions`` (ids attended, separated by commas; empty = all).
    """
    path = Path(path)
    if not path.is_file():
        raise french_error(InputError, f"La liste des participants {path} est introuvable.",
                         "Vérifiez le chemin donné à --participants.")
    table = read_table(path, HEADERS)
    if table is None:
        raise french_error(InputError, f"La liste des participants {path} est vide.",
                         "Ajoutez une ligne d'en-tête (par exemple « nom;service;code ») puis "
                         "une ligne par personne.")
    columns = table.columns
    if "name" not in columns:
        raise french_error(InputError,
            f"Ligne 1 de {path.name} : aucune colonne « nom » parmi "
            f"{table.shown_header()}.",
            "La première ligne doit nommer les colonnes, par exemple "
            "« nom;prenom;service;fonction;code ».",
        )
    people: list[Person] = []
    codes: dict[str, int] = {}
    for number, row in table.rows:
        cell = functools.partial(table.cell, row)
        name = " ".join(p for p in (cell("first_name"), cell("name")) if p)
        if not name:
            raise french_error(InputError, f"Ligne {number} de {path.name} : le nom est vide.",
                             "Donnez le nom de chaque personne ou supprimez la ligne.")
        raw_code = cell("code")
        code = norm_code(raw_code) if raw_code else ""
        if code and not _CODE_RE.match(code):
            raise french_error(InputError,
                f"Ligne {number} de {path.name} ({name}) : le code « {raw_code} » n'a pas la forme "
                "d'un code du questionnaire (lettres et chiffres, sans espace).",
                "Recopiez le code que la personne a saisi dans le questionnaire, ou videz la "
                "cellule si elle n'y a pas répondu.",
            )
        if code and code in codes:
            raise french_error(InputError,
                f"Ligne {number} de {path.name} ({name}) : le code « {code} » figure déjà "
                f"ligne {codes[code]}.",
                "Chaque personne a son propre code ; corrigez l'une des deux lignes.",
            )
        if code:
            codes[code] = number
        email = cell("email")
        if email and "@" not in email:
            raise french_error(InputError, f"Ligne {number} de {path.name} ({name}) : l'adresse "
                               f"« {email} » n'est pas un courriel.",
                               "Corrigez-la ou laissez la cellule vide.")
        sessions = tuple(s.strip() for s in re.split(r"[,+]", cell("sessions")) if s.strip())
        people.append(Person(name=name, email=email, department=cell("department"),
                             role=cell("role"), code=code, username=cell("username").lower(),
                             sessions=sessions, row=number, source=path.name))
    if not people:
        raise french_error(InputError, f"La liste des participants {path} ne contient personne.",
                         "Ajoutez une ligne par personne sous l'en-tête.")
    return people


def hub_roster() -> list[Person]:
    """The hub's participants: members of the workshop's system group, with their full names."""
    import grp
    import pwd

    from toolkit.hub.settings import GROUP

    try:
        members = sorted(grp.getgrnam(GROUP).gr_mem)
    except KeyError:
        members = []
    if not members:
        raise french_error(InputError,
            f"Aucun compte de participant sur ce hub (groupe système « {GROUP} » vide ou "
            "absent).",
            "Donnez la liste des participants : --participants participants.csv.",
        )
    people = []
    for number, username in enumerate(members, start=1):
        try:
            gecos = pwd.getpwnam(username).pw_gecos.split(",")[0].strip()
        except KeyError:
            gecos = ""
        people.append(Person(name=gecos or username, username=username, row=number,
                             source=f"groupe {GROUP}"))
    return people
