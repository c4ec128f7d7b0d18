"""The prompt playground: a prompt box, model and temperature, live hints and the answer.

While the participant types, the prompt is analysed (:func:`toolkit.prompts.analyse`) and the
box shows which components are missing, the first hints, the estimated tokens and cost.
« Envoyer » asks the model through :func:`toolkit.ask` (offline: a labelled simulated answer).
Without widgets, ``str(bac)`` shows the same analysis and ``bac.send()`` sends the prompt.
"""

from __future__ import annotations

import html
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.errors import AtelierError
from toolkit.fr import nombre
from toolkit.widgets._base import Message, ShowsWidget, fitted

if TYPE_CHECKING:
    from toolkit.llm.answer import Answer

__all__ = ["Estimate", "Playground", "hints_html", "hints_text"]

#: Completion length assumed for the cost estimate shown before sending.
ASSUMED_COMPLETION_TOKENS = 300
#: How many hints to show at once (more would drown the participant).
MAX_HINTS = 2


@dataclass(frozen=True)
class Estimate:
    """Tokens of the prompt and estimated cost of one call, before sending."""

    prompt_tokens: int
    cost: float | None

    def __str__(self) -> str:
        return (
            f"≈ {self.prompt_tokens} jetons dans le prompt · coût estimé pour une réponse de "
            f"{ASSUMED_COMPLETION_TOKENS} jetons : {_format_cost(self.cost)}"
        )

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def _format_cost(cost: float | None) -> str:
    try:
        from toolkit.llm.answer import format_cost
    except ImportError:
        return "inconnu" if cost is None else f"≈ {cost:.4f} $"
    return format_cost(cost)


def estimate(prompt: str, model: str | None = None) -> Estimate:
    """Prompt tokens (counted offline) and the estimated cost of one answer."""
    import toolkit

    tokens = toolkit.count_tokens(prompt) if prompt else 0
    try:
        cost = toolkit.estimate_cost(prompt, ASSUMED_COMPLETION_TOKENS, model=model)
    except AtelierError:
        cost = None
    return Estimate(tokens, cost)


def hints_text(report) -> str:
    """A short French summary of a :class:`toolkit.prompts.PromptReport` (score, gaps, hints)."""
    if not report.prompt.strip():
        return "Écrivez votre prompt : l'analyse s'affiche ici au fur et à mesure."
    marks = "  ".join(f"{'✔' if c.present else '✘'} {c.label}" for c in report.components.values())
    lines = [f"Score du prompt : {report.score}/100 ({report.level})", marks]
    hints = report.hints[:MAX_HINTS]
    if hints:
        lines.append("À ajouter en priorité :")
        lines += [f"  • {h}" for h in hints]
    else:
        lines.append("Rien d'essentiel ne manque : envoyez-le et jugez la réponse.")
    return "\n".join(lines)


def hints_html(report, est: Estimate | None = None) -> str:
    """The live hints panel: score bar, one chip per component, the first hints, the estimate."""
    if not report.prompt.strip():
        body = "<i>Écrivez votre prompt : l'analyse s'affiche ici au fur et à mesure.</i>"
    else:
        from toolkit.html import score_colour

        colour = score_colour(report.score)
        chips = "".join(
            f"<span style='display:inline-block;margin:2px;padding:1px 8px;border-radius:10px ;"
            f"background:{'#dafbe1' if c.present else '#ffebe9'}'>"
            f"{'✔' if c.present else '✘'} {html.escape(c.label)}</span>"
            for c in report.components.values()
        )
        hints = report.hints[:MAX_HINTS]
        items = "".join(f"<li>{html.escape(h)}</li>" for h in hints)
        advice = (
            f"<div>À ajouter en priorité :<ul style='margin:2px 0'>{items}</ul></div>"
            if hints
            else "<div>Rien d'essentiel ne manque : envoyez-le et jugez la réponse.</div>"
        )
        body = (
            f"<div><b>Score du prompt : <span style='color:{colour}'>{report.score}/100</span>"
            f"</b> ({html.escape(report.level)})"
            f"<div style='background:#eee;height:6px;width:240px;border-radius:3px'>"
            f"<div style='background:{colour};height:6px;width:{report.score * 2.4:.0f}px ;"
            f"border-radius:3px'></div></div></div><div>{chips}</div>{advice}"
        )
    if est is not None:
        body += f"<div style='color:#555;font-size:90%'>{html.escape(str(est))}</div>"
    return f"<div style='border:1px solid #ddd;border-radius:6px;padding:6px 10px'>{body}</div>"


@dataclass(eq=False)
class Playground(ShowsWidget):
    """A prompt playground with live hints; also usable without widgets (``send()``)."""

    prompt: str = ""
    _: KW_ONLY
    model: str | None = None
    temperature: float = 0.7
    system: str | None = None
    #: Key of the prepared answer shown offline (toolkit/data/exemples), if any.
    exemple: str | list[str] | tuple[str, ...] | None = None
    last_answer: Answer | None = field(default=None, init=False, repr=False)
    _widget: Any = field(default=None, init=False, repr=False)

    def analysis(self):
        from toolkit.prompts import analyse

        return analyse(self.prompt)

    def estimate(self) -> Estimate:
        return estimate(self.prompt, self.model)

    def _model_name(self) -> str:
        if self.model:
            return self.model
        try:
            import toolkit

            return toolkit.settings().model
        except (AtelierError, ImportError, AttributeError):
            return ""

    def send(self):
        """Send the prompt to the model and return the :class:`toolkit.Answer`."""
        import toolkit

        self.last_answer = toolkit.ask(
            self.prompt,
            system=self.system,
            model=self.model or None,
            temperature=self.temperature,
            exemple=self.exemple,
        )
        return self.last_answer

    def __str__(self) -> str:
        lines = [
            "Bac à sable du prompt",
            f"Modèle : {self._model_name() or 'par défaut'} · "
            f"température : {nombre(self.temperature)}",
            f"Prompt : {self.prompt.strip() or '(vide)'}",
            "",
            hints_text(self.analysis()),
            str(self.estimate()),
            "",
            "Sans les boutons : modifiez bac.prompt puis lancez bac.send().",
        ]
        return "\n".join(lines)

    # -- widget ------------------------------------------------------------------------------

    def widget(self):
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        box = w.Textarea(
            value=self.prompt,
            placeholder="Écrivez votre prompt ici : rôle, contexte, tâche, format, contraintes…",
            layout=w.Layout(width="100%", height="160px"),
            continuous_update=True,
        )
        model = w.Combobox(
            value=self._model_name(),
            options=[m for m in {self._model_name()} if m],
            description="Modèle",
            ensure_option=False,
            style={"description_width": "initial"},
        )
        temperature = w.FloatSlider(
            value=self.temperature, min=0, max=2, step=0.1, description="Température",
            readout_format=".1f", style={"description_width": "initial"},
        )
        hints = w.HTML(hints_html(self.analysis(), self.estimate()))
        send = fitted(w.Button(description="Envoyer au modèle", button_style="primary",
                               icon="paper-plane"))
        out = w.Output()

        def refresh(_=None):
            self.prompt = box.value
            self.model = model.value.strip() or None
            self.temperature = temperature.value
            hints.value = hints_html(self.analysis(), self.estimate())

        def on_send(_):
            refresh()
            out.clear_output(wait=True)
            with out:
                from IPython.display import display

                if not self.prompt.strip():
                    display(Message("Le prompt est vide : écrivez d'abord votre demande."))
                    return
                try:
                    display(self.send())
                except AtelierError as exc:
                    display(Message(str(exc), kind="error"))

        box.observe(refresh, names="value")
        model.observe(refresh, names="value")
        temperature.observe(refresh, names="value")
        send.on_click(on_send)
        self._widget = w.VBox([box, hints, w.HBox([model, temperature]), send, out])
        return self._widget
