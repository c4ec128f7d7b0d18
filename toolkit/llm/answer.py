"""What a call returns: :class:`Answer` (text) and :class:`Picture` (image), with their badges.

Both render themselves in a notebook (HTML with a visible mode badge, tokens and cost) and
as plain text elsewhere.  ``str(answer)`` is the model's text and nothing else.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from typing import Any

from toolkit.config import MODE_WORDS

__all__ = ["MODE_LABELS", "Answer", "Picture", "format_cost"]

#: The badge of each mode: the mode's one word (``toolkit.config.MODE_WORDS``), then what the
#: answer is, so a simulated answer never passes for a real one.
MODE_LABELS = {
    "offline": f"{MODE_WORDS['offline']} · réponse simulée",
    "replay": f"{MODE_WORDS['replay']} · réponse enregistrée",
    "live": MODE_WORDS["live"],
    "record": f"{MODE_WORDS['live']} · {MODE_WORDS['record']}",
}
MODE_COLOURS = {"offline": "#7a4fb5", "replay": "#1f6fb2", "live": "#1e7d45", "record": "#1e7d45"}


def format_cost(cost: float | None, currency: str = "USD") -> str:
    """French rendering of a cost in the course's locale: ``≈ 0,0012 USD``, ``≈ 0,04 CHF``.

    Formats come from :func:`toolkit.fr.montant` (Babel, ``ATELIER_LOCALE``); ``coût
    inconnu`` when there is no price, and a local or simulated call says it costs nothing.
    """
    from toolkit.fr import montant

    if cost is None:
        return "coût inconnu"
    if cost == 0:
        return f"{montant(0, currency, decimales=0)} (local ou simulé)"
    return f"≈\u00a0{montant(cost, currency)}"


def _seconds(value: float) -> str:
    from toolkit.fr import nombre

    return f"{nombre(value, 1)}\u00a0s"


def _markdown_html(text: str) -> str:
    """Model text (usually Markdown) as safe HTML: raw HTML in the text is escaped."""
    rendered: object = None
    try:
        import mistune

        rendered = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)
    except Exception:  # noqa: BLE001 - rendering must never fail; fall back to plain text
        rendered = None
    # The default renderer gives HTML text (only an AST renderer would give a list).
    if isinstance(rendered, str):
        return rendered
    return f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"


@dataclass
class _Meta:
    mode: str
    model: str
    latency: float
    cost: float | None
    currency: str = "USD"
    notice: str | None = None
    warnings: list[str] = field(default_factory=list)

    def badge_html(self, extra: str) -> str:
        colour = MODE_COLOURS.get(self.mode, "#555")
        label = MODE_LABELS.get(self.mode, self.mode)
        parts = [
            html.escape(self.model),
            extra,
            format_cost(self.cost, self.currency),
            _seconds(self.latency),
        ]
        return (
            f"<span style='background:{colour};color:#fff;border-radius:4px;padding:1px 7px;"
            f"font-weight:600'>{label}</span> "
            f"<span style='color:#555'>{' · '.join(p for p in parts if p)}</span>"
        )

    def notes_html(self) -> str:
        out = ""
        for w in self.warnings:
            out += (
                f"<div style='background:#fff4e0;border-left:3px solid #d98c00;"
                f"padding:3px 8px;margin-top:4px'>⚠️ {html.escape(w)}</div>"
            )
        if self.notice:
            notice = html.escape(self.notice)
            out += f"<div style='color:#555;font-size:90%;margin-top:4px'>ℹ️ {notice}</div>"
        return out

    def notes_text(self) -> str:
        lines = [f"⚠ {w}" for w in self.warnings]
        if self.notice:
            lines.append(f"ℹ {self.notice}")
        return "\n".join(lines)


@dataclass
class Answer:
    """A model's answer (or a simulated / replayed one) and what it cost."""

    text: str
    mode: str
    model: str
    #: None when the backend did not count them (simulated prompts, replays without usage):
    #: the client counts them before the answer reaches the participant.
    prompt_tokens: int | None = 0
    completion_tokens: int | None = 0
    cost: float | None = None
    latency: float = 0.0
    finish_reason: str | None = None
    currency: str = "USD"
    #: Said once per session: which mode is used and why.
    notice: str | None = None
    #: French warnings to show with the answer (e.g. personal data found in the prompt).
    warnings: list[str] = field(default_factory=list)
    #: Privacy check result, when the confidentiality guard ran.
    privacy: Any = None
    #: False when the answer was cut (deadline, dropped stream, max_tokens): the text is
    #: what arrived, and a warning says so.
    complete: bool = True
    #: Where the answer came from (routing by classification), e.g. « modèle local · … ».
    origin: str | None = None
    _shown_in: int | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    @property
    def total_tokens(self) -> int:
        return (self.prompt_tokens or 0) + (self.completion_tokens or 0)

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)

    def _meta(self) -> _Meta:
        return _Meta(
            self.mode,
            self.origin or self.model,
            self.latency,
            self.cost,
            self.currency,
            self.notice,
            self.warnings,
        )

    def summary(self) -> str:
        """One line: mode, model (or where the answer came from), tokens, cost, latency."""
        cut = " · réponse incomplète" if not self.complete else ""
        return (
            f"[{self.mode_label}{cut} · {self.origin or self.model} · {self.prompt_tokens} + "
            f"{self.completion_tokens} jetons · {format_cost(self.cost, self.currency)} · "
            f"{_seconds(self.latency)}]"
        )

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self._text_form())

    def _text_form(self) -> str:
        notes = self._meta().notes_text()
        return f"{self.summary()}\n{self.text}" + (f"\n{notes}" if notes else "")

    def _repr_html_(self) -> str:
        meta = self._meta()
        tokens = f"{self.prompt_tokens} + {self.completion_tokens} jetons"
        if not self.complete:
            tokens = "<b>réponse incomplète</b> · " + tokens
        colour = MODE_COLOURS.get(self.mode, "#555")
        return (
            f"<div class='atelier-answer' data-mode='{self.mode}' "
            f"data-complete='{str(self.complete).lower()}' style='border-left:4px solid "
            f"{colour};padding:4px 10px;margin:4px 0'>"
            f"<div style='font-size:85%'>{meta.badge_html(tokens)}</div>"
            f"<div class='atelier-answer-text'>{_markdown_html(self.text)}</div>"
            f"{meta.notes_html()}</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self._text_form(), "text/html": self._repr_html_()}

    def _ipython_display_(self) -> None:
        """Show the answer, unless it was already streamed into this very cell's output."""
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        if shell is not None and self._shown_in == shell.execution_count:
            return
        display(self._repr_mimebundle_(), raw=True)


@dataclass
class Picture:
    """A generated (or simulated) image; ``.image`` is a PIL image."""

    image: Any
    prompt: str
    mode: str
    model: str
    cost: float | None = None
    latency: float = 0.0
    currency: str = "USD"
    notice: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: The size asked for (« 1024x1024 »), when the image shown has another one (offline).
    requested: str | None = None
    _png: bytes | None = field(default=None, repr=False, compare=False)

    def _size(self) -> str:
        """The image's size, and the size asked for when the image shown differs from it."""
        shown = f"{self.image.width}×{self.image.height}\u00a0px"
        asked = (self.requested or "").lower().replace("×", "x")
        if not asked or asked == f"{self.image.width}x{self.image.height}":
            return shown
        return f"{asked.replace('x', '×')}\u00a0px demandés, aperçu simulé en {shown}"

    def png_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG")
        return buffer.getvalue()

    def save(self, path) -> None:
        self.image.save(path)

    def __str__(self) -> str:
        return (
            f"[image · {MODE_LABELS.get(self.mode, self.mode)} · {self.model} · "
            f"{self._size()} · "
            f"{format_cost(self.cost, self.currency)}] {self.prompt}"
        )

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        meta = _Meta(
            self.mode,
            self.model,
            self.latency,
            self.cost,
            self.currency,
            self.notice,
            self.warnings,
        )
        data = base64.b64encode(self.png_bytes()).decode("ascii")
        size = self._size()
        page = (
            f"<div class='atelier-picture' data-mode='{self.mode}'>"
            f"<div style='font-size:85%'>{meta.badge_html(size)}</div>"
            f"<img src='data:image/png;base64,{data}' style='max-width:480px' "
            f"alt='{html.escape(self.prompt)}'/>{meta.notes_html()}</div>"
        )
        return {"text/plain": str(self), "text/html": page}
