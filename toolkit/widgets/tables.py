"""Tables shown whole: every cell's full text, left-aligned, wrapped (no pandas « ... »)."""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from toolkit.fr import nombre

__all__ = ["PLAN_COLUMNS", "FullTable", "full_table", "plan_table"]


@dataclass(frozen=True)
class FullTable:
    """A DataFrame rendered without truncation: text left-aligned, numbers right-aligned."""

    frame: pd.DataFrame
    caption: str = ""

    def __str__(self) -> str:
        import pandas as pd

        with pd.option_context("display.max_colwidth", None, "display.width", 10_000,
                               "display.max_rows", None, "display.max_columns", None):
            frame = self.frame
            numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                       and not pd.api.types.is_bool_dtype(frame[c])]
            text = frame.to_string(index=False, justify="left",
                                   formatters={c: _text for c in numeric})
        return f"{self.caption}\n{text}" if self.caption else text

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        import pandas as pd

        frame = self.frame
        numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}

        def style(column) -> str:
            side = "right" if column in numeric else "left"
            return (f"style='text-align:{side};vertical-align:top;padding:3px 8px ;"
                    "white-space:normal;max-width:38em'")

        head = "".join(f"<th {style(c)}>{html.escape(str(c))}</th>" for c in frame.columns)
        body = "".join(
            "<tr>" + "".join(
                f"<td {style(c)}>{'' if pd.isna(v) else html.escape(_text(v))}</td>"
                for c, v in zip(frame.columns, row, strict=True)
            ) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        caption = f"<caption style='text-align:left'>{html.escape(self.caption)}</caption>"\
            if self.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value) -> str:
    # Numbers as the course's locale writes them (« 82,5 », « 1 278 »), never « 82.5 ».
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, numbers.Real):  # int, float, numpy and Decimal-like reals
        return nombre(float(value) if not isinstance(value, int) else value)
    return str(value)


def full_table(data, columns=None, caption: str = "") -> FullTable:
    """*data* (a DataFrame, or rows with *columns*) as a table that shows every cell whole."""
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data), columns=columns)
    return FullTable(frame, caption)


#: The columns of an Automato plan shown to the group, with their French headings.
PLAN_COLUMNS = {
    "priorite": "Priorité", "tache": "Tâche", "quadrant": "Quadrant",
    "aptitude": "Aptitude /100", "approche": "Approche", "roi_mois": "ROI par mois",
    "verification": "Vérification",
}


def plan_table(plan) -> FullTable:
    """An Automato :class:`toolkit.tasks.Plan` as a full table (approach and advice whole)."""
    columns = [c for c in PLAN_COLUMNS if c in plan.table.columns]
    frame = plan.table[columns].rename(columns=PLAN_COLUMNS)
    devise = getattr(plan, "devise", "")
    if devise:
        frame = frame.rename(columns={"ROI par mois": f"ROI par mois ({devise})"})
    return FullTable(frame)
