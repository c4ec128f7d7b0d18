"""The confirm-then-run sandbox: nothing runs unconfirmed; errors and time-outs are shown;
code runs in bubblewrap (no file written outside, no grader variable, no network)."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.demos import codeinterp
from toolkit.demos.codeinterp import check_code, extract_code, run_code


@pytest.fixture
def budget():
    return pd.DataFrame({"annee": [2023, 2023, 2024], "montant": [10, 20, 40]})


def test_nothing_runs_without_confirmation(budget, tmp_path):
    marker = tmp_path / "ran.txt"
    result = run_code(f"print('x')\nopen({str(marker)!r}, 'w')", {"df": budget})
    assert result.status == "non_confirme"
    assert "non exécuté" in result.message
    assert not marker.exists()


def test_result_stdout_and_last_expression(budget):
    result = run_code("print('bonjour')\ndf.groupby('annee').montant.sum()", {"df": budget},
                      confirm=True)
    assert result.ok, result.message
    assert result.stdout.strip() == "bonjour"
    assert result.value.to_dict() == {2023: 30, 2024: 40}


def test_resultat_variable_and_figure(budget):
    code = "ax = df.plot.bar(x='annee', y='montant')\nresultat = df.montant.mean()"
    result = run_code(code, {"df": budget}, confirm=True)
    assert result.ok, result.message
    assert result.value == pytest.approx(70 / 3)
    assert len(result.figures) == 1
    assert result.figures[0][:4] == b"\x89PNG"
    assert "<img" in result._repr_html_()


def test_error_is_shown_in_french_with_line(budget):
    result = run_code("x = 1\ndf['inexistante']", {"df": budget}, confirm=True)
    assert result.status == "erreur"
    assert result.error_type == "KeyError"
    assert result.line == 2
    assert "ligne 2" in result.message
    assert "colonne" in result.message


def test_endless_loop_is_stopped():
    result = run_code("while True:\n    pass", {}, confirm=True, timeout=1.5)
    assert result.status == "delai"
    assert "1.5 s" in result.message
    # Timed by the child after its imports (so a loaded machine does not eat the limit).
    assert result.duration >= 1.5


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("import os\nos.listdir('.')", "import de « os »"),
        ("open('/etc/passwd').read()", "« open »"),
        ("df.to_csv('fuite.csv')", "« .to_csv »"),
        ("(1).__class__.__bases__", "« .__class__ »"),
        ("pd.read_csv('x.csv')", "« .read_csv »"),
        ("np.save('x.npy', df.values)", "« .save »"),
        ("import matplotlib\nmatplotlib.os.remove('x')", "« .os »"),
    ],
)
def test_dangerous_code_is_refused_before_running(budget, code, reason):
    result = run_code(code, {"df": budget}, confirm=True)
    assert result.status == "refuse"
    assert reason in result.message


def test_runtime_import_guard():
    # __import__ is not a name the static check can always see (e.g. via a string): the
    # restricted built-ins refuse it at run time as well.
    result = run_code("import math\nmath.sqrt(16)", {}, confirm=True)
    assert result.ok
    assert result.value == 4.0


def test_syntax_error_is_reported_not_raised():
    assert check_code("def f(:\n  pass")[0].startswith("Le code n'est pas du Python valide")
    result = run_code("def f(:\n  pass", {}, confirm=True)
    assert result.status == "refuse"


def test_extract_code_and_empty():
    text = "Voici :\n```python\nx = 1\n```\net\n```\ny = 2\n```\nFin."
    assert extract_code(text) == "x = 1\n\ny = 2"
    assert extract_code("[Simulation] pas de code") == ""
    assert extract_code("```Python\r\nz = 3\r\n```") == "z = 3"
    assert extract_code('```json\n{"a": 1}\n```') == ""
    assert run_code("", {}, confirm=True).status == "vide"


def test_propose_offline_uses_simulated_code(budget, monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    proposal = codeinterp.propose(
        "Total par année ?", budget,
        simulated="```python\nresultat = df.groupby('annee').montant.sum()\n```",
    )
    assert proposal.code == "resultat = df.groupby('annee').montant.sum()"
    assert proposal.result is None  # proposing never runs anything
    assert proposal.run().status == "non_confirme"
    assert proposal.run(confirm=True).value.to_dict() == {2023: 30, 2024: 40}
    assert "Relisez" in str(proposal)
    bundle = proposal.review()._repr_mimebundle_()
    assert "confirm=True" in bundle["text/plain"]


needs_bwrap = pytest.mark.skipif(not __import__("toolkit.grading.sandbox", fromlist=["x"])
                                 .available(), reason="bubblewrap (bwrap) absent")


@needs_bwrap
@pytest.mark.parametrize("writer", [
    # Both passed the old deny-list and wrote files.
    "plt.imsave({path!r}, np.zeros((2, 2)))",
    "m = np.lib.format.open_memmap({path!r}, mode='w+', shape=(3,))\nm[:] = 1\nm.flush()",
])
def test_files_written_by_the_code_never_reach_the_disk(writer, tmp_path):
    for target in (tmp_path / "fuite.npy", __import__("pathlib").Path.cwd() / "fuite.npy"):
        result = run_code(writer.format(path=str(target)), {}, confirm=True, timeout=20)
        assert result.status in ("ok", "erreur"), result.message
        assert not target.exists()


@needs_bwrap
def test_grader_variables_and_network_do_not_reach_the_code(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-du-formateur")
    assert run_code("resultat = 1 + 1", {}, confirm=True, timeout=20).value == 2
    # The restricted built-ins hide os; with them bypassed the sandbox still holds:
    from toolkit.grading import sandbox

    done = sandbox.run([__import__("sys").executable, "-c",
                        "import os, socket\nprint(sorted(os.environ))\n"
                        "s = socket.socket()\ntry:\n    s.connect(('1.1.1.1', 80))\n"
                        "except OSError as e:\n    print('réseau', e.errno)"], timeout=60)
    out = done.stdout.decode()
    assert "OPENAI_API_KEY" not in out and "sk-secret" not in out
    assert "réseau" in out


def test_without_bubblewrap_the_code_is_refused_in_french(monkeypatch, budget):
    from toolkit.grading import sandbox

    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    result = run_code("df.montant.sum()", {"df": budget}, confirm=True)
    assert result.status == "refuse"
    assert "bubblewrap" in result.message
