"""axe-core over every generated page: no serious or critical accessibility violation.

axe-core (npm, ``tools/a11y``, installed by ``tools/browser-deps.sh``) is injected with
Playwright into Debian's chromium on pages served from 127.0.0.1: the attestation, the
attendance sheet and the Qualiopi evidence (``atelier preuves``), the survey report, the
participant handouts (``atelier editions --html``) and a session's slide deck.  The counts
by impact are written to ``test-artifacts/<test>/axe.json`` for the record.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def unavailable(reason: str):
    """Skip locally; fail in CI, where the browser tests must run (as in conftest.py)."""
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"Tests d'accessibilité impossibles en CI : {reason}.", pytrace=False)
    pytest.skip(reason)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "tools" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SURVEY = ROOT / "toolkit" / "data" / "survey"
ROSTER = ROOT / "toolkit" / "data" / "preuves" / "exemple-participants.csv"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        unavailable("axe-core absent (tools/a11y/node_modules) : bash tools/browser-deps.sh")
    return AXE.read_text(encoding="utf-8")


def audit(new_page, url: str, axe_source: str, ready: str | None = None) -> list[dict]:
    page, guard, _ = new_page()
    page.goto(url)
    if ready:
        page.wait_for_function(ready, timeout=30_000)
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,"
        " target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    assert not guard.external, guard.external  # offline: nothing fetched from outside
    return result


def check(pages: dict[str, list[dict]], artifacts: Path) -> None:
    counts = {name: {impact: sum(v["nodes"] for v in found if v["impact"] == impact)
                     for impact in ("minor", "moderate", "serious", "critical")}
              for name, found in pages.items()}
    (artifacts / "axe.json").write_text(json.dumps({"counts": counts, "violations": pages},
                                                   ensure_ascii=False, indent=2))
    blocking = {name: [f"{v['id']} ({v['impact']}, {v['nodes']}) : {v['help']} {v['target']}"
                       for v in found if v["impact"] in BLOCKING]
                for name, found in pages.items()}
    blocking = {k: v for k, v in blocking.items() if v}
    assert not blocking, json.dumps(blocking, ensure_ascii=False, indent=1)


def test_evidence_and_survey_report_pass_axe(tmp_path, serve, new_page, artifacts, axe_source,
                                            monkeypatch):
    from toolkit.preuves.documents import write_attestations, write_emargement, write_qualiopi
    from toolkit.preuves.roster import read_roster
    from toolkit.survey.analysis import analyse_files

    monkeypatch.chdir(ROOT)
    people = read_roster(ROSTER)
    out = tmp_path / "site"
    write_attestations([people[0], people[10], people[11]], SURVEY, start=date(2026, 11, 17),
                       out=out, pdf=False, root=ROOT)
    write_emargement("01-acculturation", people, out=out, pdf=False, root=ROOT)
    write_qualiopi(SURVEY, out=out, pdf=False, root=ROOT)
    analyse_files(SURVEY / "exemple-avant.xlsx", SURVEY / "exemple-apres.xlsx",
                  salt="axe").write(out / "enquete")
    base = serve(out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) == 6
    check({name: audit(new_page, f"{base}/{name}", axe_source) for name in pages}, artifacts)


def test_participant_handouts_pass_axe(tmp_path, serve, new_page, artifacts, axe_source,
                                      monkeypatch):
    from toolkit.publish.editions import build_editions

    monkeypatch.chdir(ROOT)
    report = build_editions(tmp_path / "editions", html=True, pdf=False)
    assert report.handouts and all(p.suffix == ".html" for p in report.handouts)
    base = serve(tmp_path / "editions" / "participant-html")
    root = tmp_path / "editions" / "participant-html"
    pages = {p.relative_to(root).as_posix(): audit(
        new_page, f"{base}/{p.relative_to(root).as_posix()}", axe_source)
        for p in report.handouts}
    check(pages, artifacts)


def test_slides_pass_axe(tmp_path, node_modules, serve, new_page, artifacts, axe_source):
    from toolkit.course.curriculum import load
    from toolkit.publish.slides import build_deck

    cur = load(ROOT)
    report = build_deck(cur.sessions[0], cur=cur, out_dir=tmp_path / "build",
                        node_modules=node_modules)
    base = serve(tmp_path / "build")
    found = audit(new_page, f"{base}/{report.path.name}", axe_source,
                  ready="document.body.dataset.deckReady === '1'")
    check({report.path.name: found}, artifacts)
