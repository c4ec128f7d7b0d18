"""Widgets of session 2: round-table form, top-3 form, and the review-then-run code panel.

Each widget also works without widgets: it prints as text (nbconvert, nbval, a terminal) and
has a plain method doing the same thing (``form.submit(...)``, ``proposal.run(confirm=True)``).
Forms write anonymous records to the shared folder (:mod:`toolkit.course.sharedfolder`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from toolkit.errors import AtelierError, InputError
from toolkit.widgets._base import widget_bundle

__all__ = ["CodeReview", "RoundTableForm", "Top3Form"]

TOP3_COLLECTION = "top3"




def _status_html(message: str, ok: bool) -> str:
    from toolkit.html import status_line

    return status_line(message, ok=ok)


class RoundTableForm:
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
            where = f"(dossier partagé indisponible : {exc.message})"
        return (
            "Formulaire du tour de table (anonyme). Sans widgets, envoyez une réponse ainsi :\n"
            "  formulaire.submit(tache='Résumé d’un rapport', type_tache='Résumé et synthèse',\n"
            "                    outil='Copilot (Microsoft 365)', service='Finances',\n"
            "                    minutes_gagnees=30, satisfaction=4, problemes='')\n"
            f"Réponses enregistrées dans : {where}"
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
        button = w.Button(description="Envoyer (anonyme)", button_style="primary", icon="send")
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
                f"Merci ! Réponse n° {len(self.sent)} enregistrée (anonyme). Vous pouvez en "
                "ajouter une autre.", True)
            tache.value = ""
            problems.value = ""

        button.on_click(send)
        return w.VBox([tache, kind, tool, service, minutes, satisfaction, problems, button,
                       status])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return widget_bundle(self, include, exclude)


class Top3Form:
    """Top-3 form: each participant's three tasks to hand to AI, saved anonymously."""

    def __init__(self, folder=None):
        self.folder = folder
        self.sent: list[Path] = []

    def submit(self, service: str, taches: list[str]) -> Path:
        """Save one participant's top 3 (1 to 3 non-empty tasks); returns the file written."""
        from toolkit.course.sharedfolder import append_record
        from toolkit.tasks.usages import SERVICES

        if service not in SERVICES:
            raise InputError(f"Le champ « service » vaut « {service} », qui n'est pas dans la "
                             "liste.", f"Choisissez parmi : {', '.join(SERVICES)}.")
        clean = [str(t).strip()[:120] for t in taches if str(t or "").strip()]
        if not clean:
            raise InputError("Aucune tâche saisie.", "Écrivez au moins une tâche.")
        if len(clean) > 3:
            raise InputError(f"{len(clean)} tâches saisies : le top 3 en compte trois au plus.",
                             "Gardez les trois plus importantes.")
        record = {"participant": uuid.uuid4().hex[:8], "service": service}
        record.update({f"tache_{i}": t for i, t in enumerate(clean, start=1)})
        path = append_record(TOP3_COLLECTION, record, self.folder)
        self.sent.append(path)
        return path

    def __str__(self) -> str:
        return (
            "Formulaire « top 3 » (anonyme). Sans widgets, envoyez votre top 3 ainsi :\n"
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
        button = w.Button(description="Envoyer mon top 3", button_style="primary", icon="send")
        status = w.HTML()

        def send(_):
            try:
                self.submit(service.value, [b.value for b in boxes])
            except AtelierError as exc:
                status.value = _status_html(str(exc), False)
                return
            status.value = _status_html("Merci ! Votre top 3 est enregistré (anonyme).", True)
            for b in boxes:
                b.value = ""

        button.on_click(send)
        return w.VBox([service, *boxes, button, status])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return widget_bundle(self, include, exclude)


class CodeReview:
    """The proposed code, a « J'ai relu » box and an « Exécuter » button (nothing runs before)."""

    def __init__(self, proposal, timeout: float = 10.0):
        self.proposal = proposal
        self.timeout = timeout

    def __str__(self) -> str:
        return (f"{self.proposal}\nPour l'exécuter après relecture : "
                "proposition.run(confirm=True)")

    def widget(self):
        import ipywidgets as w
        from IPython.display import display

        code = w.HTML(self.proposal._repr_html_())
        reviewed = w.Checkbox(description="J'ai relu ce code et je comprends ce qu'il fait",
                              indent=False, layout=w.Layout(width="560px"))
        button = w.Button(description="Exécuter ce code", button_style="warning",
                          icon="play", disabled=True)
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

    def _repr_mimebundle_(self, include=None, exclude=None):
        return widget_bundle(self, include, exclude)
