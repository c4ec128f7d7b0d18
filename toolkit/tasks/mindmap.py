"""The organisation's mind map of top-3 tasks, grouped by theme and department.

Every participant names three tasks (typed in or taken from the Automato plan); tasks are
given a theme from keyword rules (:data:`THEMES`), identical wordings are merged, and the
result is drawn as a two-sided mind map (networkx graph, matplotlib drawing) whose labels are
laid out on a grid, so that it stays readable from 3 to 60+ participants.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError
from toolkit.fr import pluriel

__all__ = [
    "THEMES",
    "MindMap",
    "mind_map",
    "normalise",
    "text_overlaps",
    "theme_of",
    "top3_table",
]

#: Theme → keyword regex (on the normalised wording, without accents).  First match wins.
THEMES: tuple[tuple[str, str], ...] = (
    ("Réunions et procès-verbaux",
     r"proces.verba|\bpv\b|compte.rendu|reunion|seance|ordre du jour"),
    ("Traduction", r"tradu"),
    ("Courriels et réponses", r"courri|mail|repond|reponse|demande|ticket|question"),
    ("Recrutement et RH", r"annonce|poste|recrut|candidat|entretien|vacances|absence"),
    ("Chiffres et tableaux",
     r"budget|ecart|factur|compt|tableau|excel|chiffre|donnee|rapproch|fiscal"),
    ("Synthèse et veille", r"synthe|resum|revue de presse|veille|rapport"),
    ("Communication", r"linkedin|publication|communique|site|newsletter|reseau|faq|campagne"),
    ("Présentations", r"presentation|diapo|slide"),
    ("Rédaction", r"redig|ecrire|rediger|note|lettre|documentation|texte"),
    ("Organisation et tri", r"tri|classe|archiv|agenda|planning|courrier"),
)
OTHER_THEME = "Autres tâches"
_PALETTE = ("#1f77b4", "#e07b39", "#2e9e5b", "#c0392b", "#8e44ad", "#8c564b", "#d35d9c",
            "#5f6b7a", "#a39b1f", "#17a2b8", "#34495e")


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the key used to merge tasks."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return " ".join(text.split())


def theme_of(task: str) -> str:
    """The theme of a task from its wording (:data:`THEMES`), else « Autres tâches »."""
    key = normalise(task)
    for theme, pattern in THEMES:
        if re.search(pattern, key):
            return theme
    return OTHER_THEME


def top3_table(records):
    """Tidy table ``participant, service, tache, theme`` from top-3 records.

    Accepts long rows (``tache``) or wide rows (``tache_1``, ``tache_2``, ``tache_3``), as
    written by the top-3 form in the shared folder; empty tasks are dropped.
    """
    import pandas as pd

    frame = pd.DataFrame(records).copy()
    if frame.empty:
        return pd.DataFrame(columns=["participant", "service", "tache", "theme"])
    if "service" not in frame.columns:
        frame["service"] = "Non précisé"
    if "participant" not in frame.columns:
        frame["participant"] = [f"R{i + 1:02d}" for i in range(len(frame))]
    wide = [c for c in frame.columns if re.fullmatch(r"tache_\d", str(c))]
    if wide:
        long = frame.melt(
            id_vars=["participant", "service"], value_vars=wide, value_name="_tache"
        ).drop(columns="variable").rename(columns={"_tache": "tache"})
        if "tache" in frame.columns:  # long rows (the shipped sample) read together
            long = pd.concat([frame[["participant", "service", "tache"]], long],
                             ignore_index=True)
        frame = long
    elif "tache" not in frame.columns:
        raise InputError(
            "Les réponses « top 3 » n'ont ni colonne « tache » ni colonnes « tache_1 » à "
            "« tache_3 ».",
            "Vérifiez le fichier ou le dossier partagé utilisé.",
        )
    frame = frame[["participant", "service", "tache"]].copy()
    frame["tache"] = frame["tache"].fillna("").astype(str).str.strip()
    frame["service"] = frame["service"].fillna("").astype(str).str.strip().replace(
        "", "Non précisé"
    )
    frame = frame[frame["tache"] != ""].copy()
    frame["theme"] = frame["tache"].map(theme_of)
    return frame.reset_index(drop=True)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass
class MindMap(ShowsStr):
    """A drawn mind map: the networkx graph, the matplotlib figure and the table behind it."""

    graph: Any
    figure: Any
    table: Any
    by: str
    hidden: int = 0
    files: list[Path] = field(default_factory=list)

    def save(self, folder=".", stem: str = "carte-mentale-top3") -> list[Path]:
        """Write the figure as PNG and SVG in *folder*; returns both paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.files = []
        for ext in ("png", "svg"):
            path = folder / f"{stem}.{ext}"
            # Written beside then renamed: several people saving at once never leave a
            # half-written picture in a shared folder.
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=f".{ext}", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    self.figure.savefig(handle, format=ext, dpi=150, bbox_inches="tight")
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self.files.append(path)
        return self.files

    def __str__(self) -> str:
        n_part = self.table["participant"].nunique()
        branches = [n for n, d in self.graph.nodes(data=True) if d.get("level") == 1]
        text = (
            f"Carte mentale : {pluriel(len(self.table), 'tâche')} de "
            f"{pluriel(n_part, 'participant')}, "
            f"{pluriel(len(branches), 'branche')} "
            f"({'thèmes' if self.by == 'theme' else 'services'})."
        )
        if self.hidden:
            hidden = pluriel(self.hidden, "tâche moins citée regroupée",
                             "tâches moins citées regroupées")
            text += f" {hidden} sous « … et n autres »."
        return text

    def _repr_html_(self) -> str:
        return f"<p>{self.__str__()}</p>"


def _leaves(table, by: str, max_leaves: int) -> tuple[dict[str, list[str]], int]:
    """Branch → leaf labels (most cited first), with the overflow counted."""
    branches: dict[str, list[str]] = {}
    hidden = 0
    if by == "theme":
        for theme, group in table.groupby("theme", sort=False):
            merged: dict[str, dict[str, Any]] = {}
            for r in group.itertuples():
                item = merged.setdefault(
                    normalise(r.tache), {"label": r.tache, "n": 0, "services": {}}
                )
                item["n"] += 1
                item["services"][r.service] = item["services"].get(r.service, 0) + 1
            ranked = sorted(merged.values(), key=lambda m: (-m["n"], m["label"]))
            labels = []
            for m in ranked[:max_leaves]:
                names = sorted(m["services"])
                services = ", ".join(names) if len(names) <= 2 else f"{len(names)} services"
                count = f" ×{m['n']}" if m["n"] > 1 else ""
                labels.append(f"{_short(m['label'], 46)}{count} ({_short(services, 28)})")
            if len(ranked) > max_leaves:
                rest = sum(m["n"] for m in ranked[max_leaves:])
                hidden += rest
                labels.append(f"… et {pluriel(rest, 'autre tâche')}")
            branches[theme] = labels
    else:
        for service, group in table.groupby("service", sort=False):
            counts = group["theme"].value_counts()
            labels = [f"{theme} ({n})" for theme, n in counts.items()][:max_leaves]
            if len(counts) > max_leaves:
                rest = int(counts.iloc[max_leaves:].sum())
                hidden += rest
                labels.append(f"… et {pluriel(rest, 'autre')}")
            branches[str(service)] = labels
    order = sorted(branches, key=lambda b: (-len(branches[b]), b))
    return {b: branches[b] for b in order}, hidden


def mind_map(
    records, *, by: str = "theme", title: str = "Notre organisation", max_leaves: int = 6,
    source: str | None = None,
) -> MindMap:
    """Draw the mind map of top-3 tasks, branches by ``"theme"`` or by ``"service"``.

    Branches are split between the left and right sides; leaves are stacked with a fixed
    spacing and the figure grows with their number, so labels never overlap.
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    if by not in ("theme", "service"):
        raise InputError(
            f"Regroupement « {by} » inconnu.", "Choisissez by='theme' ou by='service'."
        )
    table = top3_table(records)
    if table.empty:
        raise InputError(
            "Aucune tâche à cartographier : le dossier partagé ne contient pas encore de top 3.",
            "Faites remplir le formulaire « top 3 » ou chargez le fichier d'exemple.",
        )
    branches, hidden = _leaves(table, by, max_leaves)
    graph = nx.DiGraph()
    root = "racine"
    graph.add_node(root, label=title, level=0)
    # Balance the two sides by number of leaves (largest branches first).
    sides: dict[str, list[str]] = {"droite": [], "gauche": []}
    load = {"droite": 0, "gauche": 0}
    for b, leaves in branches.items():
        side = "droite" if load["droite"] <= load["gauche"] else "gauche"
        sides[side].append(b)
        load[side] += len(leaves) + 1
    rows = max(load.values())
    pos: dict[str, tuple[float, float]] = {root: (0.0, 0.0)}
    colours: dict[str, str] = {}
    for side, names in sides.items():
        sign = 1 if side == "droite" else -1
        y = rows / 2
        for k, b in enumerate(names):
            leaves = branches[b]
            colour = _PALETTE[list(branches).index(b) % len(_PALETTE)]
            ys = []
            for j, leaf in enumerate(leaves):
                y -= 1
                node = f"{b}/{j}"
                graph.add_node(node, label=leaf, level=2, colour=colour, side=sign)
                graph.add_edge(f"b:{b}", node)
                pos[node] = (sign * 3.0, y)
                ys.append(y)
            y -= 1 if k < len(names) - 1 else 0
            bnode = f"b:{b}"
            graph.add_node(bnode, label=b, level=1, colour=colour, side=sign)
            graph.add_edge(root, bnode)
            pos[bnode] = (sign * 1.9, sum(ys) / len(ys))
            colours[bnode] = colour
    height = max(4.0, 0.32 * rows + 1.2)
    fig = plt.figure(figsize=(18, height))
    ax = fig.add_axes((0.01, 0.04, 0.98, 0.88))
    ax.set_xlim(-7.6, 7.6)
    ax.set_ylim(-rows / 2 - 0.8, rows / 2 + 0.8)
    ax.axis("off")
    for u, v in graph.edges():
        x0, y0 = pos[u]
        x1, y1 = pos[v]
        colour = graph.nodes[v].get("colour", "#555")
        # A smooth S-curve from parent to child (cubic Bézier through the mid x).
        t = [i / 24 for i in range(25)]
        xm = (x0 + x1) / 2
        xs = [(1 - s) ** 3 * x0 + 3 * (1 - s) ** 2 * s * xm + 3 * (1 - s) * s**2 * xm + s**3 * x1
              for s in t]
        ys_ = [(1 - s) ** 3 * y0 + 3 * (1 - s) ** 2 * s * y0 + 3 * (1 - s) * s**2 * y1 + s**3 * y1
               for s in t]
        ax.plot(xs, ys_, color=colour, lw=2.2 if graph.nodes[v]["level"] == 1 else 1.0,
                alpha=0.8, zorder=1)
    for node, data in graph.nodes(data=True):
        x, y = pos[node]
        if data["level"] == 0:
            ax.text(x, y, _short(data["label"], 22), ha="center", va="center", fontsize=12,
                    weight="bold", color="white", zorder=3,
                    bbox={"boxstyle": "round,pad=0.6", "fc": "#2c3e50", "ec": "none"})
        elif data["level"] == 1:
            ax.text(x, y, _short(data["label"], 30), ha="center", va="center", fontsize=9.5,
                    weight="bold", color="white", zorder=3,
                    bbox={"boxstyle": "round,pad=0.35", "fc": data["colour"], "ec": "none"})
        else:
            ha = "left" if data["side"] > 0 else "right"
            ax.text(x + 0.08 * data["side"], y, data["label"], ha=ha, va="center",
                    fontsize=8.5, color="#222", zorder=3)
            ax.plot([x], [y], "o", color=data["colour"], ms=4, zorder=2)
    n_part = table["participant"].nunique()
    caption = f"{pluriel(len(table), 'tâche citée')} par {pluriel(n_part, 'participant')}"
    if source:
        caption += f" · source : {source}"
    ax.set_title(
        f"Top 3 des tâches à confier à l'IA, par {'thème' if by == 'theme' else 'service'}",
        fontsize=13, weight="bold",
    )
    fig.text(0.5, 0.005, caption, ha="center", va="bottom", fontsize=8, color="#555")
    return MindMap(graph=graph, figure=fig, table=table, by=by, hidden=hidden)


def text_overlaps(figure) -> list[tuple[str, str]]:
    """Pairs of visible texts of *figure* whose boxes overlap (used by tests and checks)."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = []
    for ax in figure.axes:
        for t in ax.texts:
            if t.get_visible() and t.get_text():
                patch = t.get_bbox_patch()
                box = (patch.get_window_extent(renderer) if patch is not None
                       else t.get_window_extent(renderer))
                boxes.append((t.get_text(), box))
    pairs = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i][1], boxes[j][1]
            inter_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            inter_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if inter_w > 0.5 and inter_h > 0.5:
                pairs.append((boxes[i][0], boxes[j][0]))
    return pairs

