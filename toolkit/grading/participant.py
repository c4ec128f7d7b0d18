"""What a participant sees when checking work: « ✅ Vérifier mon travail », in French.

- :func:`~toolkit.prompts.failures.short_failure` (re-exported) turns an error into « what is
  wrong / what to do »; :func:`~toolkit.prompts.failures.install_short_failures` shows failed
  checks that way in the notebook.
- :func:`verifier_mon_travail` (a button in a notebook, or a direct call) runs
  :func:`toolkit.grading.validate.validate` on the saved notebook, i.e. nbgrader's
  validator in the sandbox, and shows the French result.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from toolkit.prompts.failures import ENGLISH, install_short_failures, short_failure

__all__ = ["ENGLISH", "CheckResult", "bouton_verifier", "current_notebook",
           "install_short_failures", "short_failure", "verifier_mon_travail"]

# ---- « ✅ Vérifier mon travail » -------------------------------------------------------------
def current_notebook() -> Path | None:
    """The notebook this kernel runs (JupyterLab sets ``__session__`` / JPY_SESSION_NAME)."""
    candidates = []
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            candidates.append(shell.user_ns.get("__session__"))
    except ImportError:  # pragma: no cover
        pass
    candidates.append(os.environ.get("JPY_SESSION_NAME"))
    for name in candidates:
        if name and str(name).endswith(".ipynb"):
            path = Path(name)
            if not path.is_absolute():
                path = Path.cwd() / path.name
            if path.exists():
                return path
    return None


class CheckResult:
    """The French result of a check, for a notebook (HTML) or a terminal (text)."""

    def __init__(self, report=None, error: str | None = None):
        self.report, self.error = report, error

    @property
    def ok(self) -> bool:
        return self.error is None and self.report is not None and self.report.ok

    def __str__(self) -> str:
        return self.error if self.error is not None else str(self.report)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        if self.error is not None:
            return (f"<div style='color:#b3261e'><b>✗ Vérification impossible</b><br>"
                    f"{html.escape(self.error)}</div>")
        return self.report._repr_html_()


def verifier_mon_travail(notebook: str | Path | None = None, *, timeout: float = 30,
                         sandbox: bool = True) -> CheckResult:
    """Validate the saved ``notebook`` (by default the current one) and say what to fix."""
    from toolkit.errors import AtelierError
    from toolkit.grading.validate import validate

    path = Path(notebook) if notebook else current_notebook()
    if path is None:
        return CheckResult(error="Je ne trouve pas le notebook à vérifier : donnez son nom, "
                                 "par exemple verifier_mon_travail(\"01-anatomie-du-prompt"
                                 ".ipynb\").")
    try:
        return CheckResult(validate(path, timeout=timeout, sandbox=sandbox))
    except AtelierError as exc:
        return CheckResult(error=str(exc))


def bouton_verifier(notebook: str | Path | None = None, **options):
    """A « ✅ Vérifier mon travail » button: save (Ctrl + S) first, then click."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    button = widgets.Button(description="✅ Vérifier mon travail", button_style="success",
                            layout=widgets.Layout(width="auto"))
    note = widgets.HTML("<i>Enregistrez d'abord le notebook (Ctrl + S) : la vérification lit "
                        "le fichier enregistré, dans un bac à sable.</i>")
    out = widgets.Output()

    def on_click(_):
        out.clear_output()
        button.disabled = True
        with out:
            display(HTML("<i>Vérification en cours…</i>"))
        result = verifier_mon_travail(notebook, **options)
        out.clear_output()
        with out:
            display(result)
        button.disabled = False

    button.on_click(on_click)
    return widgets.VBox([widgets.HBox([button, note]), out])
