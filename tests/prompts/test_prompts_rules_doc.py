"""RULES.md documents every detection rule and the weights actually used."""

from __future__ import annotations

from pathlib import Path

import toolkit.prompts
from toolkit.prompts import WEIGHTS
from toolkit.prompts.rules import RULES

DOC = Path(toolkit.prompts.__file__).with_name("RULES.md").read_text(encoding="utf-8")


def test_every_rule_is_documented():
    missing = [rule.name for rules in RULES.values() for rule in rules if rule.name not in DOC]
    assert missing == []


def test_weights_in_the_doc_match_the_code():
    row = "| " + " | ".join(str(WEIGHTS[k]) for k in WEIGHTS) + " |"
    assert row in DOC


def test_docstring_mentions_the_rules_file():
    from toolkit.prompts import analysis

    assert "RULES.md" in analysis.__doc__
    assert analysis.analyse.__doc__
