"""The curriculum manifest (``curriculum.yml``) and what is generated from it.

Notebook headers are generated, never typed: the first cell of every course notebook is a
markdown cell tagged ``atelier-header`` whose text comes from the manifest (title, curriculum
version, duration, objectives, level).  :func:`sync_headers` rewrites those cells (safe to
re-run); ``check=True`` only reports stale ones, for tests and CI. Editions (participant,
trainer, hub...) stamp the same header through :mod:`toolkit.publish.pipeline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import ConfigError, InputError
from toolkit.fr import typographie, typographie_notebook

__all__ = [
    "HEADER_TAG",
    "TRAINER_TAG",
    "Agenda",
    "Curriculum",
    "Module",
    "Session",
    "Slot",
    "agenda",
    "apply_header",
    "find_root",
    "format_clock",
    "header_markdown",
    "header_target",
    "load",
    "parse_clock",
    "plot_agenda",
    "schedule",
    "sync_headers",
    "timetable",
]

HEADER_TAG = "atelier-header"
TRAINER_TAG = "animateur"
MANIFEST = "curriculum.yml"


@dataclass(frozen=True)
class Module:
    """One notebook of a session (or a trainer tool)."""

    id: str
    file: str
    title: str
    duration_min: int
    level: int
    objectives: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    session_id: str | None = None
    position: int = 0
    count: int = 0


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    day: str
    duration_min: int
    target_level: int
    objective: str
    modules: tuple[Module, ...] = ()
    #: The break: the module it follows (its id) and its length; 0 means no break.
    break_after: str | None = None
    break_min: int = 0

    @property
    def planned_min(self) -> int:
        """Minutes the session takes: every module plus the break."""
        return sum(m.duration_min for m in self.modules) + self.break_min


@dataclass(frozen=True)
class Curriculum:
    version: str
    title: str
    home: str
    levels: dict[int, str]
    sessions: tuple[Session, ...]
    tools: tuple[Module, ...] = ()
    root: Path = field(default=Path("."))

    def modules(self) -> list[Module]:
        """Every module of every session, then the trainer tools."""
        return [m for s in self.sessions for m in s.modules] + list(self.tools)

    def session(self, session_id: str) -> Session:
        for s in self.sessions:
            if s.id == session_id:
                return s
        known = ", ".join(s.id for s in self.sessions)
        raise ConfigError(
            f"Session « {session_id} » inconnue dans {MANIFEST}.", f"Sessions connues : {known}."
        )

    def by_file(self) -> dict[str, Module]:
        return {m.file: m for m in self.modules()}


def find_root(start: Path | None = None) -> Path:
    """The folder holding ``curriculum.yml``: *start* or one of its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    raise ConfigError(
        f"Fichier {MANIFEST} introuvable dans {here} ni dans ses dossiers parents.",
        "Lancez la commande depuis le dossier du cours (celui qui contient curriculum.yml).",
    )


def _require(data: dict, key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise ConfigError(
            f"{MANIFEST} : le champ « {key} » manque dans {where}.",
            f"Ajoutez « {key}: ... » à {where}.",
        )
    return data[key]


def _module(data: dict, where: str, session_id: str | None, position: int, count: int) -> Module:
    return Module(
        id=str(_require(data, "id", where)),
        file=str(_require(data, "file", where)),
        title=str(_require(data, "title", where)),
        duration_min=int(_require(data, "duration_min", where)),
        level=int(_require(data, "level", where)),
        objectives=tuple(str(o) for o in data.get("objectives") or ()),
        exercises=tuple(str(e) for e in data.get("exercises") or ()),
        session_id=session_id,
        position=position,
        count=count,
    )


def _break(raw: Any, where: str, modules: tuple[Module, ...]) -> dict:
    """The ``break: {after: <module id>, duration_min: n}`` entry of a session, checked."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{MANIFEST}, {where} : « break » doit contenir after et duration_min.",
            "Écrivez par exemple : break: {after: 03-comment-fonctionne-un-llm, duration_min: 15}",
        )
    after = str(_require(raw, "after", f"la pause de {where}"))
    if after not in {m.id for m in modules}:
        raise ConfigError(
            f"{MANIFEST}, {where} : la pause suit le module « {after} », qui n'existe pas.",
            f"Modules de la session : {', '.join(m.id for m in modules)}.",
        )
    return {"break_after": after, "break_min": int(_require(raw, "duration_min", where))}


def load(root: Path | None = None) -> Curriculum:
    """Read and validate ``curriculum.yml`` from *root* (default: found from the cwd)."""
    from toolkit.yamlfile import load_mapping

    root = find_root(root)
    path = root / MANIFEST
    data = load_mapping(path, ConfigError, shown=str(path), not_mapping="est vide ou mal formé.",
                        fix="Corrigez la syntaxe à la ligne indiquée.")
    sessions = []
    for i, s in enumerate(data.get("sessions") or (), start=1):
        where = f"la session n° {i}"
        sid = str(_require(s, "id", where))
        raw_modules = s.get("modules") or []
        modules = tuple(
            _module(m, f"le module n° {j} de la session {sid}", sid, j, len(raw_modules))
            for j, m in enumerate(raw_modules, start=1)
        )
        sessions.append(
            Session(
                id=sid,
                title=str(_require(s, "title", where)),
                day=str(s.get("day", "")),
                duration_min=int(_require(s, "duration_min", where)),
                target_level=int(_require(s, "target_level", where)),
                objective=str(s.get("objective", "")).strip(),
                modules=modules,
                **_break(s.get("break"), f"la session {sid}", modules),
            )
        )
    tools = tuple(
        _module(m, f"l'outil n° {j}", None, j, 0) for j, m in enumerate(data.get("tools") or (), 1)
    )
    levels = {int(k): str(v) for k, v in (data.get("levels") or {}).items()}
    return Curriculum(
        version=str(_require(data, "version", "la racine du fichier")),
        title=str(data.get("title", "Atelier IA")),
        home=str(data.get("home", "notebooks/00-accueil.ipynb")),
        levels=levels,
        sessions=tuple(sessions),
        tools=tools,
        root=root,
    )


def header_markdown(cur: Curriculum, module: Module) -> str:
    """The French header text of a module's notebook."""
    level_name = cur.levels.get(module.level, "")
    lines = [f"# {module.title}", ""]
    if module.session_id:
        session = cur.session(module.session_id)
        lines.append(
            f"**{session.title}** · module {module.position}/{module.count} · "
            f"version du cours {cur.version}"
        )
    else:
        lines.append(f"**Outil de l'animateur** · version du cours {cur.version}")
    lines += [
        "",
        f"⏱ Durée : {module.duration_min} min · 🎯 Niveau : {module.level} ({level_name})",
        "",
    ]
    if module.objectives:
        lines.append("**Objectifs**")
        lines.append("")
        lines += [f"- {o}" for o in module.objectives]
    return "\n".join(lines).rstrip() + "\n"


def home_header_markdown(cur: Curriculum) -> str:
    """Header of the course home page: the sessions and their notebooks."""
    lines = [f"# {cur.title}", "", f"Version du cours : **{cur.version}**", ""]
    for s in cur.sessions:
        lines.append(f"## {s.title} ({s.day}, {s.duration_min // 60} h)")
        lines.append("")
        lines.append(s.objective)
        lines.append("")
        for m in s.modules:
            rel = Path(m.file).relative_to(Path(cur.home).parent).as_posix()
            lines.append(f"{m.position}. [{m.title}]({rel}) — {m.duration_min} min")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _header_cell(nb, text: str):
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = [HEADER_TAG]
    cell.metadata["slideshow"] = {"slide_type": "slide"}
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def apply_header(nb, text: str, meta: dict) -> bool:
    """Put the header cell first and the metadata in place; True when something changed."""
    changed = False
    cells = nb.cells
    idx = next((i for i, c in enumerate(cells) if HEADER_TAG in c.metadata.get("tags", [])), None)
    if idx is None:
        cells.insert(0, _header_cell(nb, text))
        changed = True
    else:
        cell = cells[idx]
        if cell.source != text or idx != 0:
            new = _header_cell(nb, text)
            if "id" in cell:
                new["id"] = cell["id"]
            del cells[idx]
            cells.insert(0, new)
            changed = True
    if nb.metadata.get("atelier") != meta:
        nb.metadata["atelier"] = meta
        changed = True
    return changed


def header_target(cur: Curriculum, rel: str) -> tuple[str, dict] | None:
    """Header text and ``metadata.atelier`` of the notebook at *rel*; None when not listed."""
    if rel == cur.home:
        return typographie(home_header_markdown(cur)), {"id": "00-accueil", "version": cur.version,
                                            "kind": "home"}
    module = cur.by_file().get(rel)
    if module is None:
        return None
    meta = {
        "id": f"{module.session_id or 'outils'}/{module.id}",
        "version": cur.version,
        "kind": "module" if module.session_id else "tool",
        "duration_min": module.duration_min,
        "level": module.level,
    }
    return typographie(header_markdown(cur, module)), meta


def sync_headers(
    root: Path | None = None, *, check: bool = False, strict: bool = False
) -> list[str]:
    """Regenerate the header of every notebook listed in the manifest.

    Returns the notebook paths that were (or, with ``check=True``, would be) changed; a
    notebook listed but missing on disk is returned as ``"<path> (manquant)"``, or raises
    :class:`InputError` when *strict*.
    """
    import nbformat

    cur = load(root)
    changed = []
    for rel in [cur.home] + [m.file for m in cur.modules()]:
        path = cur.root / rel
        if not path.is_file():
            if strict:
                raise InputError(
                    f"Le notebook {rel}, listé dans {MANIFEST}, n'existe pas.",
                    f"Créez-le ou retirez-le de {MANIFEST}.",
                )
            changed.append(f"{rel} (manquant)")
            continue
        nb = nbformat.read(path, as_version=4)
        # Header first (it replaces the first cell), then French typography on every
        # markdown cell, the generated header included.
        target = header_target(cur, rel)  # every manifest notebook has one
        header = apply_header(nb, *target) if target is not None else False
        if typographie_notebook(nb) or header:
            changed.append(rel)
            if not check:
                nbformat.write(nb, path)
    return changed


def parse_clock(start: str) -> int:
    """``"9:00"``, ``"13h30"`` or ``"9 h"`` as minutes after midnight."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*", start or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise InputError(
            f"Heure de début « {start} » illisible.", "Écrivez par exemple 9:00 ou 13h30."
        )
    return int(m.group(1)) * 60 + int(m.group(2) or 0)


def format_clock(minutes: int) -> str:
    """Minutes after midnight in French clock style: ``9 h 05``."""
    return f"{minutes // 60} h {minutes % 60:02d}"


def schedule(session: Session, start: str = "9:00") -> list[tuple[Module, int, int]]:
    """Each module of *session* with its start and end (minutes after midnight), no breaks."""
    t = parse_clock(start)
    out = []
    for m in session.modules:
        out.append((m, t, t + m.duration_min))
        t += m.duration_min
    return out


@dataclass(frozen=True)
class Slot:
    """One line of a session's timetable: a module or the break, with its clock times."""

    label: str
    start: int
    end: int
    module: Module | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


def timetable(session: Session, start: str = "9:00") -> list[Slot]:
    """The session's timetable with its break, from ``curriculum.yml`` (minutes after midnight)."""
    t = parse_clock(start)
    out = []
    for m in session.modules:
        out.append(Slot(f"{m.position}. {m.title}", t, t + m.duration_min, m))
        t += m.duration_min
        if m.id == session.break_after and session.break_min:
            out.append(Slot("Pause", t, t + session.break_min))
            t += session.break_min
    return out


@dataclass(frozen=True)
class Agenda(ShowsStr):
    """A session's timetable that shows itself as a table (HTML in a notebook, text elsewhere)."""

    session: Session
    slots: tuple[Slot, ...]

    @property
    def end(self) -> int:
        return self.slots[-1].end if self.slots else 0

    def __str__(self) -> str:
        lines = [f"{format_clock(s.start):>8}  {s.label} ({s.minutes} min)" for s in self.slots]
        return "\n".join([*lines, f"{format_clock(self.end):>8}  Fin"])

    def _repr_html_(self) -> str:
        from html import escape

        cell = "style='text-align:left;padding:2px 10px'"
        rows = "".join(
            f"<tr><td {cell}>{format_clock(s.start)}</td>"
            f"<td {cell}>{'<i>Pause</i>' if s.module is None else escape(s.label)}</td>"
            f"<td {cell}>{s.minutes}\u00a0min</td></tr>"
            for s in self.slots
        )
        rows += f"<tr><td {cell}>{format_clock(self.end)}</td><td {cell}>Fin</td><td></td></tr>"
        head = "".join(f"<th {cell}>{h}</th>" for h in ("horaire", "module", "durée"))
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def agenda(session_id: str, start: str = "9:00", root: Path | None = None) -> Agenda:
    """The timetable of *session_id* starting at *start*, break included (a table)."""
    session = load(root).session(session_id)
    return Agenda(session, tuple(timetable(session, start)))


def plot_agenda(session_id: str, start: str = "9:00", root: Path | None = None):
    """The session's agenda, break included, as a horizontal timeline (a matplotlib figure)."""
    import matplotlib.pyplot as plt

    cur = load(root)
    session = cur.session(session_id)
    slots = timetable(session, start)
    rows = [(s, s.start, s.end) for s in slots]
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(rows) + 1.2))
    colours = plt.get_cmap("Blues")
    for i, (slot, t0, t1) in enumerate(rows):
        y = len(rows) - 1 - i
        m = slot.module
        colour = "#dddddd" if m is None else colours(0.35 + 0.5 * m.level / 5)
        ax.barh(y, t1 - t0, left=t0, color=colour, edgecolor="white")
        ax.text(t0 + 2, y, f"{slot.label} ({slot.minutes} min)", va="center", fontsize=9)
    ticks = list(range(rows[0][1] - rows[0][1] % 30, rows[-1][2] + 30, 30))
    ax.set_xticks(ticks, [format_clock(t) for t in ticks], fontsize=8)
    ax.set_yticks([])
    ax.set_xlim(rows[0][1], rows[-1][2] + 5)
    ax.set_title(
        f"{session.title} : déroulé ({format_clock(rows[0][1])} – {format_clock(rows[-1][2])})",
        fontsize=11, loc="left",
    )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
