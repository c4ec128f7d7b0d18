"""Build the hostile set: a course whose tests use the ``verifier_*`` helpers, and one
submission per class of attack or oddity, each with its expected outcome.

Used by ``test_grading_hostile.py``; run by hand to get a course to look at::

    python tests/grading/hostile.py /tmp/hostile   # then: atelier grade autograde --course ...
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from make_fixture import nbg as _nbg
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "02-verif"
#: Marker of the escaped processes (no real program sleeps exactly this long).
SLEEP_MARK = "6173"
#: Text of a hidden test: must never reach a participant's output.
HIDDEN_MARK = "controle_cache_k9q"
#: A secret in the grader's environment during the run.
SECRET_NAME, SECRET_VALUE = "OPENAI_API_KEY", "sk-hostile-secret-31415"

GOOD_REPONSE = 'REPONSE = {"role", "format"}'
GOOD_DOUBLE = "def double(x):\n    return 2 * x"
FULL = 4  # points of the automatic tests (2 + 2); the reflection is graded by hand


def build_course(root: Path) -> Path:
    """An nbgrader course with one assignment graded by the toolkit's check helpers."""
    src = root / "source" / ASSIGNMENT
    src.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.course_id = 'atelier-hostile'\n"
        "c.Execute.timeout = 10\nc.Execute.interrupt_on_timeout = True\n"
        "c.Execute.shutdown_kernel = 'immediate'\nc.LimitOutput.max_lines = 200\n",
        encoding="utf-8")
    cells = [
        new_markdown_cell("# Vérifications\n\nRépondez aux deux questions.",
                          metadata=_nbg("intro", locked=True)),
        new_code_cell("from toolkit.prompts.checks import verifier_egal, verifier_fonction",
                      metadata=_nbg("imports", locked=True)),
        new_code_cell("REPONSE = set()\n### BEGIN SOLUTION\n" + GOOD_REPONSE
                      + "\n### END SOLUTION", metadata=_nbg("reponse", solution=True)),
        new_code_cell('verifier_egal(REPONSE, {"role", "format"}, nom="REPONSE")',
                      metadata=_nbg("test_reponse", grade=True, locked=True, points=2)),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
                      "    ### END SOLUTION", metadata=_nbg("double", solution=True)),
        new_code_cell("verifier_fonction(double, [(2, 4), (5, 10)])\n"
                      "### BEGIN HIDDEN TESTS\n"
                      f"verifier_fonction(double, [(-1, -2)], indice={HIDDEN_MARK!r})\n"
                      "### END HIDDEN TESTS",
                      metadata=_nbg("test_double", grade=True, locked=True, points=2)),
        new_markdown_cell("Pourquoi vérifier ?", metadata=_nbg("question", locked=True)),
        new_markdown_cell("Parce qu'un modèle peut se tromper.",
                          metadata=_nbg("reflexion", grade=True, solution=True, points=1)),
    ]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.write(nb, src / f"{ASSIGNMENT}.ipynb")
    return root


@dataclass
class Case:
    """One hostile submission and what must become of it."""

    content: object                # notebook dict, or {file name: content} for several files
    points: float | None = None    # graded with these points...
    reason: str | None = None      # ...or flagged with a reason containing this
    note: str | None = None        # a note the report must carry


def _index(nb, grade_id):
    for i, c in enumerate(nb["cells"]):
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def _filled(release: dict, reponse: str | None = GOOD_REPONSE,
            double: str | None = GOOD_DOUBLE, before: str = "") -> dict:
    nb = copy.deepcopy(release)
    if reponse is not None:
        nb["cells"][_index(nb, "reponse")]["source"] = before + reponse
    elif before:
        cell = nb["cells"][_index(nb, "reponse")]
        cell["source"] = before + "".join(cell["source"])
    if double is not None:
        nb["cells"][_index(nb, "double")]["source"] = double
    return nb


def _attack(release: dict, code: str) -> dict:
    """Empty answers, with ``code`` run in the first answer cell."""
    return _filled(release, reponse=None, double=None, before=code + "\n")


NOOP = "lambda *a, **k: None"

#: Code that rewrites the interpreter the tests run in (each class fakes a pass in the
#: participant's own kernel, whatever the in-kernel guard reloads).
REWRITES = {
    # every later cell, the test cells included, becomes a no-op: IPython runs cells by exec
    "triche_exec": "import builtins\nbuiltins.exec = " + NOOP,
    # IPython's official input transformers turn each test cell into ``pass``
    "triche_transformateur": (
        "get_ipython().input_transformers_cleanup.append(\n"
        "    lambda lignes: ['pass\\n'] if any('verifier' in l for l in lignes) else lignes)"),
    # the shell's run_cell / run_cell_async run ``pass`` instead of a test cell
    "triche_run_cell": (
        "sh = get_ipython()\nvrai_async, vrai = sh.run_cell_async, sh.run_cell\n"
        "async def faux_async(cellule, *a, **k):\n"
        "    if 'verifier' in cellule:\n"
        "        cellule = 'pass'\n"
        "        if k.get('transformed_cell') is not None:\n"
        "            k['transformed_cell'] = 'pass\\n'\n"
        "    return await vrai_async(cellule, *a, **k)\n"
        "sh.run_cell_async = faux_async\n"
        "sh.run_cell = lambda c, *a, **k: vrai('pass' if 'verifier' in c else c, *a, **k)"),
    # failures are never shown: no error output, so nbgrader gives the points
    "triche_traceback": (
        "import sys\nfrom IPython.core.interactiveshell import InteractiveShell\n"
        f"InteractiveShell.showtraceback = get_ipython().showtraceback = {NOOP}\n"
        f"InteractiveShell._showtraceback = {NOOP}\nsys.excepthook = {NOOP}"),
    # the guard's file is read as an empty file, and the helpers are no-ops
    "triche_garde": (
        "import builtins, io\nvrai_open = builtins.open\n"
        "def faux_open(f, *a, **k):\n"
        "    if str(f).endswith('_guard.py'):\n"
        "        return io.BytesIO(b'')\n"
        "    return vrai_open(f, *a, **k)\n"
        f"builtins.open = faux_open\nverifier_egal = verifier_fonction = {NOOP}"),
    # an import hook inside the standard path finder serves a fake checks module
    "triche_import_hook": (
        "import importlib.machinery as m, importlib.util as u\nvrai = m.PathFinder.find_spec\n"
        "class Faux:\n    def create_module(self, spec):\n        return None\n"
        "    def exec_module(self, module):\n"
        f"        module.verifier_egal = module.verifier_fonction = {NOOP}\n"
        "        module.__all__ = ['verifier_egal', 'verifier_fonction']\n"
        "def trouve(nom, chemin=None, cible=None):\n"
        "    if nom == 'toolkit.prompts.checks':\n"
        "        return u.spec_from_loader(nom, Faux())\n"
        "    return vrai(nom, chemin, cible)\n"
        "m.PathFinder.find_spec = trouve\n"
        "from toolkit.prompts.checks import verifier_egal, verifier_fonction"),
}

#: An answer that says it equals anything (``==`` always true): not data, never trusted.
EQUALS_ALL = "class Tout:\n    def __eq__(self, autre):\n        return True\n    __hash__ = object.__hash__\n"


def cases(root: Path, other_course_nb: dict | None = None) -> dict[str, Case]:
    """student id -> Case, built from the course's release (run ``release`` first)."""
    release = json.loads((root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                         .read_text("utf-8"))
    course = str(root)
    renamed = _filled(release)
    renamed["cells"][_index(renamed, "test_double")]["metadata"]["nbgrader"]["grade_id"] = \
        "test_double_renomme"
    renamed["cells"][_index(renamed, "test_double_renomme")]["source"] = "pass"
    corrupted = _filled(release)
    corrupted["cells"][_index(corrupted, "test_reponse")]["metadata"]["nbgrader"]["points"] = \
        "beaucoup"
    broken_meta = _filled(release)  # a test cell turned into a text cell
    cell = broken_meta["cells"][_index(broken_meta, "test_reponse")]
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    stray = _filled(release)  # a cell pasted from elsewhere, nbgrader metadata without an id
    stray["cells"].append({"cell_type": "markdown", "id": "colle", "source": "Réponse collée",
                           "metadata": {"nbgrader": {"grade": True, "solution": False,
                                                     "locked": False, "schema_version": 3}}})
    v3 = json.loads(nbformat.writes(nbformat.convert(
        nbformat.reads(json.dumps(_filled(release)), as_version=4), 3)))
    writes = "\n".join(
        f"try:\n    open({p!r}, 'w').write('planté')\nexcept OSError:\n    pass"
        for p in (f"{course}/planted.txt", f"{course}/source/{ASSIGNMENT}/planted.txt",
                  f"{course}/release/{ASSIGNMENT}/planted.txt",
                  f"{course}/submitted/bon/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
                  f"{course}/autograded/bon/{ASSIGNMENT}/planted.txt",
                  f"{course}/gradebook.db"))
    plant = (f"import os\ntry:\n    os.makedirs({course + '/source/' + ASSIGNMENT + '/toolkit'!r},"
             " exist_ok=True)\n    open("
             f"{course + '/source/' + ASSIGNMENT + '/toolkit/__init__.py'!r}, 'w')"
             ".write('raise SystemExit')\nexcept OSError:\n    pass\n"
             "open('local_file.txt', 'w').write('dans le bac à sable')")
    cases = {
        "bon": Case(_filled(release), points=FULL),
        "vide": Case(copy.deepcopy(release), points=0),
        "faux": Case(_filled(release, reponse="REPONSE = {'role'}",
                             double="def double(x):\n    return x + 2"), points=0),
        # --- tampering with the checks: must score what the empty answer scores ---------
        "triche_globals": Case(_attack(release, f"verifier_egal = verifier_fonction = {NOOP}"),
                               points=0),
        "triche_module": Case(_attack(release, (
            "import toolkit.prompts.checks as m\n"
            f"m.verifier_egal = m.verifier_fonction = {NOOP}\n"
            "from toolkit.prompts.checks import verifier_egal, verifier_fonction")), points=0),
        "triche_builtins": Case(_attack(release, (
            "import builtins\ndel verifier_egal, verifier_fonction\n"
            f"builtins.verifier_egal = builtins.verifier_fonction = {NOOP}")), points=0),
        "triche_sys_modules": Case(_attack(release, (
            "import sys, types\nfaux = types.ModuleType('toolkit.prompts.checks')\n"
            f"faux.verifier_egal = faux.verifier_fonction = {NOOP}\n"
            "sys.modules['toolkit.prompts.checks'] = faux\n"
            "from toolkit.prompts.checks import verifier_egal, verifier_fonction")), points=0),
        "triche_exceptions": Case(_attack(release, (
            f"get_ipython().set_custom_exc((BaseException,), {NOOP})")), points=0),
        **{name: Case(_attack(release, code), points=0) for name, code in REWRITES.items()},
        "triche_egal_a_tout": Case(_filled(release, reponse=EQUALS_ALL + "REPONSE = Tout()",
                                           double=EQUALS_ALL + "def double(x):\n    return Tout()"),
                                   points=0),
        # --- reaching outside the submission -------------------------------------------
        "ecrit_partout": Case(_filled(release, before=writes + "\n"), points=FULL),
        "plante_toolkit": Case(_filled(release, before=plant + "\n"), points=FULL),
        "lit_les_secrets": Case(_filled(release, before=(
            "import os\nprint(dict(os.environ))\n"
            "for p in (" + repr(f"{course}/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb") + ", "
            + repr(f"{course}/gradebook.db") + "):\n"
            "    try:\n        print(open(p, errors='replace').read())\n"
            "    except OSError as e:\n        print('illisible', e)\n")), points=FULL),
        "s_echappe": Case(_filled(release, before=(
            "import subprocess\n"
            f"subprocess.Popen(['sleep', '{SLEEP_MARK}'], start_new_session=True)\n"
            "import os\nif os.fork() == 0:\n    os.setsid()\n"
            f"    os.execvp('sleep', ['sleep', '{SLEEP_MARK}'])\n")), points=FULL),
        "reseau": Case(_filled(release, before=(
            "import socket\ntry:\n"
            "    socket.create_connection(('127.0.0.1', {port}), timeout=2)"
            ".sendall(b'GET /fuite HTTP/1.0\\r\\n\\r\\n')\n"
            "except OSError as e:\n    print('pas de réseau :', e)\n")), points=FULL),
        "memoire": Case(_filled(release, before=(
            "try:\n    gros = bytearray(6 * 1024 ** 3)\nexcept MemoryError:\n"
            "    print('mémoire refusée')\n")), points=FULL),
        "sortie_200_mo": Case(_filled(release, before=(
            "import sys\nfor _ in range(200):\n    sys.stdout.write('x' * 1_000_000)\n")),
            points=FULL, note="sortie tronquée"),
        # --- odd but honest submissions: graded, with a note ---------------------------
        "test_renomme": Case(renamed, points=FULL, note="inconnue de l'exercice"),
        "points_modifies": Case(corrupted, points=FULL, note="remises depuis la version"),
        "cellule_collee": Case(stray, points=FULL, note="sans identifiant"),
        "format_3": Case(v3, points=FULL, note="format 3"),
        "deux_notebooks": Case({"brouillon.ipynb": copy.deepcopy(release),
                                f"{ASSIGNMENT}.ipynb": _filled(release)},
                               points=FULL, note="brouillon.ipynb"),
        # --- unusable: flagged with a reason that names the fix ------------------------
        "metadonnees_corrompues": Case(broken_meta, reason="métadonnées nbgrader invalides"),
    }
    if other_course_nb is not None:
        cases["autre_exercice"] = Case(other_course_nb, reason="pas celui de cet exercice")
    return cases


def submit_all(root: Path, all_cases: dict[str, Case], port: int = 9) -> None:
    for student, case in all_cases.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        files = (case.content if isinstance(case.content, dict) and "cells" not in case.content
                 and "worksheets" not in case.content
                 else {f"{ASSIGNMENT}.ipynb": case.content})
        for i, (name, content) in enumerate(files.items()):
            text = json.dumps(content).replace("{port}", str(port))
            (folder / name).write_text(text, encoding="utf-8")
            stamp = time.time() - 3600 + i * 60  # later files are newer
            os.utime(folder / name, (stamp, stamp))


if __name__ == "__main__":  # pragma: no cover - manual use
    target = Path(sys.argv[1])
    build_course(target)
    from toolkit.grading import release as do_release

    do_release(course=target)
    submit_all(target, cases(target))
    sys.stdout.write(f"Cours hostile prêt : {target}\n")
