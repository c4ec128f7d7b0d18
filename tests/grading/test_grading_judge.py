"""The clean judge (``toolkit.grading.judge``): real sandboxed kernels and judges, no mocks.

The grading kernel runs participant code; the judge runs only the trainer's cells and takes
data from the kernel. Each test runs a small notebook through nbgrader's Execute as
autograde does (:class:`~toolkit.grading.execute.GuardedExecute` with the judge) and checks
the verdicts.
"""

from __future__ import annotations

import tempfile
import time

import pytest

from toolkit.grading import sandbox
from toolkit.grading._wire import Unencodable, WireError, decode, encode
from toolkit.grading.judge import plan_for, verdict_outputs

IMPORTS = "from toolkit.prompts.checks import verifier_egal, verifier_fonction"


def _cell(source: str = "", grade_id: str | None = None) -> dict:
    meta = {"nbgrader": {"grade_id": grade_id}} if grade_id else {}
    return {"cell_type": "code", "source": source, "metadata": meta}


def run_judged(cells: list[dict], tests: dict[str, str], trusted: dict[str, str], *,
               timeout: int = 10, limit: int = 120) -> list[dict]:
    """The judge's verdicts for ``cells`` run in a kernel (``tests``/``trusted``: gradebook)."""
    from nbformat.v4 import new_code_cell, new_notebook
    from traitlets.config import Config

    from toolkit.grading.execute import GuardedExecute

    nb = new_notebook(cells=[new_code_cell(c["source"], metadata=c["metadata"]) for c in cells],
                      metadata={"kernelspec": {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}})
    run = GuardedExecute(config=Config({"JudgeTests": {"judge_limit": limit}}),
                         timeout=timeout, judge=True, interrupt_on_timeout=True,
                         allow_errors=True, shutdown_kernel="immediate")
    with tempfile.TemporaryDirectory() as work:
        resources = {"metadata": {"path": work}, "atelier_judge_sources": (tests, trusted)}
        nb, resources = run.preprocess(nb, resources)
    verdicts = resources["judge_verdicts"]
    _, indices = plan_for(cells, tests, trusted, timeout)
    for verdict, i in zip(verdicts, indices, strict=True):  # and they are the cells' outputs
        assert nb.cells[i].outputs == verdict_outputs(verdict)
    return verdicts


def judge(answers: list[str], tests: list[str], *, timeout: int = 10,
          constants: str = "") -> list[dict]:
    """Verdicts for a notebook: locked imports (+ constants), then answer/test pairs."""
    trusted = {"imports": IMPORTS + ("\n" + constants if constants else "")}
    cells = [_cell(trusted["imports"], "imports")]
    tests_by_id = {}
    for i, (answer, test) in enumerate(zip(answers, tests, strict=True)):
        cells += [_cell(answer), _cell("pass  # modifié par le participant", f"t{i}")]
        tests_by_id[f"t{i}"] = test
    return run_judged(cells, tests_by_id, trusted, timeout=timeout)


@pytest.fixture(params=["sandbox", "no-sandbox"])
def mode(request):
    enabled = request.param == "sandbox"
    if enabled and not sandbox.available():
        pytest.skip("bubblewrap (bwrap) absent")
    sandbox.configure(enabled=enabled)
    yield request.param
    sandbox.configure()


# ---- data only across the wire -------------------------------------------------------------
@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, "é", [1, [2, "x"]], (1, (2,)), {"a", ("b", 1)},
    frozenset({1, 2}), {"k": [1, 2], 3: {"n": None}, ("t",): set()}, b"\x00\xff", [],
    {"~t": [1]},  # a dict that looks like a tag stays a dict
])
def test_plain_data_round_trips_with_its_exact_types(value):
    back = decode(encode(value))
    assert back == value and type(back) is type(value)


class _Str(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("value", [_Str("x"), object(), lambda: 1, [1, object()],
                                   {"a": _Str("b")}, type])
def test_anything_but_plain_data_is_refused(value):
    with pytest.raises(Unencodable):
        encode(value)


@pytest.mark.parametrize("data", [{"~x": []}, {"a": 1}, {"~s": [[1]]}, {"~d": [[1]]},
                                  {"~t": 3}, {"~b": "%%%"}, {"a": 1, "b": 2}])
def test_the_judge_decodes_nothing_but_data(data):
    with pytest.raises(WireError):
        decode(data)


# ---- verdicts --------------------------------------------------------------------------------
def test_right_and_wrong_answers_and_functions(mode):
    good, wrong, missing = judge(
        ["R = {'a', 'b'}\ndef double(x):\n    return 2 * x",
         "R = {'a'}\ndef double(x):\n    return x + 2",
         "def double(x):\n    raise NotImplementedError()"],
        ["verifier_egal(R, {'a', 'b'}, nom='R')\nverifier_fonction(double, [(2, 4), (5, 10)])",
         "verifier_fonction(double, [(2, 4), (5, 10)])",
         "verifier_fonction(double, [(2, 4)])"])
    assert good["ok"], good
    assert not wrong["ok"] and "double(5) renvoie 7 au lieu de 10" in wrong["evalue"]
    assert not missing["ok"] and "pas encore écrite" in missing["evalue"]
    assert missing["ename"] == "AssertionError" and missing["line"] == 1


def test_the_trainers_names_win_and_the_judge_never_runs_participant_code(mode):
    tamper = ("import builtins, sys, types\nbuiltins.MARQUE = 1\n"
              "verifier_egal = lambda *a, **k: None\nATTENDU = 'faux'\n"
              "faux = types.ModuleType('toolkit.prompts.checks')\n"
              "sys.modules['toolkit.prompts.checks'] = faux\nR = 'faux'")
    (verdict,) = judge([tamper], [
        "import builtins\nassert not hasattr(builtins, 'MARQUE')\n"
        "verifier_egal(R, ATTENDU, nom='R')"], constants="ATTENDU = 'vrai'")
    assert not verdict["ok"] and "R" in verdict["evalue"] and verdict["line"] == 3


def test_an_object_equal_to_everything_is_not_an_answer(mode):
    tout = "class Tout:\n    def __eq__(self, o):\n        return True\n    __hash__ = None\n"
    by_name, by_call = judge(
        [tout + "R = Tout()", tout + "def f(x):\n    return Tout()"],
        ["verifier_egal(R, {'a'}, nom='R')", "verifier_fonction(f, [(1, 2)])"])
    assert not by_name["ok"] and by_name["ename"] == "NotData"
    assert "n'est pas une valeur simple" in by_name["evalue"]
    assert not by_call["ok"] and "Tout object" in by_call["evalue"]


def test_exceptions_cross_as_their_builtin_class(mode):
    code = ("class MonErreur(ValueError):\n    pass\n"
            "def f(x):\n    if x < 0:\n        raise MonErreur('négatif')\n    return x\n"
            "def g(x):\n    raise KeyError(x)")
    ok, wrong = judge([code, ""], ["verifier_fonction(f, [(1, 1), (-1, ValueError)])",
                                   "verifier_fonction(g, [(1, ValueError)])"])
    assert ok["ok"], ok
    assert not wrong["ok"] and "a levé KeyError" in wrong["evalue"]


def test_each_test_sees_the_answers_as_they_stand_at_its_place(mode):
    first, second = judge(["R = 1", "R = 2"], ["assert R == 1", "assert R == 2"])
    assert first["ok"] and second["ok"], (first, second)


def test_printed_text_and_numbers_become_nbgrader_outputs(mode):
    shown, partial = judge(["R = 'x'", ""], ["print('vu :', R)", "0.5"])
    assert shown["ok"] and shown["stdout"] == "vu : x\n"
    outputs = verdict_outputs(partial)
    assert outputs[0]["output_type"] == "execute_result"
    assert outputs[0]["data"]["text/plain"] == "0.5"


def test_a_function_that_never_returns_fails_its_test_in_bounded_time(mode):
    stubborn = ("import time\ndef f(x):\n    while True:\n        try:\n"
                "            time.sleep(0.2)\n        except BaseException:\n            pass")
    start = time.monotonic()
    looping, after = judge([stubborn, "R = 1"], ["verifier_fonction(f, [(1, 1)])",
                                                  "assert R == 1"], timeout=2)
    assert time.monotonic() - start < 60
    assert not looping["ok"] and "n'a pas répondu à temps" in looping["evalue"]
    assert not after["ok"]  # the kernel is given up: nothing more is trusted


def test_a_failure_output_is_what_nbgrader_scores_zero():
    (error,) = verdict_outputs({"ok": False, "ename": "AssertionError", "evalue": "non",
                                "line": 3})
    assert error["output_type"] == "error"
    assert error["traceback"] == ["Cell In[1], line 3", "AssertionError: non"]


def test_a_judge_past_its_limit_is_a_flag_with_a_french_reason(mode):
    from toolkit.grading.autograde import explain_failure
    from toolkit.grading.judge import JudgeFailed

    # The trainer's own locked cell keeps the judge busy past the notebook's limit.
    slow = "import time\ntime.sleep(60)"
    cells = [_cell("pass", "lent"), _cell("R = 1"), _cell("", "t0")]
    start = time.monotonic()
    with pytest.raises(JudgeFailed) as caught:
        run_judged(cells, {"t0": "assert R == 1"}, {"lent": slow}, limit=3)
    assert time.monotonic() - start < 30
    log = f"Traceback (most recent call last):\ntoolkit.grading.judge.JudgeFailed: {caught.value}"
    reason = explain_failure({"error": "", "log": log}, ["02-verif.ipynb"])
    assert reason.startswith("02-verif.ipynb\u00a0: la correction dans l'interpréteur propre")


def test_sandboxed_kernels_start_without_debugger_nor_history(tmp_path):
    """The light launcher (toolkit.grading._kernel) replaces ipykernel's, and only it."""
    from nbformat.v4 import new_code_cell, new_notebook

    from toolkit.grading.execute import GuardedExecute
    from toolkit.grading.sandbox import light_launcher

    assert light_launcher(["py", "-m", "ipykernel_launcher", "-f", "c.json"]) == [
        "py", "-m", "toolkit.grading._kernel", "-f", "c.json"]
    assert light_launcher(["julia", "kernel.jl", "c.json"]) == ["julia", "kernel.jl", "c.json"]
    if not sandbox.available():
        pytest.skip("bubblewrap (bwrap) absent")
    sandbox.configure(enabled=True)
    try:
        nb = new_notebook(cells=[new_code_cell(
            "import sys\nprint(sys.modules.get('debugpy', 'absent'), "
            "get_ipython().history_manager.enabled, 1 + 1)")],
            metadata={"kernelspec": {"name": "python3", "language": "python",
                                     "display_name": "Python 3"}})
        nb, _ = GuardedExecute(timeout=60, shutdown_kernel="immediate").preprocess(
            nb, {"metadata": {"path": str(tmp_path)}})
    finally:
        sandbox.configure()
    assert nb.cells[0].outputs[0]["text"] == "None False 2\n"
