"""Hidden tests are stripped from feedback cells, and the leak detector catches what is left."""

from __future__ import annotations

from toolkit.grading.feedback import find_leaks, secret_fragments, strip_hidden_from_cell

SOURCE = ('verifier(PROMPT, exige=["role"])\n'
          "### BEGIN HIDDEN TESTS\n"
          'assert carre(-7) == 49, "le message du test caché"\n'
          "### END HIDDEN TESTS")


def _cell(evalue, line):
    # IPython 8 tracebacks name the cell line: "Cell In[3], line 3" (with ANSI colours)
    return {"cell_type": "code", "source": SOURCE, "metadata": {}, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "ok\nassert carre(-7) == 49\n"},
        {"output_type": "error", "ename": "AssertionError", "evalue": evalue,
         "traceback": ["Traceback", f"\x1b[0;32mCell In[3], line {line}\x1b[0m",
                       'assert carre(-7) == 49, "le message du test caché"']},
    ]}


def test_hidden_region_traceback_and_message_are_removed():
    cell = _cell("le message du test caché", 3)
    assert strip_hidden_from_cell(cell)
    assert "carre(-7)" not in cell["source"]
    assert cell["source"].startswith("verifier(PROMPT")
    error = cell["outputs"][1]
    assert error["evalue"] == "un test caché a échoué"
    assert error["traceback"] == ["AssertionError: un test caché a échoué"]
    assert "carre(-7)" not in cell["outputs"][0]["text"]


def test_visible_test_message_is_kept_even_if_generated():
    cell = _cell("Il manque le rôle : commencez par « Tu es… ».", 1)
    strip_hidden_from_cell(cell)
    assert cell["outputs"][1]["evalue"] == "Il manque le rôle : commencez par « Tu es… »."


def test_hidden_failure_without_line_number_is_hidden():
    cell = _cell("le message du test caché", 3)
    cell["outputs"][1]["traceback"] = []
    strip_hidden_from_cell(cell)
    assert cell["outputs"][1]["evalue"] == "un test caché a échoué"


def test_cell_without_hidden_tests_is_untouched():
    cell = {"cell_type": "code", "source": "assert True", "outputs": [], "metadata": {}}
    assert not strip_hidden_from_cell(cell)


def test_leak_detector_sees_through_highlighting_and_entities():
    fragments = secret_fragments(['assert carre(-7) == 49, "le message du test caché"',
                                  'verifier_contient(PROMPT, ["comptable"])'])
    assert "le message du test caché" in fragments
    assert "comptable" not in fragments  # too short: a participant may write it
    page = ('<pre><span class="k">assert</span> carre(<span>-7</span>) == 49, '
            '<span class="s2">&quot;le message du test cach&eacute;&quot;</span></pre>')
    assert find_leaks(page, fragments)
    assert find_leaks("<p>Bravo</p>", fragments) == []
