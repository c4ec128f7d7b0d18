"""The widget of « Le défi du prompt »: it only displays; rounds and scoring live in
:mod:`toolkit.course.defi` (re-exported here for the notebooks written before the move)."""

from __future__ import annotations

from toolkit.course import defi as _defi
from toolkit.course.defi import Defi, _show
from toolkit.errors import AtelierError
from toolkit.fr import pluriel
from toolkit.widgets._base import Message, ShowsWidget, fitted

__all__ = ["DefiGame", *_defi.__all__]


def __getattr__(name: str):
    # The rounds and the scoring lived here before they moved to toolkit.course.defi, and
    # notebooks written then import them from here.
    if name in _defi.__all__:
        return getattr(_defi, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class DefiGame(ShowsWidget):
    """The widget: team name, round, prompt box, « Évaluer », result and scoreboard."""

    def __init__(self, defi: Defi, *, ask: bool = True):
        self.defi = defi
        self.ask = ask
        self._widget = None

    def __str__(self) -> str:
        return str(self.defi) + "\n\n" + str(self.defi.scoreboard)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def widget(self):
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        defi = self.defi
        team = fitted(w.Text(description="Équipe", placeholder="votre pseudonyme d'équipe"))
        choice = fitted(w.Dropdown(
            options=[(f"{r.number}. {r.title}", r.number) for r in defi.rounds],
            description="Manche",
        ))
        brief = w.HTML(defi.rounds[0]._repr_html_())
        box = w.Textarea(
            placeholder="Écrivez votre prompt ici…",
            layout=w.Layout(width="100%", height="170px"),
        )
        run = fitted(w.Button(description="Évaluer mon prompt", button_style="primary",
                              icon="trophy"))
        share = fitted(w.Button(description="Publier dans le tableau de la salle", icon="share"))
        out = w.Output()
        board = w.HTML(defi.scoreboard._repr_html_())

        def on_round(change):
            r = defi.round(change["new"])
            brief.value = r._repr_html_()
            box.value = ("\n\n" + r.material) if r.material else ""

        def on_run(_):
            out.clear_output()
            with out:
                if not team.value.strip():
                    _show(Message("Indiquez d'abord un nom d'équipe (pseudonyme).", kind="note"))
                    return
                score = defi.play(choice.value, box.value, team=team.value, ask=self.ask)
                _show(score)
            board.value = defi.scoreboard._repr_html_()

        def on_share(_):
            with out:
                try:
                    n = defi.scoreboard.publish(" ".join(team.value.split()))
                except AtelierError as exc:
                    _show(exc)
                else:
                    _show(Message(f"{pluriel(n, 'score publié')} dans le dossier partagé.",
                                  kind="note"))

        choice.observe(on_round, names="value")
        run.on_click(on_run)
        share.on_click(on_share)
        buttons = w.HBox([run, share], layout=w.Layout(flex_flow="row wrap"))
        self._widget = w.VBox([team, choice, brief, box, buttons, out, board])
        return self._widget



