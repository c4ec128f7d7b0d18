"""The lab's workspace: one edition of the course copied outside the repository, kept up to date.

``atelier lab`` never serves the repository: it serves ``<lab_dir>/<version>/<edition>/``
(``~/atelier-ia/1.2.0/participant/`` by default, ``ATELIER_LAB_DIR`` to move it). The folder
holds the edition built by :func:`toolkit.publish.editions.build_editions` and a manifest,
``.atelier/manifest.json``, with the hash of every cell source as it was shipped. At each start
the freshly built edition is merged into the workspace, cell by cell (cells matched by their
nbformat id):

- a cell the participant did not edit takes the shipped source (a correction reaches them);
- a cell the participant edited, or added, is kept as they left it;
- a cell the participant edited that the course also changed is kept too, and the new
  shipped notebook is written *beside* it (``NN-titre.v1.3.0.ipynb``), so nothing is lost.

A new course version gets its own folder, seeded from the latest older one by the same merge;
the older folder is left untouched. :class:`WorkspaceReport` says, in French, what was done.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from toolkit.course.curriculum import Curriculum
from toolkit.course.curriculum import load as load_curriculum
from toolkit.errors import ConfigError
from toolkit.fr import pluriel

__all__ = [
    "EDITION_FOLDERS",
    "MANIFEST",
    "WorkspaceReport",
    "merge_notebook",
    "prepare_workspace",
    "source_hash",
    "workspace_dir",
]

#: Edition name -> folder name (the folders of ``atelier editions``).
EDITION_FOLDERS = {"trainer": "animateur", "participant": "participant"}
MANIFEST = ".atelier/manifest.json"
DEFAULT_LAB_DIR = "~/atelier-ia"
_SKIP = (".ipynb_checkpoints", "__pycache__", ".atelier", ".jupyter")
#: What nbgrader generates in a course folder (git-ignored in the repository): never copied.
_NBGRADER_GENERATED = ("release", "submitted", "autograded", "feedback", "exchange", "exports",
                       ".atelier", "gradebook.db*", ".ipynb_checkpoints", "__pycache__")


def source_hash(source: str | list[str]) -> str:
    """Hash of a cell source (lists of lines, as Jupyter may save them, count as joined)."""
    text = "".join(source) if isinstance(source, list) else source
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _cell_key(cell: dict, index: int) -> str:
    # nbformat 4.5 ids are stable across saves; an id-less cell is matched by position.
    return cell.get("id") or f"#{index}"


def _cell_hashes(nb: dict) -> dict[str, str]:
    return {_cell_key(c, i): source_hash(c.get("source", "")) for i, c in enumerate(nb["cells"])}


@dataclass
class Merge:
    """Result of merging one notebook: the notebook to write and what happened to its cells."""

    notebook: dict
    updated: int = 0  # cells the participant did not edit that took the shipped source
    kept: int = 0  # cells the participant edited or added, kept as they are
    conflicts: int = 0  # edited cells the course changed too (shipped copy written beside)


def merge_notebook(shipped: dict, mine: dict, manifest: dict[str, str]) -> Merge:
    """Merge the *shipped* notebook into the participant's copy *mine*, cell by cell.

    *manifest* maps each cell id to the hash of its source as shipped last time, which tells
    which cells of *mine* the participant edited. The shipped order is followed; cells the
    participant added (or edited cells the course dropped) stay after the cell they followed.
    Cells the participant deleted, and did not edit before, stay deleted.
    """
    mine_cells = {_cell_key(c, i): c for i, c in enumerate(mine["cells"])}
    mine_order = [_cell_key(c, i) for i, c in enumerate(mine["cells"])]
    out_cells: list[dict] = []
    out_keys: list[str] = []
    placed: set[str] = set()
    result = Merge(notebook={})
    for i, cell in enumerate(shipped["cells"]):
        key = _cell_key(cell, i)
        own = mine_cells.get(key)
        if own is None:
            if key in manifest:
                continue  # deleted by the participant: respected
            out_cells.append(cell)  # a new cell of the course
            out_keys.append(key)
            placed.add(key)
            result.updated += 1
            continue
        placed.add(key)
        out_keys.append(key)
        edited = key in manifest and source_hash(own.get("source", "")) != manifest[key]
        changed = source_hash(cell.get("source", "")) != manifest.get(key)
        if edited or key not in manifest:
            out_cells.append(own)
            result.kept += 1
            if edited and changed and source_hash(own.get("source", "")) != source_hash(
                    cell.get("source", "")):
                result.conflicts += 1
        elif changed:
            out_cells.append(cell)  # untouched by the participant: the correction goes in
            result.updated += 1
        else:
            out_cells.append(own)  # same source: keep their outputs
    # The participant's own cells (added, or edited and dropped by the course) after the
    # cell they followed in their copy.
    for pos, key in enumerate(mine_order):
        if key in placed:
            continue
        own = mine_cells[key]
        if key in manifest and source_hash(own.get("source", "")) == manifest[key]:
            continue  # a shipped cell the course removed, never edited: goes away
        anchor = next((k for k in reversed(mine_order[:pos]) if k in placed), None)
        at = out_keys.index(anchor) + 1 if anchor is not None else 0
        out_cells.insert(at, own)
        out_keys.insert(at, key)
        placed.add(key)
        result.kept += 1
    merged = dict(shipped)
    merged["metadata"] = {**mine.get("metadata", {}), **shipped.get("metadata", {})}
    merged["cells"] = out_cells
    result.notebook = merged
    return result


@dataclass
class WorkspaceReport:
    """What ``atelier lab`` did to the workspace before opening it."""

    path: Path
    version: str
    edition: str
    seeded_from: Path | None = None
    created: bool = False
    copied: list[str] = field(default_factory=list)
    merged: dict[str, Merge] = field(default_factory=dict)
    beside: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        name = "animateur" if self.edition == "trainer" else "participant"
        lines = [f"Espace de travail ({name}, version {self.version}) : {self.path}"]
        if self.seeded_from:
            lines.append(f"  nouvelle version du cours, ajoutée à côté de {self.seeded_from} "
                         "(dossier conservé) ; votre travail y est repris cellule par cellule.")
        elif self.created:
            lines.append("  créé à partir du cours ; les notebooks du dépôt ne sont jamais "
                         "modifiés.")
        updated = {rel: m for rel, m in self.merged.items() if m.updated}
        kept = {rel: m for rel, m in self.merged.items() if m.kept}
        if updated:
            lines.append("  fusion cellule par cellule (cellules que vous n'aviez pas "
                         "modifiées mises à jour) :")
            lines += [f"    {rel} : {pluriel(m.updated, 'cellule mise')} à jour"
                      for rel, m in updated.items()]
        if kept:
            lines.append("  vos modifications conservées :")
            lines += [f"    {rel} : {pluriel(m.kept, 'cellule')} à vous" for rel, m in kept.items()]
        for rel, other in self.beside.items():
            lines.append(f"  ⚠ {rel} : vous avez modifié des cellules que le cours a aussi "
                         f"changées ; la nouvelle version est à côté : {other}")
        if not self.seeded_from and not self.created and not updated and not self.copied:
            lines.append("  déjà à jour ; vos modifications sont intactes.")
        elif self.copied and not self.created and not self.seeded_from:
            copied = pluriel(len(self.copied), "fichier ajouté ou restauré",
                             "fichiers ajoutés ou restaurés")
            lines.append(f"  {copied}.")
        # French typography: a narrow no-break space before : ; ! ?
        return re.sub(r" ([;:!?])", "\u202f\\1", "\n".join(lines))

    def _repr_html_(self) -> str:
        return "<pre>" + escape(str(self)) + "</pre>"


def workspace_dir(edition: str, *, cur: Curriculum | None = None, base: Path | None = None
                  ) -> Path:
    """``<ATELIER_LAB_DIR or ~/atelier-ia>/<version>/<animateur|participant>``."""
    from toolkit.config import settings

    if edition not in EDITION_FOLDERS:
        raise ConfigError(f"Édition « {edition} » inconnue pour le lab.",
                          "Choisissez « trainer » (animateur) ou « participant ».")
    cur = cur or load_curriculum()
    root = Path(base or settings().lab_dir or DEFAULT_LAB_DIR).expanduser()
    return root / cur.version / EDITION_FOLDERS[edition]


def _version_key(name: str) -> tuple:
    # (0, n) for numbers, (1, text) otherwise: "1.10.0" > "1.9.0", and "1.0.0-rc1" compares.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"[.\-]", name))


def _previous_workspace(target: Path) -> Path | None:
    """The newest older version's folder of the same edition, if any."""
    versions = target.parent.parent
    if not versions.is_dir():
        return None
    older = [d / target.name for d in versions.iterdir()
             if d != target.parent and (d / target.name / MANIFEST).is_file()]
    older = [d for d in older if _version_key(d.parent.name) < _version_key(target.parent.name)]
    return max(older, key=lambda d: _version_key(d.parent.name), default=None)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, text: str) -> None:
    """Atomic write, mtime now (never an mtime copied from elsewhere, never in the future)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".atelier-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    now = time.time()
    os.utime(path, (now, now))


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)  # not copy2: the copy is dated now, as a new file
    now = time.time()
    os.utime(dst, (now, now))


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not any(part in _SKIP for part in p.parts))


def _dump(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def prepare_workspace(edition: str = "trainer", *, cur: Curriculum | None = None,
                      target: Path | None = None) -> WorkspaceReport:
    """Create or update the workspace of *edition* (``trainer`` or ``participant``).

    The edition is built from the repository's sources into a temporary folder, then merged
    into *target* (default :func:`workspace_dir`) without overwriting the participant's
    edits; the repository is only read.
    """
    from toolkit.publish.editions import build_editions

    cur = cur or load_curriculum()
    target = Path(target) if target else workspace_dir(edition, cur=cur)
    report = WorkspaceReport(target, cur.version, edition)
    old = target
    if not (target / MANIFEST).is_file():
        previous = _previous_workspace(target)
        if previous is not None:
            old, report.seeded_from = previous, previous
        else:
            report.created = True
    manifest = _read_json(old / MANIFEST) if (old / MANIFEST).is_file() else {}
    old_cells: dict = manifest.get("notebooks", {})
    old_files: dict = manifest.get("files", {})
    new_cells: dict[str, dict[str, str]] = {}
    new_files: dict[str, str] = {}
    new_manifest = {"version": cur.version, "edition": edition, "notebooks": new_cells,
                    "files": new_files}
    with tempfile.TemporaryDirectory(prefix="atelier-edition-") as tmp:
        built = build_editions(tmp, cur=cur)
        if not built.ok:
            raise ConfigError(
                "L'édition du cours contient des éléments réservés à l'animateur :\n"
                + "\n".join(f"  {p}" for p in built.problems),
                "Corrigez les notebooks signalés puis relancez « atelier lab ».")
        shipped_dir = Path(tmp) / EDITION_FOLDERS[edition]
        shutil.copyfile(cur.root / "curriculum.yml", shipped_dir / "curriculum.yml")
        if edition == "trainer" and (cur.root / "exercises").is_dir():
            # The formgrader only works on a course inside the server's root: the trainer's
            # workspace carries its own copy of the nbgrader course (never the repository's).
            shutil.copytree(cur.root / "exercises", shipped_dir / "exercises",
                            ignore=shutil.ignore_patterns(*_NBGRADER_GENERATED))
            if (cur.root / "nbgrader_config.py").is_file():
                shutil.copyfile(cur.root / "nbgrader_config.py",
                                shipped_dir / "nbgrader_config.py")
        for rel in _files(shipped_dir):
            src, dst, prev = shipped_dir / rel, target / rel, old / rel
            if rel.endswith(".ipynb"):
                shipped = _read_json(src)
                new_cells[rel] = _cell_hashes(shipped)
                if rel not in old_cells or not prev.is_file():
                    _write(dst, _dump(shipped))
                    report.copied.append(rel)
                    continue
                merge = merge_notebook(shipped, _read_json(prev), old_cells[rel])
                if merge.conflicts:
                    beside = dst.with_name(f"{dst.stem}.v{cur.version}{dst.suffix}")
                    _write(beside, _dump(shipped))
                    report.beside[rel] = beside.relative_to(target).as_posix()
                if merge.updated or merge.kept:
                    report.merged[rel] = merge
                text = _dump(merge.notebook)
                if prev != dst or text != prev.read_text(encoding="utf-8"):
                    _write(dst, text)
            else:
                digest = _file_hash(src)
                new_files[rel] = digest
                # A support file the participant changed (a data file they edited) is kept.
                mine_changed = prev.is_file() and old_files.get(rel) not in (None,
                                                                              _file_hash(prev))
                if mine_changed:
                    if prev != dst:
                        _copy(prev, dst)
                elif not dst.is_file() or _file_hash(dst) != digest:
                    if rel not in old_files:
                        report.copied.append(rel)
                    _copy(src, dst)
    if report.seeded_from:  # the participant's own files of the older version come along
        for rel in _files(old):
            if not (target / rel).exists() and rel not in old_cells and rel not in old_files:
                _copy(old / rel, target / rel)
    _write(target / MANIFEST, json.dumps(new_manifest, indent=1, sort_keys=True) + "\n")
    return report
