"""Small HTML helpers shared by the grading result dataclasses (``_repr_html_``)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th style='text-align:left'>{escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def block(title: str, lines: list[str], inner: str = "") -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<div><strong>{escape(title)}</strong><ul>{items}</ul>{inner}</div>"
