"""The exercise names, read from their single source: the `exercises` lists of curriculum.yml."""

from pathlib import Path

from toolkit.course.curriculum import load

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted({ex for m in load(ROOT).modules() for ex in m.exercises})
