"""What ``release`` gives participants: French stubs and the « ✅ Vérifier mon travail » footer."""

from __future__ import annotations

import json

from grading_helpers import ASSIGNMENT

from toolkit.grading.release import FOOTER


def test_the_release_ends_with_the_check_button_and_has_no_english_stub(released_course):
    nb = json.loads((released_course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                    .read_text("utf-8"))
    footer = json.loads(FOOTER.read_text("utf-8"))["cells"]
    tail = nb["cells"][-len(footer):]
    assert ["".join(c["source"]) for c in tail] == ["".join(c["source"]) for c in footer]
    assert "bouton_verifier()" in "".join(tail[-1]["source"])
    text = json.dumps(nb, ensure_ascii=False)
    assert "YOUR ANSWER HERE" not in text and "YOUR CODE HERE" not in text
    assert "VOTRE RÉPONSE ICI" in text and "raise NotImplementedError()" in text
