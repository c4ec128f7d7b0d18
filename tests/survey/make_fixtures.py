"""Build the survey export fixtures in tests/survey/fixtures/ (run again after changing the instrument).

    .venv/bin/python tests/survey/make_fixtures.py

Each file imitates one real export (see survey-methods.md §7). The canonical answers behind
them are written next to them as ``canonical-<phase>.csv`` so tests can compare what a
loader reads with what was written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.survey.instrument import load_instrument
from toolkit.survey.sample import (
    synthetic_answers,
    write_forms_xlsx,
    write_google_csv,
    write_limesurvey_csv,
    write_plain_csv,
)

HERE = Path(__file__).parent / "fixtures"
N = 12


def canonical():
    inst = load_instrument()
    frames = synthetic_answers(N, seed=7, instrument=inst)
    base = pd.Timestamp("2026-11-12 09:00")
    for k, (phase, df) in enumerate(frames.items()):
        df["_time"] = (
            base + pd.to_timedelta(k * 3, unit="h") + pd.to_timedelta(np.arange(N) * 60, unit="s")
        )
        df.loc[0, "SUIVI2"] = 12.5 if phase == "followup" else np.nan
        frames[phase] = df
    return inst, frames


def main() -> None:
    HERE.mkdir(exist_ok=True)
    inst, f = canonical()
    pre, post, fu = f["pre"], f["post"], f["followup"]
    for phase, df in f.items():
        df.to_csv(HERE / f"canonical-{phase}.csv", index=False)

    # Microsoft Forms: French and English headers, quiz columns, "anonymous" e-mails.
    write_forms_xlsx(pre, HERE / "forms-fr-avant.xlsx", "pre", inst, lang="fr", names=True)
    write_forms_xlsx(post, HERE / "forms-en-after.xlsx", "post", inst, lang="en")
    # Forms quirks in headers: a duplicated title suffixed "2" (Forms does this when two
    # questions share a title), curly apostrophes, non-breaking spaces, trailing spaces.
    x = pd.read_excel(HERE / "forms-fr-avant.xlsx", dtype=str)
    renamed = {}
    for c in x.columns:
        new = c
        if c.strip() == "Votre service":
            new = "Votre service2"
        elif c.startswith("Quelle description"):
            new = c.replace("'", "’").replace(" ?", "\u00a0?") + "  "
        elif c.startswith("Points - ") or c.startswith("Feedback - "):
            new = c
        else:
            new = c.replace("'", "’")
        renamed[c] = new
    x = x.rename(columns=renamed)
    x.to_excel(HERE / "forms-fr-titres-doubles.xlsx", index=False)

    # Google Forms: French (Horodateur) and English (Timestamp).
    write_google_csv(pre, HERE / "google-fr-avant.csv", "pre", inst, lang="fr", names=True)
    write_google_csv(post, HERE / "google-en-after.csv", "post", inst, lang="en")
    write_google_csv(fu, HERE / "google-fr-suivi.csv", "followup", inst, lang="fr")

    # LimeSurvey: codes + short answers; full texts + long answers.
    write_limesurvey_csv(
        pre, HERE / "limesurvey-codes-avant.csv", "pre", inst, heading="code", answers="short"
    )
    write_limesurvey_csv(
        post, HERE / "limesurvey-textes-apres.csv", "post", inst, heading="full", answers="long"
    )

    # Plain CSV typed in Excel: ";" + decimal comma + cp1252; "," + UTF-8 with BOM.
    write_plain_csv(
        fu,
        HERE / "plain-cp1252-suivi.csv",
        "followup",
        inst,
        sep=";",
        encoding="cp1252",
        decimal=",",
    )
    write_plain_csv(
        pre,
        HERE / "plain-utf8bom-avant.csv",
        "pre",
        inst,
        sep=",",
        encoding="utf-8-sig",
        decimal=".",
    )
    # Plain CSV with French labels typed by hand in cp1252 (accents!), Likert variants.
    variants = [
        "Pas du tout d’accord",
        "Plutôt en désaccord",
        "Neutre",
        "D'ACCORD",
        "5 - Tout à fait d'accord",
    ]
    rows = []
    for i in range(5):
        rows.append(
            {
                "CODE": f"ab-0{i + 1} cd",
                "NIV": "Niveau 2" if i % 2 else "1",
                "CONF1": variants[i],
                "CONF2": str(i + 1),
                "CONF3": f"A{5 - i}",
                "C1": "Chaque semaine",
                "C2": "Oui",
                "C3": "Non",
                "C4": "Y",
                "C5": "N",
                "QZ1": "B",
                "DEPT": "Ressources humaines",
            }
        )
    pd.DataFrame(rows).to_csv(
        HERE / "plain-libelles-cp1252.csv", sep=";", index=False, encoding="cp1252"
    )

    # Bad inputs.
    (HERE / "vide.csv").write_bytes(b"")
    (HERE / "entete-seule.csv").write_text("CODE;NIV;TU1\n", encoding="utf-8")
    pd.DataFrame({"Identifiant": ["A1", "B2"], "NIV": [1, 2]}).to_csv(
        HERE / "sans-code.csv", sep=";", index=False
    )
    pd.DataFrame(
        {
            "CODE": ["AA01BB", "CC02DD", "EE03FF", ""],
            "NIV": ["1", "9", "2", "2"],
            "TU1": ["3", "4", "8", "2"],
        }
    ).to_csv(HERE / "hors-echelle.csv", sep=";", index=False)
    pd.DataFrame(
        {
            "CODE": ["AA01BB", "CC02DD", "EE03FF"],
            "NIV": ["1", "2", "2"],
            "CONF1": ["D'accord", "Peut-être", "Peut-être"],
        }
    ).to_csv(HERE / "libelle-inconnu.csv", sep=";", index=False)
    (HERE / "mauvais-encodage.csv").write_bytes(b"CODE;NIV\nAA01\x81\x8dBB;1\n")
    (HERE / "binaire.csv").write_bytes(b"CODE\x00;\x00NIV\x00\n\x00")
    with pd.ExcelWriter(HERE / "plusieurs-feuilles.xlsx") as w:
        pre[["CODE", "NIV"]].to_excel(w, sheet_name="Groupe A", index=False)
        pre[["CODE", "NIV"]].to_excel(w, sheet_name="Groupe B", index=False)
    with pd.ExcelWriter(HERE / "feuille-notes.xlsx") as w:
        pd.DataFrame({"Note": ["export du 12 novembre"]}).to_excel(
            w, sheet_name="Notes", index=False
        )
        pre[["CODE", "NIV", "C1"]].to_excel(w, sheet_name="Réponses", index=False)
    dups = pd.DataFrame(
        {
            "Horodateur": [
                "12/11/2026 09:00:00",
                "12/11/2026 09:10:00",
                "12/11/2026 09:05:00",
                "12/11/2026 09:20:00",
            ],
            "CODE": ["AA01BB", "aa-01-bb", "CC02DD", "CC02DD"],
            "NIV": ["1", "2", "3", "1"],
        }
    )
    dups.to_csv(HERE / "doublons.csv", index=False)
    print(f"fixtures written to {HERE}")


if __name__ == "__main__":
    main()
