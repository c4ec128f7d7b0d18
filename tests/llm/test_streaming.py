"""The streamed preview in a cell stays small and goes away on failure; terminal retries."""

from __future__ import annotations

import io

from toolkit.llm import streaming
from toolkit.llm.answer import Answer


class _Handle:
    def __init__(self):
        self.updates: list[str] = []

    def update(self, obj, raw=False):
        self.updates.append(
            obj["text/plain"]
            if raw and "text/html" not in obj
            else obj.get("text/html", "")
            if raw
            else obj.data
        )


def test_preview_costs_the_same_whatever_the_length(monkeypatch):
    monkeypatch.setattr(streaming, "REDRAW_EVERY", 0.0)  # redraw at every piece
    sink = streaming.CellStream("en direct · test")
    sink.handle = _Handle()
    piece = "x" * 1000
    for _ in range(3000):  # 3 MB
        sink(piece)
    sizes = [len(u) for u in sink.handle.updates]
    assert len(sizes) == 3000
    assert max(sizes) < streaming.PREVIEW_CHARS + 2000  # the tail only, never the whole text
    sink.finish(Answer(text=piece * 3000, mode="live", model="test"))
    assert len(sink.handle.updates[-1]) > 3_000_000  # the full answer, once


def test_failed_stream_leaves_no_stale_box():
    sink = streaming.CellStream("en direct · test")
    sink.handle = _Handle()
    sink("début")
    sink.fail()
    assert sink.handle.updates[-1] == ""


def test_terminal_retry_starts_on_a_new_announced_line():
    out, err = io.StringIO(), io.StringIO()
    sink = streaming.TerminalStream(out, err)
    sink("premier essai coupé")
    sink.restart()
    sink("réponse complète")
    sink.finish(Answer(text="réponse complète", mode="live", model="test"))
    assert out.getvalue() == "premier essai coupé\nréponse complète\n"
    assert "Nouvel essai" in err.getvalue()
