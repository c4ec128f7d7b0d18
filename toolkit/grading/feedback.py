"""French HTML feedback for participants that never shows test code (nbgrader issue #917).

nbgrader restores hidden tests into the autograded notebook and its feedback shows them,
in the cell and in the traceback of a failing assert. Here a preprocessor removes both
before the HTML is written, and every generated file is checked against the source's
hidden-test lines; a file that still holds one is deleted and reported. The page is
nbgrader's feedback template in French (``templates/feedback``): each answer with its
points and comment, each check as « ✅ » or one or two French lines (what is wrong, what to
do, the hint), never its code nor a traceback.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.grading._render import block
from toolkit.grading.course import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    Course,
    hidden_lines,
    make_api,
    nbgrader_error_summary,
)
from toolkit.grading.flags import load_flags
from toolkit.prompts.failures import ENGLISH, short_failure

HIDDEN_NOTICE = "# (tests cachés : non affichés)"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"Cell In\[\d+\], line (\d+)")


def _failing_line(traceback: list[str]) -> int | None:
    """1-based line of the cell where the error was raised (IPython's "Cell In[n], line N")."""
    match = _CELL_FRAME.search(_ANSI.sub("", "\n".join(traceback or [])))
    return int(match.group(1)) if match else None


def strip_hidden_from_cell(cell) -> bool:
    """Remove hidden-test regions and what their failure would reveal; True if changed."""
    source = cell.get("source", "")
    if HIDDEN_BEGIN not in source:
        return False
    secret = hidden_lines(source)
    kept, hidden_numbers, inside = [], set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if HIDDEN_BEGIN in line:
            inside = True
            kept.append(HIDDEN_NOTICE)
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            kept.append(line)
        if inside or HIDDEN_END in line:
            hidden_numbers.add(number)
    cell["source"] = "\n".join(kept)
    fragments = secret_fragments(secret)
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            # The traceback quotes the failing line: keep only the exception, and its
            # message only when the failing line is a visible test.
            ename, evalue = output.get("ename", "Erreur"), output.get("evalue", "")
            line = _failing_line(output.get("traceback", []))
            hidden = (line in hidden_numbers if line is not None
                      else any(f in evalue for f in fragments) or evalue not in source)
            if hidden:
                evalue = "un test caché a échoué"
            elif not evalue.strip():
                evalue = "un test a échoué"
            output["evalue"] = evalue
            output["traceback"] = [f"{ename}: {evalue}"]
        elif output.get("output_type") == "stream":
            text = output.get("text", "")
            output["text"] = "\n".join(
                ln for ln in text.split("\n")
                if not any(f in ln or (len(ln.strip()) >= 6 and ln.strip() in f)
                           for f in fragments))
    return True


TEMPLATES = Path(__file__).with_name("templates")


def french_verdict(cell) -> None:
    """Replace a test cell's code and outputs by its verdict in French (never test code)."""
    from nbformat.v4 import new_output

    meta = cell.get("metadata", {}).get("nbgrader", {})
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        lines = short_failure(errors[0].get("ename", ""), errors[0].get("evalue", ""))
        body = (f"<p style='color:#b3261e'><b>✗ {html.escape(lines[0])}</b></p>"
                + "".join(f"<p>→ {html.escape(ln)}</p>" for ln in lines[1:]))
    elif meta.get("score") is not None and meta.get("points") and \
            float(meta["score"]) < float(meta["points"]):
        body = "<p style='color:#8a6d00'><b>Vérification réussie en partie.</b></p>"
    else:
        body = "<p style='color:#1a7f37'><b>✅ Vérification réussie.</b></p>"
    cell["source"] = ""
    cell["outputs"] = [new_output("display_data", data={"text/html": body})]


def _french_comment(cell) -> None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    comment = meta.get("comment")
    if comment:
        meta["comment"] = ENGLISH.get(comment.strip(), comment)


def _preprocessor_class():
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool

    class StripHiddenTests(Preprocessor):
        """Remove hidden tests and their tracebacks from autograded notebooks before HTML,
        then show each test cell as its French verdict."""

        enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

        def preprocess_cell(self, cell, resources, index):
            strip_hidden_from_cell(cell)
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
                french_verdict(cell)
            else:  # the participant's own cells: their errors in French, without traceback
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        output["traceback"] = short_failure(output.get("ename", ""),
                                                            output.get("evalue", ""))
            _french_comment(cell)
            return cell, resources

    return StripHiddenTests


def html_text(page: str) -> str:
    """Visible text of an HTML page (tags removed, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _string_literals(line: str) -> list[str]:
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [m.group(2) for m in re.finditer(r"([\"'])((?:(?!\1).){15,})\1", line)]
    out = []
    for tok in tokens:
        if tok.type == tokenize.STRING:
            body = re.sub(r"^[rbfuRBFU]*", "", tok.string)
            out.append(body.strip("\"'"))
    return out


def secret_fragments(secret_lines: list[str]) -> list[str]:
    """Hidden-test lines plus their messages: string literals of 15+ characters with a space.

    Short literals ("comptable") are left out: a participant may well write them.
    """
    literals = [lit for line in secret_lines for lit in _string_literals(line)
                if len(lit) >= 15 and " " in lit]
    return sorted(set(secret_lines) | set(literals))


def find_leaks(page: str, fragments: list[str]) -> list[str]:
    """The hidden-test ``fragments`` that appear in the visible text of ``page``."""
    text = html_text(page)
    return [frag for frag in fragments if frag in text]


def _hidden_fragments(course: Course, assignment: str) -> list[str]:
    """Fragments to look for, minus any that also appear outside hidden regions."""
    visible = []
    for path in course.source_notebooks(assignment):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            inside = False
            for line in src.splitlines():
                if HIDDEN_BEGIN in line:
                    inside = True
                elif HIDDEN_END in line:
                    inside = False
                elif not inside:
                    visible.append(line)
    visible_text = "\n".join(visible)
    return [f for f in secret_fragments(course.hidden_test_lines(assignment))
            if f not in visible_text]


@dataclass
class FeedbackReport:
    """Feedback files written, submissions skipped (flagged) and failures."""

    written: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"Retours HTML générés : {len(self.written)} (tests cachés retirés et vérifiés)"]
        lines += [f"  – {k} : non généré ({v})" for k, v in self.skipped.items()]
        lines += [f"  ✗ {k} : {v}" for k, v in self.failed.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return block(str(self).splitlines()[0], str(self).splitlines()[1:])


def generate_feedback(assignment: str | None = None, *, course: Course | str | None = None,
                      students: list[str] | None = None) -> FeedbackReport:
    """Write ``feedback/<student>/<assignment>/*.html`` for every autograded submission."""
    course = course if isinstance(course, Course) else Course.open(course)
    names = [course.check_assignment(assignment)] if assignment else course.assignments()
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    api = make_api(course, {
        "GenerateFeedback.preprocessors": [GetGrades, _preprocessor_class(),
                                           CSSHTMLHeaderPreprocessor],
        # Our "feedback" template (French) in place of nbgrader's of the same name.
        "HTMLExporter.extra_template_basedirs": [str(TEMPLATES)]})
    flags = load_flags(course.flags_path)
    report = FeedbackReport()
    autograded = course.root / "autograded"
    for a in names:
        secret = _hidden_fragments(course, a)
        candidates = {p.parent.name for p in autograded.glob(f"*/{a}") if p.is_dir()}
        for student in sorted(candidates | set(flags.get(a, {}))):
            key = f"{student}/{a}"
            if students and student not in students:
                continue
            if student in flags.get(a, {}):
                report.skipped[key] = "rendu signalé : " + flags[a][student]["reason"]
                # an older feedback would describe a submission that no longer stands
                shutil.rmtree(course.root / "feedback" / student / a, ignore_errors=True)
                continue
            result = api.generate_feedback(a, student, force=True)
            if not result.get("success"):
                report.failed[key] = nbgrader_error_summary(result)
                continue
            for page in sorted((course.root / "feedback" / student / a).glob("*.html")):
                leaks = find_leaks(page.read_text(encoding="utf-8"), secret)
                if leaks:
                    page.unlink()
                    report.failed[key] = (f"{page.name} contenait un test caché : fichier "
                                          "supprimé")
                else:
                    report.written.append(str(page.relative_to(course.root)))
    return report
