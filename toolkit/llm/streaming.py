"""Streamed answers shown while they arrive: in a notebook cell or a terminal.

The notebook preview is redrawn at a bounded rate and shows only the end of a long text, so
streaming an answer costs about what displaying it once costs, whatever its length.
"""

from __future__ import annotations

import html
import sys
import time

from toolkit.llm.answer import Answer

__all__ = ["CellStream", "TerminalStream", "in_notebook"]

#: Characters shown in the live preview (the whole answer is shown once it is complete).
PREVIEW_CHARS = 4000
#: Seconds between two redraws of the preview.
REDRAW_EVERY = 0.25


def in_notebook() -> bool:
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class CellStream:
    """A « réponse en cours… » box in the cell, replaced by the answer (or removed)."""

    def __init__(self, badge: str):
        from IPython.display import HTML, display

        self._html = HTML
        self._badge = badge
        self._parts: list[str] = []
        self._size = 0
        self._last = 0.0
        self._note = ""
        self.handle = display(HTML(self._render()), display_id=True)

    def _tail(self) -> str:
        # Only the end is shown: building it costs PREVIEW_CHARS, not the whole text.
        out: list[str] = []
        size = 0
        for piece in reversed(self._parts):
            out.append(piece)
            size += len(piece)
            if size >= PREVIEW_CHARS:
                break
        text = "".join(reversed(out))
        return ("… " + text[-PREVIEW_CHARS:]) if size > PREVIEW_CHARS else text or "…"

    def _render(self) -> str:
        note = f" · {html.escape(self._note)}" if self._note else ""
        return (
            f"<div style='border-left:4px solid #1e7d45;padding:4px 10px'>"
            f"<div style='font-size:85%;color:#555'>{self._badge} · réponse en cours…{note}</div>"
            f"<div style='white-space:pre-wrap'>{html.escape(self._tail())}</div></div>"
        )

    def __call__(self, delta: str) -> None:
        self._parts.append(delta)
        self._size += len(delta)
        now = time.monotonic()
        if now - self._last >= REDRAW_EVERY:
            self._last = now
            self.handle.update(self._html(self._render()))

    def restart(self) -> None:
        self._parts.clear()
        self._size = 0
        self._note = "nouvel essai, la réponse reprend depuis le début"
        self.handle.update(self._html(self._render()))

    def finish(self, answer: Answer) -> None:
        from IPython import get_ipython

        self.handle.update(answer._repr_mimebundle_(), raw=True)
        shell = get_ipython()
        answer._shown_in = shell.execution_count if shell is not None else None

    def fail(self) -> None:
        # The error itself is shown below by IPython; a stale box above it would mislead.
        self.handle.update({"text/plain": ""}, raw=True)


class TerminalStream:
    """Writes each piece to stdout as it arrives; a retry starts on a new, announced line."""

    def __init__(self, out=None, err=None):
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._printed = 0

    def __call__(self, delta: str) -> None:
        self._out.write(delta)
        self._out.flush()
        self._printed += len(delta)

    def restart(self) -> None:
        if self._printed:
            self._out.write("\n")
            self._out.flush()
            self._err.write("↻ Nouvel essai : la réponse reprend depuis le début.\n")
            self._err.flush()
        self._printed = 0

    def finish(self, answer: Answer) -> None:
        self._out.write("\n")
        self._out.flush()

    def fail(self) -> None:
        if self._printed:
            self._out.write("\n")
            self._out.flush()
