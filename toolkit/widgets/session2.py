"""Widgets of session 2: round-table, top-3, Automato-inventory and assistant forms, code review.

Each widget also works without widgets: it prints as text (nbconvert, nbval, a terminal) and
has a plain method doing the same thing (``form.submit(...)``, ``proposal.run(confirm=True)``).
Forms write anonymous records to the shared folder (:mod:`toolkit.course.sharedfolder`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import AtelierError, InputError
from toolkit.fr import pluriel
from toolkit.html import escape
from toolkit.widgets._base import ShowsWidget, fitted

if TYPE_CHECKING:
    from toolkit.assistants.library import Assistant

__all__ = [
    "EXAMPLE_TASKS",
    "AssistantForm",
    "CodeReview",
    "InventoryForm",
    "RoundTableForm",
    "Top3Form",
]

TOP3_COLLECTION = "top3"


def _status_html(message: str, ok: bool) -> str:
    from toolkit.html import status_line

    return status_line(message, ok=ok)


class RoundTableForm(ShowsWidget):
    """Round-table form: one anonymous record per use of AI since session 1."""

    def __init__(self, folder=None):
        self.folder = folder
        self.sent: list[Path] = []

    def submit(self, **fields: Any) -> Path:
        """Check and save one record (fields: tache, type_tache, outil, service,
        minutes_gagnees, satisfaction, problemes); returns the file written."""
        from toolkit.course.sharedfolder import append_record
        from toolkit.tasks.usages import COLLECTION, validate_usage

        record = validate_usage(fields)
        path = append_record(COLLECTION, record, self.folder)
        self.sent.append(path)
        return path

    def __str__(self) -> str:
        from toolkit.course.sharedfolder import collection_dir
        from toolkit.tasks.usages import COLLECTION

        where: Path | str
        try:
            where = collection_dir(COLLECTION, self.folder, create=False)
        except AtelierError as exc:
            where = f"(dossier partagé indisponible : {exc.message})"
        return (
            "Formulaire du tour de table (anonyme). Sans widgets, envoyez une réponse ainsi :\n"
            "  formulaire.submit(tache='Résumé d’un rapport', type_tache='Résumé et synthèse',\n"
            "                    outil='Copilot (Microsoft 365)', service='Finances',\n"
            "                    minutes_gagnees=30, satisfaction=4, problemes='')\n"
            f"Réponses enregistrées dans : {where}"
        )

    def widget(self):
        import ipywidgets as w

        from toolkit.tasks.usages import SERVICES, TASK_KINDS, TOOLS

        style = {"description_width": "170px"}
        layout = w.Layout(width="560px")
        tache = w.Text(description="Tâche", placeholder="ex. résumé d'un rapport de 40 pages",
                       style=style, layout=layout)
        kind = w.Dropdown(options=TASK_KINDS, description="Type de tâche", style=style,
                          layout=layout)
        tool = w.Combobox(options=TOOLS, value=TOOLS[0], description="Outil", style=style,
                          layout=layout, ensure_option=False)
        service = w.Dropdown(options=SERVICES, description="Service", style=style,
                             layout=layout)
        minutes = w.IntSlider(value=30, min=0, max=300, step=5, style=style, layout=layout,
                              description="Minutes gagnées / sem.")
        satisfaction = w.IntSlider(value=4, min=1, max=5, description="Satisfaction (1 à 5)",
                                   style=style, layout=layout)
        problems = w.Textarea(description="Problèmes rencontrés", style=style,
                              placeholder="erreurs, limites, données sensibles... "
                                          "(sans nom de personne)",
                              layout=w.Layout(width="560px", height="70px"))
        button = fitted(w.Button(description="Envoyer (anonyme)", button_style="primary",
                                 icon="send"))
        status = w.HTML()

        def send(_):
            try:
                self.submit(tache=tache.value, type_tache=kind.value, outil=tool.value,
                            service=service.value, minutes_gagnees=minutes.value,
                            satisfaction=satisfaction.value, problemes=problems.value)
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html(
                f"Merci ! Réponse n° {len(self.sent)} enregistrée (anonyme). Vous pouvez en "
                "ajouter une autre.", True)
            tache.value = ""
            problems.value = ""

        button.on_click(send)
        return w.VBox([tache, kind, tool, service, minutes, satisfaction, problems, button,
                       status])


class Top3Form(ShowsWidget):
    """Top-3 form: each participant's three tasks to hand to AI, saved anonymously."""

    def __init__(self, folder=None):
        self.folder = folder
        self.sent: list[Path] = []

    def submit(self, service: str, taches: list[str]) -> Path:
        """Save one participant's top 3 (1 to 3 non-empty tasks); returns the file written."""
        from toolkit.course.sharedfolder import append_record
        from toolkit.tasks.usages import SERVICES

        if service not in SERVICES:
            raise InputError(f"Le champ « service » vaut « {service} », qui n'est pas dans la "
                             "liste.", f"Choisissez parmi : {', '.join(SERVICES)}.")
        clean = [str(t).strip()[:120] for t in taches if str(t or "").strip()]
        if not clean:
            raise InputError("Aucune tâche saisie.", "Écrivez au moins une tâche.")
        if len(clean) > 3:
            raise InputError(f"{len(clean)} tâches saisies : le top 3 en compte trois au plus.",
                             "Gardez les trois plus importantes.")
        record = {"participant": uuid.uuid4().hex[:8], "service": service}
        record.update({f"tache_{i}": t for i, t in enumerate(clean, start=1)})
        path = append_record(TOP3_COLLECTION, record, self.folder)
        self.sent.append(path)
        return path

    def __str__(self) -> str:
        return (
            "Formulaire « top 3 » (anonyme). Sans widgets, envoyez votre top 3 ainsi :\n"
            "  formulaire_top3.submit(service='RH', taches=['Rédiger les annonces', "
            "'Préparer les entretiens', 'Répondre aux questions sur les vacances'])"
        )

    def widget(self):
        import ipywidgets as w

        from toolkit.tasks.usages import SERVICES

        style = {"description_width": "120px"}
        layout = w.Layout(width="560px")
        service = w.Dropdown(options=SERVICES, description="Service", style=style,
                             layout=layout)
        boxes = [w.Text(description=f"Tâche n° {i}", style=style, layout=layout,
                        placeholder="une tâche ennuyeuse à confier à l'IA") for i in (1, 2, 3)]
        button = fitted(w.Button(description="Envoyer mon top 3", button_style="primary",
                                 icon="send"))
        status = w.HTML()

        def send(_):
            try:
                self.submit(service.value, [b.value for b in boxes])
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html("Merci ! Votre top 3 est enregistré (anonyme).", True)
            for b in boxes:
                b.value = ""

        button.on_click(send)
        return w.VBox([service, *boxes, button, status])


class CodeReview(ShowsWidget):
    """The proposed code, a « J'ai relu » box and an « Exécuter » button (nothing runs before)."""

    def __init__(self, proposal, timeout: float = 10.0):
        self.proposal = proposal
        self.timeout = timeout

    def __str__(self) -> str:
        return (f"{self.proposal}\nPour l'exécuter après relecture : "
                "proposition.run(confirm=True)")

    def widget(self):
        import ipywidgets as w
        from IPython.display import display

        code = w.HTML(self.proposal._repr_html_())
        reviewed = fitted(w.Checkbox(description="J'ai relu ce code et je comprends ce qu'il fait"))
        button = fitted(w.Button(description="Exécuter ce code", button_style="warning",
                                 icon="play", disabled=True))
        out = w.Output()

        def toggle(change):
            button.disabled = not change["new"]

        def run(_):
            button.disabled = True
            out.clear_output()
            with out:
                display(self.proposal.run(confirm=True, timeout=self.timeout))
            button.disabled = not reviewed.value

        reviewed.observe(toggle, names="value")
        button.on_click(run)
        return w.VBox([code, reviewed, button, out])


#: The five aptitude criteria, asked as 0 / 1 / 2 (non / en partie / oui) in the form.
_CRITERIA_CHOICES = (("non", 0), ("en partie", 1), ("oui", 2))
#: The inventory columns of the example tasks below, in the order of their values.
_EXAMPLE_COLUMNS = ("tache", "importance", "ennui", "minutes_gagnees", "frequence_mois",
                    "repetitive", "texte", "risque", "sensibilite", "verifiable")
#: The example inventory of module 4 (six tasks of an administrative assistant), so the
#: notebook runs before anyone has typed a task.
EXAMPLE_TASKS: tuple[dict, ...] = tuple(dict(zip(_EXAMPLE_COLUMNS, row, strict=True)) for row in (
    ("Rédiger le procès-verbal de la séance d'équipe", 3, 5, 40, 4, 2, 2, 1, 1, 2),
    ("Répondre aux demandes d'information courantes par courriel", 2, 4, 5, 40, 2, 2, 0, 1, 2),
    ("Préparer le tableau de suivi mensuel des dossiers", 3, 4, 30, 1, 2, 1, 1, 0, 2),
    ("Trouver des titres pour les articles de l'intranet", 2, 3, 10, 4, 1, 2, 0, 0, 2),
    ("Conduire les entretiens de collaboration", 5, 1, 0, 2, 0, 1, 2, 2, 0),
    ("Classer les pièces justificatives scannées", 1, 2, 5, 8, 2, 0, 0, 1, 2),
))


class InventoryForm(ShowsWidget):
    """The Automato inventory as a form: one task at a time, no Python for participants.

    ``taches`` is the list the Automato functions read (:func:`toolkit.tasks.analyse`);
    ``exemple=True`` starts from the example inventory, which the first added task replaces.
    """

    def __init__(self, *, exemple: bool = True):
        self.taches: list[dict] = [dict(t) for t in EXAMPLE_TASKS] if exemple else []
        self.from_example = exemple

    def add(self, **fields: Any) -> dict:
        """Check one task (the message names the field to fix) and add it to ``taches``."""
        from toolkit.tasks import analyse

        task = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
        analyse([task])  # raises a French InputError naming the field
        if self.from_example:
            self.taches.clear()
            self.from_example = False
        self.taches.append(task)
        return task

    def remove_last(self) -> None:
        if self.taches and not self.from_example:
            self.taches.pop()

    def __str__(self) -> str:
        origin = "inventaire d'exemple" if self.from_example else "votre inventaire"
        count = pluriel(len(self.taches), "tâche", aucun="aucune tâche")
        lines = [f"Inventaire Automato ({origin}, {count}) :"]
        lines += [f"  {i}. {t['tache']}" for i, t in enumerate(self.taches, 1)]
        lines.append("Sans widgets, l'animateur·rice ajoute une tâche ainsi : "
                     "formulaire.add(tache='…', importance=3, ennui=4, minutes_gagnees=20, "
                     "frequence_mois=4, repetitive=2, texte=2, risque=0, sensibilite=0, "
                     "verifiable=2)")
        return "\n".join(lines)

    def _list_html(self) -> str:
        origin = ("<i>Exemple (remplacé dès votre première tâche)</i>" if self.from_example
                  else f"<b>Vos tâches ({len(self.taches)})</b>")
        items = "".join(f"<li>{escape(t['tache'])}</li>" for t in self.taches)
        return f"<div>{origin}<ol>{items}</ol></div>"

    def widget(self):
        import ipywidgets as w

        from toolkit.tasks import CRITERIA

        style = {"description_width": "230px"}
        layout = w.Layout(width="640px")
        tache = w.Text(description="Tâche (commence par un verbe)", style=style, layout=layout,
                       placeholder="ex. Rédiger le procès-verbal de la séance d'équipe")
        importance = w.IntSlider(value=3, min=1, max=5, style=style, layout=layout,
                                 description="Importance (1 faible – 5 essentielle)")
        ennui = w.IntSlider(value=3, min=1, max=5, style=style, layout=layout,
                            description="Ennui (1 plaisante – 5 très ennuyeuse)")
        minutes = w.BoundedIntText(value=15, min=0, max=600, style=style, layout=layout,
                                   description="Minutes gagnées à chaque fois")
        frequence = w.BoundedIntText(value=4, min=0, max=500, style=style, layout=layout,
                                     description="Nombre de fois par mois")
        criteria = {
            c.code: fitted(w.ToggleButtons(options=_CRITERIA_CHOICES, value=1,
                                           description=c.question))
            for c in CRITERIA
        }
        add = fitted(w.Button(description="Ajouter cette tâche", button_style="primary",
                              icon="plus"))
        undo = fitted(w.Button(description="Retirer la dernière tâche", icon="undo"))
        listing = w.HTML(self._list_html())
        status = w.HTML()

        def on_add(_):
            try:
                self.add(tache=tache.value, importance=importance.value, ennui=ennui.value,
                         minutes_gagnees=minutes.value, frequence_mois=frequence.value,
                         **{code: box.value for code, box in criteria.items()})
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html(
                "Tâche ajoutée. Relancez les cellules suivantes pour voir la matrice et le "
                "plan.", True)
            tache.value = ""
            listing.value = self._list_html()

        def on_undo(_):
            self.remove_last()
            listing.value = self._list_html()

        add.on_click(on_add)
        undo.on_click(on_undo)
        return w.VBox([tache, importance, ennui, minutes, frequence, *criteria.values(),
                       w.HBox([add, undo], layout=w.Layout(flex_flow="row wrap")), status,
                       listing])


class AssistantForm(ShowsWidget):
    """Improve a library assistant through a form: a rule added to its system prompt and a
    heading its answers must contain (the check is written for the participant)."""

    def __init__(self, assistant_id: str, *, auteur: str = "Service RH (à compléter)",
                 note: str = "", ajout: str = "", rubrique: str = ""):
        from toolkit import assistants

        self.base = assistants.get(assistant_id)
        self.defaults = {"auteur": auteur, "note": note, "ajout": ajout, "rubrique": rubrique}
        self.version: Assistant | None = None

    def create(self, *, auteur: str | None = None, note: str | None = None,
               ajout: str | None = None, rubrique: str | None = None):
        """The improved version (not saved): *ajout* goes into the system prompt, and the
        answers are checked for a ``### <rubrique>`` heading."""
        import re

        values = {**self.defaults, **{k: v for k, v in
                                      {"auteur": auteur, "note": note, "ajout": ajout,
                                       "rubrique": rubrique}.items() if v is not None}}
        ajout_text = " ".join(str(values["ajout"]).split())
        heading = " ".join(str(values["rubrique"]).split())
        if not ajout_text and not heading:
            raise InputError(
                "Rien à améliorer : la consigne ajoutée et la rubrique sont vides.",
                "Écrivez au moins une consigne à ajouter au prompt système.",
            )
        checks = list(self.base.verifications)
        if heading:
            checks.append({"type": "regex", "valeur": rf"(?im)^###\s*{re.escape(heading)}",
                           "message": f"La rubrique « {heading} » est présente."})
        prompt = self.base.prompt_systeme + (f"\n- {ajout_text}" if ajout_text else "")
        self.version = self.base.improve(
            auteur=str(values["auteur"]).strip() or "Participant·e",
            note=str(values["note"]).strip() or (f"Ajout : {heading}" if heading else ajout_text),
            prompt_systeme=prompt,
            verifications=checks,
        )
        return self.version

    def save(self, folder=None) -> Path:
        """Write the created version to the shared folder (never over an existing one)."""
        if self.version is None:
            raise InputError("Aucune version à enregistrer.",
                             "Cliquez d'abord sur « Créer ma version ».")
        return self.version.save(folder)

    def __str__(self) -> str:
        made = (f"Version {self.version.version} créée (non enregistrée)." if self.version
                else "Aucune version créée pour l'instant.")
        return (f"Améliorer « {self.base.nom} » (version {self.base.version}). {made}\n"
                "Sans widgets : formulaire.create(ajout='…', rubrique='…').")

    def widget(self):
        import ipywidgets as w

        style = {"description_width": "200px"}
        layout = w.Layout(width="680px")
        auteur = w.Text(value=self.defaults["auteur"], description="Auteur·e", style=style,
                        layout=layout)
        note = w.Text(value=self.defaults["note"], description="Note du journal", style=style,
                      layout=layout)
        ajout = w.Textarea(value=self.defaults["ajout"], style=style,
                           description="Consigne ajoutée au prompt",
                           layout=w.Layout(width="680px", height="80px"))
        rubrique = w.Text(value=self.defaults["rubrique"], style=style, layout=layout,
                          description="Rubrique à vérifier (titre)")
        button = fitted(w.Button(description="Créer ma version", button_style="primary",
                                 icon="code-branch"))
        share = fitted(w.Button(description="Enregistrer dans le dossier partagé", icon="save"))
        status = w.HTML()

        def on_share(_):
            try:
                where = self.save()
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html(f"Version enregistrée : {where}", True)

        def on_create(_):
            try:
                made = self.create(auteur=auteur.value, note=note.value, ajout=ajout.value,
                                   rubrique=rubrique.value)
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html(
                f"Version {made.version} créée. Relancez la cellule de comparaison.", True)

        button.on_click(on_create)
        share.on_click(on_share)
        buttons = w.HBox([button, share], layout=w.Layout(flex_flow="row wrap"))
        return w.VBox([auteur, note, ajout, rubrique, buttons, status])
