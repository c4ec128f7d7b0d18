"""Apply French typography (toolkit.fr.typographie) to notebooks and to Python string literals.

Notebooks: every markdown cell (code cells untouched). Python files: every string literal that
is not a docstring, a raw string or bytes; the spaces are written as the characters themselves
(as the rest of the French text: ruff's RUF001 is off for it), so no line grows. The notebooks
of the manifest are also fixed by ``atelier notebooks sync``; this script covers the rest
(exercise sources, widget strings).

Run: .venv/bin/python tools/typographie.py [--check] [PATH ...]
(default: notebooks/, exercises/source/, toolkit/widgets/)
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.fr import typographie, typographie_notebook  # noqa: E402

DEFAULT = ["notebooks", "exercises/source", "toolkit/widgets", "toolkit/course/defi.py",
           "toolkit/course/erreurs.py"]
_PREFIX = re.compile(r"^([rRbBuUfF]*)('''|\"\"\"|'|\")")
_ESCAPED = {"\\u202f": "\u202f", "\\u00a0": "\u00a0", "\\xa0": "\u00a0"}


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                lines.add(body[0].value.lineno)
    return lines


def _fix_fstring(body: str) -> str:
    """Typography for the text of an f-string, its ``{expressions}`` left as they are."""
    held: list[str] = []
    out, i = [], 0
    while i < len(body):
        if body.startswith("{{", i) or body.startswith("}}", i):
            out.append(body[i : i + 2])
            i += 2
        elif body[i] == "{":
            depth, j = 0, i
            while j < len(body):
                depth += {"{": 1, "}": -1}.get(body[j], 0)
                j += 1
                if depth == 0:
                    break
            held.append(body[i:j])
            out.append(f"\x00{len(held) - 1}\x00")
            i = j
        else:
            out.append(body[i])
            i += 1
    fixed = typographie("".join(out))
    return re.sub(r"\x00(\d+)\x00", lambda m: held[int(m.group(1))], fixed)


def _fix_literal(token: str) -> str:
    match = _PREFIX.match(token)
    if not match or set(match.group(1).lower()) & {"r", "b"}:
        return token
    start, quote = match.end(), match.group(2)
    body = token[start : len(token) - len(quote)]
    decoded = body
    for escape, char in _ESCAPED.items():
        decoded = decoded.replace(escape, char)
    is_f = "f" in match.group(1).lower()
    fixed = _fix_fstring(decoded) if is_f else typographie(decoded)
    if fixed == decoded:
        return token
    return token[:start] + fixed + quote


def fix_python(source: str) -> str:
    """``source`` with French typography in its string literals (docstrings left alone)."""
    docstrings = _docstring_lines(ast.parse(source))
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out = []
    for tok in tokens:
        if tok.type == tokenize.STRING and tok.start[0] not in docstrings:
            tok = tok._replace(string=_fix_literal(tok.string))
        out.append(tok)
    fixed = tokenize.untokenize(out)
    ast.parse(fixed)  # never write a file Python cannot read
    return fixed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list files to fix, change none")
    parser.add_argument("paths", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    import nbformat

    changed = []
    for name in args.paths:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if ".ipynb_checkpoints" in path.parts:
                continue
            if path.suffix == ".ipynb":
                nb = nbformat.read(path, as_version=4)
                if typographie_notebook(nb):
                    changed.append(path)
                    if not args.check:
                        nbformat.write(nb, path)
            elif path.suffix == ".py":
                source = path.read_text(encoding="utf-8")
                fixed = fix_python(source)
                if fixed != source:
                    changed.append(path)
                    if not args.check:
                        path.write_text(fixed, encoding="utf-8")
    for path in changed:
        state = 'à corriger' if args.check else 'corrigé'
        sys.stdout.write(f"{state} : {path.relative_to(ROOT)}\n")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
