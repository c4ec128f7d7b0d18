"""Turn Presidio's recognizer test cases into tests/privacy/presidio/cases.json.

Source: microsoft/presidio, presidio-analyzer/tests/test_{iban,credit_card,email,ip}_recognizer.py
(MIT licence, Copyright (c) Presidio Contributors). The cases are data (text, expected count,
expected spans) read from the ``pytest.mark.parametrize`` lists with ``ast``; no Presidio code
is copied. Run with the path of a Presidio checkout:

    python tests/privacy/presidio/extract_cases.py /path/to/presidio [commit]
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

FILES = {
    "IBAN": "test_iban_recognizer.py",
    "CARD": "test_credit_card_recognizer.py",
    "EMAIL": "test_email_recognizer.py",
    "IP": "test_ip_recognizer.py",
}
OUT = Path(__file__).with_name("cases.json")


def _value(node: ast.AST):
    """Literal value of a node; an f-string without placeholders is its text."""
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(v.value for v in node.values)
    return ast.literal_eval(node)


def _cases(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize"):
                continue
            names = [n.strip() for n in ast.literal_eval(deco.args[0]).split(",")]
            for row in deco.args[1].elts:
                values = dict(zip(names, (_value(v) for v in row.elts), strict=True))
                text = values.get("text", values.get("iban"))
                spans = values.get("expected_positions", values.get("expected_res", ()))
                yield {
                    "test": node.name,
                    "text": text,
                    "expected": values["expected_len"],
                    "spans": [list(s) for s in spans],
                }


def main() -> None:
    root = Path(sys.argv[1])
    commit = sys.argv[2] if len(sys.argv) > 2 else "unknown"
    out = {
        "source": "https://github.com/microsoft/presidio (presidio-analyzer/tests)",
        "commit": commit,
        "licence": "MIT, Copyright (c) Presidio Contributors",
        "cases": [],
    }
    for kind, name in FILES.items():
        for case in _cases(root / "presidio-analyzer" / "tests" / name):
            out["cases"].append({"kind": kind, "file": name, **case})
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out['cases'])} cases -> {OUT}")


if __name__ == "__main__":
    main()
