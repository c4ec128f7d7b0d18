"""Build malformed survey exports, one small set per class of problem, in fixtures/bad/.

    .venv/bin/python tests/survey/make_bad_exports.py

Each class is a pair (or trio) of files the analyser must refuse (exit 1) or accept with a loud
warning naming file, row and column. The files imitate what the tools and spreadsheets really
write (survey-methods.md §7); ``CLASSES`` below is the single list the tests and
``benchmarks/survey_bad_inputs.py`` iterate over.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.survey.instrument import load_instrument
from toolkit.survey.sample import (
    limesurvey_header,
    synthetic_answers,
    write_google_csv,
    write_limesurvey_csv,
    write_plain_csv,
)

HERE = Path(__file__).parent / "fixtures" / "bad"
N = 40

#: name -> (pre, post, expected exit status, text the message must hold, what it imitates)
CLASSES: dict[str, tuple[str, str, int, str, str]] = {
    "meme-fichier": ("avant.csv", "avant.csv", 1, "même fichier", "same file as before and after"),
    "meme-contenu": ("avant.csv", "copie-avant.csv", 1, "octet pour octet", "renamed copy"),
    "memes-reponses": (
        "avant.csv",
        "avant-reexporte.csv",
        1,
        "mêmes réponses",
        "same answers exported twice in two formats",
    ),
    "inverses": ("apres.csv", "avant.csv", 1, "inversés", "before and after swapped"),
    "limesurvey-vide": (
        "limesurvey-vide.csv",
        "apres.csv",
        1,
        "aucune réponse",
        "LimeSurvey export of an empty survey (header + one empty record)",
    ),
    "hors-echelle": (
        "hors-echelle-avant.csv",
        "apres.csv",
        0,
        "hors de l'échelle",
        "levels 0 and 6 on a 1-5 scale (warned, rows set aside)",
    ),
    "echelle-0-10": (
        "echelle-0-10-avant.csv",
        "apres.csv",
        1,
        "même échelle",
        "a whole column answered on 0-10 instead of 1-5",
    ),
    "mac-roman": (
        "mac-roman-avant.csv",
        "accents-apres.csv",
        1,
        "encodage est douteux",
        "Mac Roman file that cp1252 would read with wrong letters in codes",
    ),
    "double-utf8": (
        "double-utf8-avant.csv",
        "accents-apres.csv",
        1,
        "mal converti",
        "UTF-8 decoded and re-encoded once too often (Ã©)",
    ),
    "autre-questionnaire": (
        "autre-questionnaire.csv",
        "apres.csv",
        1,
        "autre enquête",
        "export of another questionnaire",
    ),
    "limesurvey-codetexte": (
        "limesurvey-codetexte-avant.csv",
        "apres.csv",
        0,
        "ipaddr. Adresse IP",
        "LimeSurvey code & text headings, IP column, duplicate ordered by submit date",
    ),
    "lignes-vides-excel": (
        "lignes-vides-avant.csv",
        "apres.csv",
        0,
        "entièrement vide",
        "Excel CSV ending with ';;;;' rows",
    ),
    "alpha-faible": (
        "alpha-faible-avant.csv",
        "alpha-faible-apres.csv",
        0,
        "α de Cronbach",
        "a dimension whose items do not hang together (alpha < 0.6)",
    ),
}

ACCENTED_CODES = ["ÉLO12ON", "HÉL03NE", "FRAN07ÇA", "JÉR21ÔM", "ANA05ÏS"]


def _canonical():
    inst = load_instrument()
    frames = synthetic_answers(N, seed=11, instrument=inst)
    base = pd.Timestamp("2026-11-12 09:00")
    for k, phase in enumerate(frames):
        frames[phase]["_time"] = (
            base + pd.to_timedelta(k * 3, unit="h") + pd.to_timedelta(np.arange(N) * 60, unit="s")
        )
    return inst, frames["pre"], frames["post"]


def main(out: Path = HERE) -> Path:
    """Write every malformed export into ``out`` (emptied first); return it."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    inst, pre, post = _canonical()
    write_plain_csv(pre, out / "avant.csv", "pre", inst, sep=";", encoding="utf-8-sig")
    write_plain_csv(post, out / "apres.csv", "post", inst, sep=";", encoding="utf-8-sig")
    shutil.copy(out / "avant.csv", out / "copie-avant.csv")
    # The same answers written by another tool: different bytes, identical pairs.
    write_google_csv(pre, out / "avant-reexporte.csv", "pre", inst, lang="fr")

    # LimeSurvey with nobody having answered yet: header and one empty record.
    items = [it for it in inst.items_for("pre") if it.code in pre]
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed"] + [
        limesurvey_header(it, "code") for it in items
    ]
    record = ["1", "", "", "fr", "1744"] + [""] * len(items)
    lines = [";".join(f'"{h}"' for h in header), ";".join(f'"{v}"' for v in record)]
    (out / "limesurvey-vide.csv").write_bytes(
        ("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    )

    # Answers outside the scale: a few typing errors (0 and 6 on 1-5)...
    bad = pre.copy()
    bad["NIV"] = bad["NIV"].astype(object)
    bad.loc[1, "NIV"] = 0
    bad.loc[4, "NIV"] = 6
    write_plain_csv(bad, out / "hors-echelle-avant.csv", "pre", inst, sep=";")
    # ... and a column asked on 0-10 in the survey tool.
    scale_item = next(it for it in items if it.type == "scale" and it.scale != "oui_non")
    wide = pre.copy()
    wide[scale_item.code] = np.resize([0, 7, 8, 9, 10, 6], N)
    write_plain_csv(wide, out / "echelle-0-10-avant.csv", "pre", inst, sep=";")

    # Encodings: accented participant codes, matched by a correct UTF-8 "after" file.
    acc_pre, acc_post = pre.copy(), post.copy()
    acc_pre.loc[: len(ACCENTED_CODES) - 1, "CODE"] = ACCENTED_CODES
    acc_post.loc[: len(ACCENTED_CODES) - 1, "CODE"] = ACCENTED_CODES
    write_plain_csv(acc_post, out / "accents-apres.csv", "post", inst, sep=";")
    write_plain_csv(
        acc_pre, out / "mac-roman-avant.csv", "pre", inst, sep=";", encoding="mac_roman"
    )
    text = (out / "mac-roman-avant.csv").read_bytes().decode("mac_roman")
    (out / "double-utf8-avant.csv").write_bytes(
        text.encode("utf-8").decode("latin-1").encode("utf-8")
    )

    # Another questionnaire altogether (a satisfaction survey).
    pd.DataFrame(
        {
            "Horodateur": ["12/11/2026 09:00:00", "12/11/2026 09:05:00"],
            "Satisfaction générale": ["Très satisfait", "Satisfait"],
            "Recommanderiez-vous cette formation à un collègue ?": ["Oui", "Oui"],
            "Commentaire libre": ["Très bien", ""],
        }
    ).to_csv(out / "autre-questionnaire.csv", sep=";", index=False)

    # LimeSurvey "code & text" headings, an IP column, and a duplicate written after the
    # original but submitted earlier: the submit date, not the row order, decides.
    write_limesurvey_csv(pre, out / "_ls.csv", "pre", inst, heading="code", answers="short")
    ls = pd.read_csv(out / "_ls.csv", sep=";", dtype=str, keep_default_na=False)
    (out / "_ls.csv").unlink()
    texts = {limesurvey_header(it, "code"): it.text["fr"] for it in items}
    meta = {
        "id": "ID de la réponse",
        "submitdate": "Date de soumission",
        "lastpage": "Dernière page",
        "startlanguage": "Langue de départ",
        "seed": "Tête de série",
    }
    ls.insert(2, "ipaddr", [f"192.168.1.{10 + i}" for i in range(len(ls))])
    meta["ipaddr"] = "Adresse IP"
    dup = ls.iloc[[0]].copy()
    dup["submitdate"] = "2026-11-12 08:00:00"  # earlier than row 2's 09:00
    dup["NIV"] = "5"
    ls = pd.concat([ls, dup], ignore_index=True)
    ls.columns = [f"{c}. {meta.get(c) or texts[c]}" for c in ls.columns]
    body = "\r\n".join(
        ";".join('"' + str(v).replace('"', '""') + '"' for v in row)
        for row in [list(ls.columns), *ls.to_numpy().tolist()]
    )
    (out / "limesurvey-codetexte-avant.csv").write_bytes(("\ufeff" + body + "\r\n").encode("utf-8"))

    # Excel leaves separator-only rows under the data.
    write_plain_csv(pre, out / "lignes-vides-avant.csv", "pre", inst, sep=";")
    n_cols = (
        (out / "lignes-vides-avant.csv").read_text(encoding="utf-8-sig").split("\n")[0].count(";")
    )
    with (out / "lignes-vides-avant.csv").open("a", encoding="utf-8") as f:
        f.write((";" * n_cols + "\n") * 4)

    # A dimension whose items are unrelated answers (independent draws): alpha near 0.
    dim = next(d for d in inst.paired_dimensions() if len(inst.dimension_items(d, "pre")) >= 3)
    rng = np.random.default_rng(3)
    noisy_pre, noisy_post = pre.copy(), post.copy()
    for frame in (noisy_pre, noisy_post):
        for it in inst.dimension_items(dim, "pre"):
            sc = inst.scales[it.scale]
            frame[it.code] = rng.integers(sc.min, sc.max + 1, N).astype(float)
    write_plain_csv(noisy_pre, out / "alpha-faible-avant.csv", "pre", inst, sep=";")
    write_plain_csv(noisy_post, out / "alpha-faible-apres.csv", "post", inst, sep=";")
    return out


if __name__ == "__main__":
    print(f"malformed exports written to {main()}")
