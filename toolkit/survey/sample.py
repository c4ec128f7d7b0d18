"""Synthetic survey data (seeded) and writers that mimic real exports (Forms, Google, LimeSurvey).

The shipped sample (``toolkit/data/survey/exemple-*``) is rebuilt with::

    python -m toolkit.survey.sample

Model (documented so the figures in the sample report can be explained): each participant has
a latent ease with AI ``a ~ N(0, 1)`` and a training gain ``g ~ N(1, 0.5)``; Likert answers are
``round(centre + spread * (a + g * after) + noise)`` clipped to the scale; behaviours are
Bernoulli with a logistic probability in ``a`` (+ ``g`` after training); the self-placement is
an ordered threshold of ``a``. Departments have 6 sizes, one of them below 5 people on
purpose (it must be hidden in the report). 8 people answer only before, 5 only after (one of
them a mistyped code), 3 answer the pre-survey twice (the later answer wins).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.survey.instrument import Instrument, load_instrument

__all__ = [
    "generate",
    "sample_paths",
    "synthetic_answers",
    "write_forms_xlsx",
    "write_google_csv",
    "write_limesurvey_csv",
    "write_plain_csv",
    "write_sample",
]

DEPARTMENTS = {"RH": 22, "FIN": 25, "COM": 18, "INF": 20, "JUR": 4, "OPS": 31}
_FIRST = [
    "Camille",
    "Lucas",
    "Léa",
    "Noah",
    "Chloé",
    "Yanis",
    "Inès",
    "Hugo",
    "Zoé",
    "Louis",
    "Sarah",
    "Jules",
    "Manon",
    "Nathan",
    "Emma",
    "Théo",
    "Lina",
    "Gabriel",
    "Jade",
    "Adam",
]
_SYL = ["MA", "JO", "SO", "CL", "NA", "AN", "MI", "LU", "EL", "CA", "FR", "PA", "SY", "BE", "DO"]
_END = ["ON", "EN", "RE", "LE", "GE", "NE", "SE", "IS", "ES", "AY", "IN", "UR", "ET", "AS"]


def sample_paths() -> dict[str, Path]:
    """Paths of the shipped sample exports (pre and post: Forms xlsx, follow-up: Google CSV)."""
    base = Path(str(resources.files("toolkit") / "data" / "survey"))
    return {
        "pre": base / "exemple-avant.xlsx",
        "post": base / "exemple-apres.xlsx",
        "followup": base / "exemple-suivi-j30.csv",
    }


# ---------------------------------------------------------------------------------------------
# Canonical answers (item codes, numeric values, quiz letters, option values)
# ---------------------------------------------------------------------------------------------
def _codes(rng, n: int) -> list[str]:
    """Self-generated-looking codes (letters, day of birth, letters), unique."""
    s = rng.choice(_SYL, n)
    d = rng.integers(1, 32, n)
    e = rng.choice(_END, n)
    if n > 1000:
        # Large synthetic sets (benchmarks) need a serial part to stay unique.
        return [f"{a}{b:02d}{c}{i:06d}" for i, (a, b, c) in enumerate(zip(s, d, e, strict=True))]
    seen: set[str] = set()
    out: list[str] = []
    for a, b, c in zip(s, d, e, strict=True):
        code = f"{a}{b:02d}{c}"
        while code in seen:
            code = f"{rng.choice(_SYL)}{rng.integers(1, 32):02d}{rng.choice(_END)}"
        seen.add(code)
        out.append(code)
    return out


def synthetic_answers(
    n: int,
    seed: int = 2026,
    instrument: Instrument | None = None,
    departments: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Return canonical pre, post and follow-up answers for ``n`` matched participants.

    Fully vectorised with numpy (used for the 100,000-participant benchmark).
    """
    import numpy as np
    import pandas as pd

    instrument = instrument or load_instrument()
    rng = np.random.default_rng(seed)
    codes = _codes(rng, n)
    if departments:
        dept = np.repeat(list(departments), list(departments.values()))[:n]
        dept = (
            np.concatenate([dept, rng.choice(list(departments), n - len(dept))])
            if len(dept) < n
            else dept
        )
        dept = rng.permutation(dept)
    else:
        dept = rng.choice(
            list(DEPARTMENTS), n, p=np.array(list(DEPARTMENTS.values())) / sum(DEPARTMENTS.values())
        )
    role = rng.choice(["COL", "ENC", "DIR"], n, p=[0.75, 0.2, 0.05])
    a = rng.normal(0, 1, n)
    g = rng.normal(1.5, 0.5, n)
    frames: dict[str, Any] = {}
    for phase, after in (("pre", 0.0), ("post", 1.0)):
        ease = a + g * after
        df = pd.DataFrame({"CODE": codes, "DEPT": dept, "ROLE": role})
        # Self-placement: ordered thresholds.
        df["NIV"] = 1 + np.searchsorted([0.3, 2.2, 3.2, 4.0], ease + rng.normal(0, 0.4, n))
        df["C1"] = np.clip(np.round(1.2 + 1.1 * ease + rng.normal(0, 0.7, n)), 0, 4)
        for code, shift in (("C2", 0.3), ("C3", 0.8), ("C4", 1.8), ("C5", 0.4), ("C6", -1.6)):
            p = 1 / (1 + np.exp(-(2.2 * ease + shift)))
            df[code] = (rng.random(n) < p).astype(float)
        for it in instrument.items_for(phase):
            if it.type != "scale" or it.dimension is None:
                continue
            sc = instrument.scale_of(it)
            centre = (sc.min + sc.max) / 2 - 0.6
            spread = (sc.max - sc.min) / 6
            signal = a + g * after * 0.45
            if it.dimension == "PEUR":
                signal = -1.0 * a + g * after * -0.4
            if it.dimension == "REA":
                signal = 1.0 + 0.4 * a
            value = centre + spread * signal + rng.normal(0, spread * 0.8, n)
            value = np.clip(np.round(value), sc.min, sc.max)
            if it.reverse:
                value = sc.min + sc.max - value
            df[it.code] = value
        for it in instrument.quiz_items():
            p = 1 / (1 + np.exp(-(0.2 + 0.9 * ease)))
            right = rng.random(n) < p
            wrong = rng.choice([o["value"] for o in it.options if o["value"] != it.answer], n)
            df[it.code] = np.where(right, it.answer or "", wrong)
        if phase == "post":
            df["INT1"] = np.clip(np.round(3.6 + 0.6 * a + rng.normal(0, 0.8, n)), 1, 5)
            # Then-test: people tend to rate their past self a bit lower than they did.
            df["NIVAVANT"] = np.clip(frames["pre"]["NIV"] - (rng.random(n) < 0.3), 1, 5)
        frames[phase] = df
    fu = pd.DataFrame({"CODE": codes, "DEPT": dept, "ROLE": role})
    ease = a + g
    fu["C1"] = np.clip(np.round(1.6 + 1.0 * ease + rng.normal(0, 0.8, n)), 0, 4)
    for code, shift in (("C2", -0.3), ("C3", 0.2), ("C4", 1.2), ("C5", -0.4), ("C6", -1.2)):
        p = 1 / (1 + np.exp(-(1.5 * ease + shift)))
        fu[code] = (rng.random(n) < p).astype(float)
    fu["SUIVI1"] = fu["C1"]
    minutes = np.exp(rng.normal(3.3 + 0.35 * ease, 0.7, n))
    fu["SUIVI2"] = np.where(fu["C1"] == 0, 0, np.round(minutes / 5) * 5)
    frames["followup"] = fu
    return frames


def generate(seed: int = 2026, instrument: Instrument | None = None) -> dict[str, Any]:
    """The realistic sample: about 120 people, 6 departments, unmatched and duplicated answers."""
    import numpy as np
    import pandas as pd

    instrument = instrument or load_instrument()
    n = sum(DEPARTMENTS.values())
    frames = synthetic_answers(n, seed, instrument, DEPARTMENTS)
    rng = np.random.default_rng(seed + 1)
    pre, post, fu = frames["pre"], frames["post"], frames["followup"]
    # 8 people answered only before; 5 only after (new codes, one a typo of a pre-only code).
    order = rng.permutation(n)
    pre_only = order[:8]
    post_only = order[8:13]
    post = post.drop(index=pre_only).copy()
    pre = pre.drop(index=post_only).copy()
    post.loc[post_only[0], "CODE"] = pre.loc[pre_only[0], "CODE"][:-1] + "X"
    # Codes typed differently after (case, separators): matching must normalise them.
    for idx in order[13:20]:
        c = post.loc[idx, "CODE"]
        post.loc[idx, "CODE"] = f"{c[:2].lower()}-{c[2:4]} {c[4:].lower()}"
    # 3 duplicates in the pre-survey: an earlier, partial attempt (later answer wins).
    dup_idx = order[20:23]
    dups = pre.loc[dup_idx].copy()
    for code in ("TU1", "TU2", "CA1", "PA1"):
        dups[code] = np.nan
    dups["_earlier"] = True
    pre = pd.concat([pre, dups]).sort_index(kind="stable")
    # Follow-up: about 60 % of post respondents answer at J+30.
    fu = fu.loc[fu.index.isin(post.index)]
    fu = fu.sample(frac=0.6, random_state=seed).sort_index()
    # Timestamps: pre on the morning of the session, post at the end, follow-up a month later.
    base = pd.Timestamp("2026-11-12 09:05")
    pre["_time"] = base + pd.to_timedelta(rng.integers(0, 900, len(pre)), unit="s")
    earlier = pre.get("_earlier", pd.Series(False, index=pre.index)).fillna(False).astype(bool)
    pre.loc[earlier, "_time"] = base - pd.Timedelta(minutes=30)
    post["_time"] = (
        base + pd.Timedelta(hours=3) + pd.to_timedelta(rng.integers(0, 1200, len(post)), unit="s")
    )
    fu["_time"] = (
        base
        + pd.Timedelta(days=30)
        + pd.to_timedelta(rng.integers(0, 86400 * 3, len(fu)), unit="s")
    )
    return {
        "pre": pre.drop(columns="_earlier").reset_index(drop=True),
        "post": post.reset_index(drop=True),
        "followup": fu.reset_index(drop=True),
    }


# ---------------------------------------------------------------------------------------------
# Writers that mimic real exports
# ---------------------------------------------------------------------------------------------
def _label_series(instrument: Instrument, code: str, values, lang: str = "fr"):
    """Numeric/canonical answers -> the labels a respondent saw."""
    import pandas as pd

    it = instrument.item(code)
    s = pd.Series(values)
    if it.type == "scale":
        labels = {float(k): v[lang] for k, v in instrument.scale_of(it).labels.items()}
        return s.map(labels).fillna("")
    if it.type in ("quiz", "choice"):
        options = {o["value"]: o[lang] for o in it.options}
        return s.map(lambda v: options.get(v, v)).fillna("")
    if it.type == "number":
        return s.map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return s.fillna("").astype(str)


def _items_in(instrument: Instrument, df, phase: str):
    return [it for it in instrument.items_for(phase) if it.code in df.columns]


def _submitted(df):
    """When each respondent submitted: the ``_time`` column, or one fixed morning for all."""
    import pandas as pd

    if "_time" in df:
        return pd.to_datetime(df["_time"])
    return pd.Series(pd.Timestamp("2026-11-12 09:00"), index=range(len(df)))


def _export_start(df, instrument: Instrument | None, lang: str):
    """What every tool's writer starts from: the instrument, the number of answers, their
    submission times and whether the export is the French one."""
    return instrument or load_instrument(), len(df), _submitted(df), lang == "fr"


def _saved(path: str | Path, write: Callable[[Path], object]) -> Path:
    """``write`` the export to ``path``; the path, as every writer returns it."""
    path = Path(path)
    write(path)
    return path


def _labels(instrument: Instrument, df, code: str, lang: str):
    """The labels of column *code* as the respondents saw them (a NumPy array)."""
    return _label_series(instrument, code, df[code].to_numpy(), lang).to_numpy()


def write_forms_xlsx(
    df,
    path: str | Path,
    phase: str,
    instrument: Instrument | None = None,
    lang: str = "fr",
    quiz: bool = True,
    names: bool = False,
) -> Path:
    """Write answers the way Microsoft Forms exports them (.xlsx, one sheet)."""
    import pandas as pd

    instrument, n, t, fr = _export_start(df, instrument, lang)
    out = pd.DataFrame(
        {
            "ID": range(1, n + 1),
            ("Heure de début" if fr else "Start time"): (t - pd.Timedelta(minutes=9))
            .dt.strftime("%m/%d/%y %H:%M:%S")
            .to_numpy(),
            ("Heure de fin" if fr else "Completion time"): t.dt.strftime(
                "%m/%d/%y %H:%M:%S"
            ).to_numpy(),
            ("Adresse de messagerie" if fr else "Email"): "anonymous",
            ("Nom" if fr else "Name"): [
                (_FIRST[i % len(_FIRST)] if names else "") for i in range(n)
            ],
        }
    )
    if quiz:
        out["Total points"] = ""
        out["Quiz feedback"] = ""
    for it in _items_in(instrument, df, phase):
        title = it.text[lang]
        out[title + " "] = _labels(instrument, df, it.code, lang)
        if quiz and it.type == "quiz":
            out[f"Points - {title}"] = (df[it.code] == it.answer).astype(int).to_numpy()
            out[f"Feedback - {title}"] = ""
    sheet = "Feuil1" if fr else "Sheet1"
    return _saved(path, lambda p: out.to_excel(p, index=False, sheet_name=sheet))


def write_google_csv(
    df,
    path: str | Path,
    phase: str,
    instrument: Instrument | None = None,
    lang: str = "fr",
    names: bool = False,
) -> Path:
    """Write answers like a Google Forms CSV download (UTF-8, comma, quoted when needed)."""
    import pandas as pd

    instrument, n, t, fr = _export_start(df, instrument, lang)
    out = pd.DataFrame(
        {
            ("Horodateur" if fr else "Timestamp"): t.dt.strftime(
                "%d/%m/%Y %H:%M:%S" if fr else "%m/%d/%Y %H:%M:%S"
            ).to_numpy(),
            ("Adresse e-mail" if fr else "Email Address"): [
                f"personne{i}@exemple.ch" for i in range(n)
            ],
        }
    )
    if names:
        out["Nom"] = [_FIRST[i % len(_FIRST)] for i in range(n)]
    for it in _items_in(instrument, df, phase):
        out[it.text[lang]] = _labels(instrument, df, it.code, lang)
    return _saved(path, lambda p: out.to_csv(p, index=False, encoding="utf-8"))


_LS_GROUPS = {"D": "COMP", "E": "ATT", "G": "REA"}


def limesurvey_header(it, heading: str = "code", lang: str = "fr") -> str:
    """The column heading LimeSurvey gives an item (arrays: ``GROUP[SUB]``)."""
    parent = _LS_GROUPS.get(it.section) if it.type == "scale" and it.dimension else None
    if heading == "code":
        return f"{parent}[{it.code}]" if parent else it.code
    title = {"COMP": "Vos compétences", "ATT": "Votre ressenti", "REA": "Votre avis"}
    return f"{title[parent]} [{it.text[lang]}]" if parent else it.text[lang]


def limesurvey_answer_code(it, value) -> str:
    import pandas as pd

    if pd.isna(value) or value == "":
        return ""
    if it.type == "scale":
        if it.scale == "oui_non":
            return "Y" if float(value) == 1 else "N"
        return f"A{int(value)}"
    if it.type == "number":
        return f"{value:g}"
    return str(value)


def write_limesurvey_csv(
    df,
    path: str | Path,
    phase: str,
    instrument: Instrument | None = None,
    heading: str = "code",
    answers: str = "short",
    lang: str = "fr",
    sep: str = ";",
) -> Path:
    """Write answers like LimeSurvey's CSV export: BOM, ``;``, every field quoted, CRLF."""

    instrument, n, t, _fr = _export_start(df, instrument, lang)
    cols: dict[str, list[str]] = {
        ("id" if heading == "code" else "ID de la réponse"): [str(i) for i in range(1, n + 1)],
        ("submitdate" if heading == "code" else "Date de soumission"): t.dt.strftime(
            "%Y-%m-%d %H:%M:%S"
        ).tolist(),
        ("lastpage" if heading == "code" else "Dernière page"): ["3"] * n,
        ("startlanguage" if heading == "code" else "Langue de départ"): [lang] * n,
        ("seed" if heading == "code" else "Tête de série"): [str(1000 + i) for i in range(n)],
    }
    for it in _items_in(instrument, df, phase):
        if answers == "short":
            vals = [limesurvey_answer_code(it, v) for v in df[it.code].tolist()]
        else:
            vals = _labels(instrument, df, it.code, lang).tolist()
        cols[limesurvey_header(it, heading, lang)] = vals
    lines = []
    header = list(cols)
    lines.append(sep.join('"' + h.replace('"', '""') + '"' for h in header))
    for i in range(n):
        lines.append(sep.join('"' + str(cols[h][i]).replace('"', '""') + '"' for h in header))
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return _saved(path, lambda p: p.write_bytes(data))


def write_plain_csv(
    df,
    path: str | Path,
    phase: str,
    instrument: Instrument | None = None,
    sep: str = ";",
    encoding: str = "utf-8-sig",
    decimal: str = ",",
) -> Path:
    """Write a plain CSV with the item codes as header (as a trainer typing in Excel would)."""
    instrument = instrument or load_instrument()
    codes = [it.code for it in _items_in(instrument, df, phase)]
    out = df[codes].copy()
    return _saved(
        path, lambda p: out.to_csv(p, sep=sep, index=False, encoding=encoding, decimal=decimal)
    )


def write_sample(directory: str | Path | None = None, seed: int = 2026) -> dict[str, Path]:
    """Regenerate the shipped sample files (pre/post as Forms xlsx, follow-up as Google CSV)."""
    instrument = load_instrument()
    frames = generate(seed, instrument)
    paths = sample_paths()
    if directory is not None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = {k: directory / v.name for k, v in paths.items()}
    write_forms_xlsx(frames["pre"], paths["pre"], "pre", instrument)
    write_forms_xlsx(frames["post"], paths["post"], "post", instrument)
    write_google_csv(frames["followup"], paths["followup"], "followup", instrument, names=True)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for _phase, _path in write_sample().items():
        print(_phase, _path)  # noqa: T201
