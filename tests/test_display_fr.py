"""What participants see: French numbers, percentages and plurals in every widget and demo.

Each test renders a real display object (text and HTML forms) and looks for the classes of
defect a trainer's review found: an English decimal point (« 82.5 »), a percent sign glued
to its number (« 18.2% »), « (s) » plurals, a Python repr where text is meant.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from toolkit.fr import accord, pluriel

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
NNBSP, NBSP = "\u202f", "\u00a0"

# An English decimal point between digits (« 82.5 », « 0.90 »), and a percent sign with no
# space before it (« 18.2% », « 100% »).
_DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
_GLUED_PERCENT = re.compile(r"\d%")
_BRACKET_PLURAL = re.compile(r"[A-Za-zÀ-ÿ]\((?:s|x|e|es)\)")


def _visible(html: str) -> str:
    """The text of an HTML fragment, without tags, styles and data URIs."""
    return re.sub(r"<[^>]*>", " ", html)


def _french(text: str, where: str) -> None:
    assert not _DECIMAL_POINT.search(text), f"{where}: decimal point in {text!r}"
    assert not _GLUED_PERCENT.search(text), f"{where}: glued percent in {text!r}"
    assert not _BRACKET_PLURAL.search(text), f"{where}: « (s) » plural in {text!r}"


@pytest.fixture(autouse=True)
def _fr_fr(monkeypatch):
    # fr_FR: the thousands separator is a narrow no-break space, easy to tell from a typed one.
    monkeypatch.setenv("ATELIER_LOCALE", "fr_FR")


# --- pluriel / accord ---------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 question répondue"),
    (1, "1 question répondue"),
    (1.5, "1,5 question répondue"),
    (2, "2 questions répondues"),
    (3, "3 questions répondues"),
    (1278, f"1{NNBSP}278 questions répondues"),
])
def test_pluriel_agrees_every_word_with_the_number(n, expected):
    assert pluriel(n, "question répondue") == expected


def test_pluriel_zero_irregular_and_words_only():
    assert pluriel(0, "question répondue", aucun="aucune question répondue") == (
        "aucune question répondue")
    assert pluriel(2, "nouveau compte", "nouveaux comptes") == "2 nouveaux comptes"
    assert pluriel(4, "prix") == "4 prix"  # already ends in s/x/z
    assert accord(1, "Type inconnu") == "Type inconnu"
    assert accord(2, "Type inconnu") == "Types inconnus"


def test_no_bracket_plural_in_toolkit_strings():
    """Every string of toolkit/ shown to people writes real plurals (docstrings aside)."""
    offenders = []
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings and _BRACKET_PLURAL.search(node.value)):
                offenders.append(f"{rel}:{node.lineno} {node.value[:50]!r}")
    assert not offenders, "use toolkit.fr.pluriel / accord: " + ", ".join(offenders)


# --- tables -------------------------------------------------------------------------------------


def test_full_table_writes_numbers_in_french():
    from toolkit.widgets.tables import full_table

    table = full_table([("Trier le courrier", 82.5, 1278, 30.0)],
                       columns=["tâche", "aptitude", "jetons", "minutes"])
    for form in (str(table), _visible(table._repr_html_())):
        _french(form, "full_table")
        assert "82,5" in form and f"1{NNBSP}278" in form and "30" in form
        assert "30,0" not in form


def test_automato_plan_table_is_french():
    from toolkit import tasks
    from toolkit.widgets.tables import plan_table

    plan = tasks.plan(tasks.data_path("inventaire-taches-exemple.csv"), cout_horaire=60)
    table = plan_table(plan)
    _french(_visible(table._repr_html_()), "plan_table html")
    _french(str(table), "plan_table text")


# --- demos --------------------------------------------------------------------------------------


def test_ngram_displays_are_french():
    from toolkit.demos.ngram import NGramModel, TemperatureExplorer

    model = NGramModel.from_corpus(n=2)
    dist = model.next_words("nous vous", temperature=0.7, top=5)
    forms = {
        "NextWords": str(dist), "NextWords html": _visible(dist._repr_html_()),
        "model": str(model), "explorer": str(TemperatureExplorer(model)),
        "samples": str(model.compare_temperatures("nous vous", (0, 0.7, 1.5))),
    }
    for where, text in forms.items():
        _french(text, where)
    assert re.search(rf"\b18,6{NNBSP}%", forms["NextWords"])
    assert "contextes de 1 mots" not in forms["model"]
    assert "de 1 mot." in forms["model"]
    assert "température 0,7" in forms["NextWords"]


def test_ngram_bar_labels_are_french():
    import matplotlib.pyplot as plt

    from toolkit.demos.ngram import NGramModel

    ax = NGramModel.from_corpus(n=2).next_words("nous vous", top=5).plot()
    labels = [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    assert labels and all(label.strip().endswith(f"{NNBSP}%") for label in labels)
    assert not any(_GLUED_PERCENT.search(label) for label in labels)


def test_internals_fallback_shows_words_not_reprs():
    from toolkit.demos import internals

    shown = internals.next_tokens("Nous vous")
    for where, text in (("text", str(shown)), ("html", _visible(shown._repr_html_()))):
        _french(text, where)
        assert "'informons'" not in text and "&#x27;informons&#x27;" not in text
        assert "informons" in text


def test_internals_fallback_draws_apart_per_temperature_and_says_simulated():
    from toolkit.demos import internals

    first = internals.sample("Nous vous", (0, 0.7, 1.5), n=3)
    again = internals.sample("Nous vous", (0, 0.7, 1.5), n=3)
    assert first.texts == again.texts  # deterministic: fixed seeds
    by_t: dict[float, list[str]] = {}
    for t, text in first.texts:
        by_t.setdefault(t, []).append(text)
    assert len(set(by_t[0])) == 1  # T = 0: always the likeliest word
    assert len(set(by_t[0.7])) > 1 and len(set(by_t[1.5])) > 1
    # Not the same draws at two temperatures (the defect: T = 0.7 and T = 1.5 read alike).
    assert by_t[0.7] != by_t[1.5]
    assert "simulé" in first.model and "simulés" in first.note
    # The variety is measured and printed, not promised.
    assert f"T = 0{NBSP}: 1 texte différent sur 3" in first.note
    _french(str(first), "Samplings")
    _french(_visible(first._repr_html_()), "Samplings html")


def test_batch_progress_is_french(capsys):
    from toolkit.demos import automation

    records = [{"titre": f"Note {i}"} for i in range(3)]
    result = automation.run_batch("Résume {titre}", records, simulated="ok", progress=True)
    err = capsys.readouterr().err
    assert "Traitement du lot" in err and "sur 3 éléments" in err
    assert "/s" not in err and "it/s" not in err and "élément/s" not in err
    assert str(result).startswith(f"Lot terminé{NBSP}: 3 éléments traités sur 3.")


def test_batch_tokens_have_thousands_separators():
    from toolkit.demos.automation import BatchResult

    table = pd.DataFrame([{"element": "1", "statut": "ok", "reponse": "x", "jetons": 1278,
                           "cout": 0.0}])
    html = BatchResult(table=table, total=1)._repr_html_()
    assert f"1{NNBSP}278" in html and "1278" not in html


def test_cost_estimate_is_french():
    from toolkit.demos import automation

    records = [{"titre": f"Note {i}"} for i in range(3)]
    text = str(automation.estimate("Résume {titre}", records, completion_tokens=500))
    _french(text, "estimate")
    assert f"1{NNBSP}500 jetons de réponse" in text
    assert " : " not in text and " ; " not in text  # French typography throughout


# --- session 2 tasks: usages ---------------------------------------------------------------------


def _usages() -> pd.DataFrame:
    from toolkit import tasks

    return pd.read_csv(tasks.data_path("tour-de-table-exemple.csv"))


def test_usage_summary_is_french():
    from toolkit import tasks

    summary = tasks.summarise_usages(_usages())
    for where, text in (("text", str(summary)), ("html", _visible(summary._repr_html_()))):
        _french(text, where)


def test_usage_summary_satisfaction_is_never_an_english_decimal():
    from toolkit.tasks.usages import UsageSummary

    summary = UsageSummary(responses=1, participants_files=0, minutes_week=90,
                           satisfaction_median=3.7,
                           by_kind=pd.DataFrame({"usages": [1]}, index=["Rédaction"]),
                           by_service=pd.DataFrame(), problems=[])
    text = str(summary)
    _french(text, "UsageSummary")
    assert "3,7/5" in text and "1 usage partagé" in text and "aucun saisi" in text
    assert "3,7/5" in _visible(summary._repr_html_())


@pytest.mark.parametrize(("origins", "expected"), [
    ({"exemple"}, "données d'exemple"),
    ({"participant"}, "tour de table de la séance"),
    ({"participant", "exemple"}, "tour de table de la séance et données d'exemple"),
])
def test_usage_figure_says_where_its_rows_come_from(origins, expected):
    import matplotlib.pyplot as plt

    from toolkit import tasks

    data = _usages()
    cycle = sorted(origins)
    data["source"] = [cycle[i % len(cycle)] for i in range(len(data))]
    fig = tasks.usage_figure(data)
    texts = [t.get_text() for t in fig.texts]
    plt.close(fig)
    assert f"Source{NBSP}: {expected}" in texts


def test_usage_figure_counts_in_whole_numbers():
    import matplotlib.pyplot as plt

    from toolkit import tasks

    data = _usages().head(3)  # few usages: matplotlib would tick 0.5, 1.0, 1.5...
    fig = tasks.usage_figure(data)
    fig.canvas.draw()
    counts = fig.axes[0].get_xticklabels() + fig.axes[2].get_yticklabels()
    labels = [t.get_text() for t in counts if t.get_text()]
    plt.close(fig)
    assert labels and all(re.fullmatch(r"[−-]?\d[\d\u202f]*", label) for label in labels), labels


# --- privacy, widgets, llm, survey ---------------------------------------------------------------


def test_privacy_confidence_is_a_french_percentage():
    from toolkit.privacy.findings import Finding, highlight_html

    finding = Finding("PERSON", 8, 20, "Marie Dupont", 0.9, "prénom + nom")
    text = str(finding)
    html = highlight_html("Bonjour Marie Dupont", [finding])
    for where, shown in (("str", text), ("title", html)):
        assert "0.90" not in shown and "0,90" not in shown, where
        assert f"confiance 90{NNBSP}%" in shown, where


def test_quiz_score_counts_in_french():
    from toolkit.widgets.quiz import load_quiz

    quiz = load_quiz()
    assert "aucune question répondue" in str(quiz.score({}))
    first = quiz.questions[0]
    assert "(1 question répondue)" in str(quiz.score({first.id: first.answer}))
    three = {q.id: q.answer for q in quiz.questions[:3]}
    assert "(3 questions répondues)" in str(quiz.score(three))


def test_survey_link_names_the_trainer_once():
    from toolkit.widgets.survey_link import survey_link

    link = survey_link("pre")
    assert link._repr_html_().count("animateur·rice") <= 2  # calm sentence + folded heading
    assert _visible(link._repr_html_()).count("Pour l'animateur·rice") == 1
    assert str(link).count("nimateur·rice :") + str(link).count(f"nimateur·rice{NBSP}:") == 1


def test_playground_temperature_and_example_hints():
    from toolkit.widgets.playground import Playground

    text = str(Playground(temperature=0.7))
    assert "0,7" in text and "0.7" not in text
    hint = typing.get_type_hints(Playground.__init__)["exemple"]
    assert list[str] in typing.get_args(hint)


def test_offline_picture_says_the_size_asked_for():
    import toolkit

    picture = toolkit.draw("Un chat roux sur un toit", size="1024x1024")
    text = str(picture)
    assert "1024×1024" in text and "512×512" in text and "simulé" in text
    assert "1024×1024" in picture._repr_mimebundle_()["text/html"]
    same = toolkit.draw("Un chat roux sur un toit", size="512x512")
    assert "demandés" not in str(same) and f"512×512{NBSP}px" in str(same)


def test_instrument_table_shows_french_types():
    from toolkit.survey.instrument import load_instrument

    cells = re.findall(r"<td>([^<]*)</td>", load_instrument()._repr_html_())
    assert "échelle" in cells and "choix" in cells
    assert not {"scale", "choice", "number"} & set(cells)
