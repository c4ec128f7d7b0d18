"""Check a submitted notebook before nbgrader sees it, and repair what can be repaired.

nbgrader fails a whole run on a file that is not JSON, and silently gives 0 when test cells
were deleted or their metadata stripped. Here unreadable files are flagged with a French
reason, and missing test cells are put back from the release (nbgrader then restores their
hidden tests from the gradebook), so the participant is graded with the source tests.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PrecheckResult:
    """``ok`` False means the submission must not be graded (``reason`` says why)."""

    ok: bool
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    repaired: dict | None = None  # repaired notebook JSON, when something was changed


def _nbgrader(cell: dict) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _grade_id(cell: dict) -> str | None:
    return _nbgrader(cell).get("grade_id")


def _is_restorable(meta: dict) -> bool:
    """Test cells and locked read-only cells come from the source; answers never do."""
    return not meta.get("solution") and bool(meta.get("grade") or meta.get("locked"))


def read_notebook_json(path: Path) -> tuple[dict | None, str]:
    """Parsed notebook JSON, or None and the French reason it is unusable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"fichier illisible ({exc.strerror})"
    if not data.strip():
        return None, "fichier vide (0 octet)"
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "ce n'est pas un notebook : fichier binaire ou encodage inconnu"
    except json.JSONDecodeError as exc:
        return None, f"ce n'est pas un notebook : JSON invalide (ligne {exc.lineno})"
    if isinstance(nb, dict) and nb.get("nbformat") == 3 and isinstance(nb.get("worksheets"), list):
        return nb, ""  # upgraded by nbformat's own converter in precheck()
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "ce n'est pas un notebook : pas de liste de cellules"
    return nb, ""


def precheck(path: Path, release_path: Path | None) -> PrecheckResult:
    """Validate ``path`` and, given the release notebook, restore missing nbgrader cells."""
    import nbformat

    nb, reason = read_notebook_json(path)
    if nb is None:
        return PrecheckResult(False, reason)
    version = nb.get("nbformat")
    try:
        # as_version=4 runs nbformat's converter on older notebooks (format 3).
        node = nbformat.reads(json.dumps(nb), as_version=4)
        nbformat.validate(node)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several unrelated types
        return PrecheckResult(False, f"notebook mal formé : {str(exc).splitlines()[0][:160]}")
    nb = json.loads(nbformat.writes(node))
    upgraded = version != 4
    upgrade_note = [f"notebook au format {version} converti au format 4 (convertisseur de "
                    "nbformat) puis corrigé"] if upgraded else []
    cells = nb["cells"]
    if not any(str(c.get("source", "")).strip() for c in cells):
        return PrecheckResult(False, "notebook vide : aucune cellule remplie")
    if release_path is None or not release_path.exists():
        return PrecheckResult(True, notes=upgrade_note, repaired=nb if upgraded else None)
    release = json.loads(release_path.read_text(encoding="utf-8"))
    graded_ids = {_grade_id(c) for c in release["cells"] if _is_answer_or_test(c)} - {None}
    own = {_grade_id(c) for c in cells if _is_answer_or_test(c)} - {None}
    unknown = own - graded_ids
    # Most of the answers and tests belong elsewhere: a notebook of another exercise.
    if unknown and len(own & graded_ids) * 2 < len(graded_ids) and len(unknown) >= len(
            own & graded_ids):
        shown = ", ".join(sorted(str(u) for u in unknown)[:3])
        return PrecheckResult(False, "ce notebook n'est pas celui de cet exercice : ses "
                                     f"questions ({shown}…) n'en font pas partie ; demandez au "
                                     "participant de rendre le bon notebook")
    result = _repair(nb, release["cells"])
    problem = _invalid_metadata(result.repaired or nb)
    if problem:
        return PrecheckResult(False, problem, notes=result.notes)
    result.notes[:0] = upgrade_note
    if upgraded and result.repaired is None:
        result.repaired = nb
    return result


def _is_answer_or_test(cell: dict) -> bool:
    meta = _nbgrader(cell)
    return bool(meta.get("grade") or meta.get("solution"))


def _invalid_metadata(nb: dict) -> str:
    """French reason when nbgrader's own validator rejects the notebook's metadata, else ""."""
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    node = nbformat.from_dict(nb)
    for index, cell in enumerate(node.cells):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        try:
            MetadataValidator().validate_cell(cell)
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            gid = _nbgrader(cell).get("grade_id")
            where = f"« {gid} »" if gid else f"n° {index + 1}"
            return (f"métadonnées nbgrader invalides dans la cellule {where} ; repartez de la "
                    "version distribuée du notebook et recopiez-y les réponses (détail "
                    f"nbgrader : « {str(exc).splitlines()[0][:160]} »)")
    return ""


def _restore_known_metadata(cells: list[dict], ref_cells: list[dict]) -> list[str]:
    """Cells whose grade id is the release's get the release's nbgrader metadata back
    (points, type, lock): those are the trainer's, a submission cannot change them."""
    ref = {_grade_id(c): c for c in ref_cells if _grade_id(c)}
    fixed = []
    for cell in cells:
        gid = _grade_id(cell)
        if gid in ref and cell.get("cell_type") == ref[gid].get("cell_type"):
            expected = _nbgrader(ref[gid])
            mine = _nbgrader(cell)
            keys = ("grade", "solution", "locked", "points", "task", "schema_version")
            if any(mine.get(k) != expected.get(k) for k in keys):
                cell["metadata"]["nbgrader"] = {**mine, **{k: expected[k] for k in keys
                                                           if k in expected}}
                for k in keys:
                    if k not in expected:
                        cell["metadata"]["nbgrader"].pop(k, None)
                fixed.append(str(gid))
    return fixed


def _repair(nb: dict, ref_cells: list[dict]) -> PrecheckResult:
    cells = nb["cells"]
    notes: list[str] = []
    changed = False
    fixed = _restore_known_metadata(cells, ref_cells)
    if fixed:
        notes.append("métadonnées nbgrader modifiées, remises depuis la version distribuée : "
                     + ", ".join(fixed))
        changed = True
    ref_ids = [_grade_id(c) for c in ref_cells]
    # Duplicate grade ids (a copied cell) make nbgrader fail: keep the first one.
    seen: set[str] = set()
    for cell in cells:
        gid = _grade_id(cell)
        if gid and gid in seen:
            del cell["metadata"]["nbgrader"]
            notes.append(f"cellule « {gid} » en double : la copie n'est pas notée")
            changed = True
        elif gid is None and _is_answer_or_test(cell):
            # Graded metadata without an id (pasted from elsewhere): nbgrader would reject
            # the whole notebook; a cell the release does not have cannot count anyway.
            del cell["metadata"]["nbgrader"]
            notes.append("cellule notée sans identifiant (collée d'un autre notebook ?) : "
                         "ignorée pour la note")
            changed = True
        elif gid and gid not in ref_ids:
            # Renamed or invented grade id: nbgrader would fail on a cell it does not know.
            del cell["metadata"]["nbgrader"]
            notes.append(f"cellule « {gid} » inconnue de l'exercice (renommée ?) : "
                         "ignorée pour la note")
            changed = True
        elif gid:
            seen.add(gid)
    missing = [g for g in ref_ids if g and g not in seen]
    # Metadata stripped (another editor, a copy-paste into a new notebook) but the same
    # structure: give each cell back the metadata of the release cell at the same place.
    if missing and len(cells) == len(ref_cells) and all(
        c.get("cell_type") == r.get("cell_type") for c, r in zip(cells, ref_cells, strict=True)
    ):
        recovered = []
        for cell, ref in zip(cells, ref_cells, strict=True):
            gid = _grade_id(ref)
            if gid in missing and not _grade_id(cell):
                cell.setdefault("metadata", {})["nbgrader"] = copy.deepcopy(_nbgrader(ref))
                recovered.append(gid)
        if recovered:
            notes.append("métadonnées nbgrader retrouvées par position : " + ", ".join(recovered))
            changed = True
            seen.update(recovered)
            missing = [g for g in missing if g not in seen]
    restored, absent_answers = [], []
    for index, ref in enumerate(ref_cells):
        gid = ref_ids[index]
        if gid not in missing:
            continue
        meta = _nbgrader(ref)
        if meta.get("solution"):
            if meta.get("grade"):
                absent_answers.append(gid)
                _insert_after_anchor(cells, ref_ids, index, copy.deepcopy(ref))
                changed = True
            continue
        if _is_restorable(meta):
            _insert_after_anchor(cells, ref_ids, index, copy.deepcopy(ref))
            restored.append(gid)
            changed = True
    if restored:
        notes.append("cellules de test supprimées, restaurées depuis la source : "
                     + ", ".join(restored))
    if absent_answers:
        notes.append("réponses à corriger à la main introuvables (cellule vide remise) : "
                     + ", ".join(absent_answers))
    if changed:
        _unique_cell_ids(cells)
    return PrecheckResult(True, notes=notes, repaired=nb if changed else None)


def _unique_cell_ids(cells: list[dict]) -> None:
    """A cell put back from the release may carry the id of a cell still in the submission
    (a renamed test cell): give the later copy a fresh id, as nbformat requires."""
    from nbformat.corpus.words import generate_corpus_id

    seen: set[str] = set()
    for cell in cells:
        cid = cell.get("id")
        if cid is None:
            continue
        while cid in seen:
            cid = generate_corpus_id()
        cell["id"] = cid
        seen.add(cid)


def _insert_after_anchor(cells: list[dict], ref_ids: list, index: int, cell: dict) -> None:
    """Insert ``cell`` after the submission cell matching its nearest earlier release cell."""
    position = {(_grade_id(c)): i for i, c in enumerate(cells) if _grade_id(c)}
    for earlier in reversed(ref_ids[:index]):
        if earlier in position:
            cells.insert(position[earlier] + 1, cell)
            return
    later = [position[g] for g in ref_ids[index + 1:] if g in position]
    cells.insert(min(later) if later else len(cells), cell)
