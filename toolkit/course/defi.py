"""« Le défi du prompt »: rounds read from YAML, prompt scoring and the scoreboard (no widgets).

A prompt scores up to 100: 60 from :func:`toolkit.prompts.analyse` and 40 from the round's own
criteria; with a real model (live or replay) the answer can add a bonus of up to 20 points.
Scores can be shared with the room through the shared folder (:mod:`toolkit.course.sharedfolder`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._display import ShowsStr
from toolkit.errors import AtelierError, ConfigError, InputError
from toolkit.widgets._base import load_session_yaml

if TYPE_CHECKING:
    from toolkit.prompts.analysis import PromptReport

__all__ = [
    "ANALYSIS_POINTS",
    "COLLECTION",
    "AnswerCheck",
    "Criterion",
    "Defi",
    "Round",
    "RoundScore",
    "Scoreboard",
    "check_answer",
    "load_defi",
    "normalise",
    "score_prompt",
]

#: Points given by the prompt analysis (its 0-100 score is scaled to this).
ANALYSIS_POINTS = 60
#: Shared-folder collection where scores are published.
COLLECTION = "defi-du-prompt"
_ANSWER_KINDS = ("bullets", "max_words", "max_sentences", "table", "contains_any")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+\S", re.MULTILINE)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
_WORDS = re.compile(r"[\w'’-]+")


def normalise(text: str) -> str:
    """Lower case without accents, so criteria patterns can be written without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Criterion:
    """A round-specific check on the prompt: met when one of *patterns* is found."""

    label: str
    patterns: tuple[str, ...]
    points: int
    hint: str

    def met(self, prompt: str) -> bool:
        text = normalise(prompt)
        return any(re.search(p, text) for p in self.patterns)


@dataclass(frozen=True)
class AnswerCheck:
    """A check on the model's answer (only counted with a real model)."""

    kind: str
    label: str
    points: int
    value: int | None = None
    patterns: tuple[str, ...] = ()


def _sentences(text: str) -> int:
    body = re.sub(r"^\s*(?:[-*•–]|\d+[.)]|#+)\s*", "", text, flags=re.MULTILINE)
    return len([s for s in re.split(r"(?<=[.!?])\s+", body.strip()) if _WORDS.search(s)])


def check_answer(check: AnswerCheck, answer: str) -> bool:
    """Whether *answer* passes *check*."""
    if check.kind == "bullets":
        return len(_BULLET.findall(answer)) == check.value
    if check.kind == "max_words":
        return 0 < len(_WORDS.findall(answer)) <= (check.value or 0)
    if check.kind == "max_sentences":
        return 0 < _sentences(answer) <= (check.value or 0)
    if check.kind == "table":
        return len(_TABLE_ROW.findall(answer)) >= 3
    if check.kind == "contains_any":
        text = normalise(answer)
        return any(re.search(p, text) for p in check.patterns)
    raise InputError(
        f"Type de vérification inconnu : « {check.kind} ».",
        f"Types possibles : {', '.join(_ANSWER_KINDS)}.",
    )


@dataclass(frozen=True)
class Round(ShowsStr):
    """One round of the challenge: the target to obtain and how prompts are scored."""

    id: str
    number: int
    title: str
    target: str
    instructions: str
    criteria: tuple[Criterion, ...]
    answer_checks: tuple[AnswerCheck, ...] = ()
    example: str = ""
    material: str = ""
    minutes: int = 4

    @property
    def bonus_points(self) -> int:
        return sum(c.points for c in self.answer_checks)

    def __str__(self) -> str:
        lines = [
            f"Manche {self.number} : {self.title} ({self.minutes} min)",
            f"🎯 Cible : {self.target}",
            f"Consigne : {self.instructions}",
        ]
        if self.material:
            lines += ["Texte à utiliser :", self.material]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        material = (
            f"<p>Texte à utiliser :</p><blockquote>{html.escape(self.material)}</blockquote>"
            if self.material
            else ""
        )
        return (
            f"<h4>Manche {self.number} : {html.escape(self.title)} "
            f"<small>({self.minutes} min)</small></h4>"
            f"<p>🎯 <b>Cible :</b> {html.escape(self.target)}</p>"
            f"<p><b>Consigne :</b> {html.escape(self.instructions)}</p>{material}"
        )


@dataclass(frozen=True)
class RoundScore(ShowsStr):
    """The score of one prompt in one round, with the detail and what to improve."""

    round: Round
    prompt: str
    report: PromptReport
    criteria: tuple[tuple[Criterion, bool], ...]
    answer: str | None = None
    answer_mode: str | None = None
    answer_checks: tuple[tuple[AnswerCheck, bool], ...] = ()

    @property
    def analysis_points(self) -> int:
        return round(self.report.score * ANALYSIS_POINTS / 100)

    @property
    def criteria_points(self) -> int:
        return sum(c.points for c, ok in self.criteria if ok)

    @property
    def bonus(self) -> int:
        return sum(c.points for c, ok in self.answer_checks if ok)

    @property
    def total(self) -> int:
        return self.analysis_points + self.criteria_points + self.bonus

    @property
    def hints(self) -> list[str]:
        """What to change, most valuable first: the round's criteria, then the analysis."""
        out = [c.hint for c, ok in sorted(self.criteria, key=lambda x: -x[0].points) if not ok]
        return out + list(self.report.hints)[:2]

    def _bonus_note(self) -> str:
        if self.answer_checks:
            return ""
        if self.answer_mode == "offline":
            return "Bonus réponse : non compté en mode simulé (seulement avec un vrai modèle)."
        return "Bonus réponse : pas de réponse du modèle."

    def __str__(self) -> str:
        lines = [
            f"Manche {self.round.number} ({self.round.title}) : {self.total} points",
            f"  Analyse du prompt : {self.analysis_points}/{ANALYSIS_POINTS} "
            f"(score {self.report.score}/100)",
        ]
        for c, ok in self.criteria:
            lines.append(f"  {'✔' if ok else '✘'} {c.label} : {c.points if ok else 0}/{c.points}")
        for check, ok in self.answer_checks:
            lines.append(
                f"  {'✔' if ok else '✘'} (bonus) {check.label} : +{check.points if ok else 0}"
            )
        note = self._bonus_note()
        if note:
            lines.append(f"  {note}")
        if self.hints:
            lines.append("Pour gagner des points :")
            lines += [f"  • {h}" for h in self.hints]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [
            f"<tr><td>Analyse du prompt (score {self.report.score}/100)</td>"
            f"<td style='text-align:right'>{self.analysis_points}/{ANALYSIS_POINTS}</td></tr>"
        ]
        for c, ok in self.criteria:
            rows.append(
                f"<tr><td>{'✅' if ok else '⬜'} {html.escape(c.label)}</td>"
                f"<td style='text-align:right'>{c.points if ok else 0}/{c.points}</td></tr>"
            )
        for check, ok in self.answer_checks:
            rows.append(
                f"<tr><td>{'✅' if ok else '⬜'} Bonus : {html.escape(check.label)}</td>"
                f"<td style='text-align:right'>+{check.points if ok else 0}</td></tr>"
            )
        note = self._bonus_note()
        note_html = f"<p><small>{html.escape(note)}</small></p>" if note else ""
        hints = "".join(f"<li>{html.escape(h)}</li>" for h in self.hints)
        hints_html = f"<p>Pour gagner des points :</p><ul>{hints}</ul>" if hints else ""
        return (
            f"<div><p><b>Manche {self.round.number} : {self.total} points</b></p>"
            f"<table>{''.join(rows)}</table>{note_html}{hints_html}</div>"
        )


def score_prompt(
    round_: Round, prompt: str, answer: str | None = None, answer_mode: str | None = None
) -> RoundScore:
    """Score *prompt* for *round_*; the answer counts only when it comes from a real model."""
    from toolkit.prompts import analyse

    if not isinstance(prompt, str):
        raise InputError(
            "Le prompt doit être un texte entre guillemets.",
            'Écrivez par exemple : prompt = """Tu es …"""',
        )
    report = analyse(prompt)
    criteria = tuple((c, c.met(prompt)) for c in round_.criteria)
    checks: tuple[tuple[AnswerCheck, bool], ...] = ()
    if answer is not None and answer_mode in ("live", "replay", "record"):
        checks = tuple((c, check_answer(c, answer)) for c in round_.answer_checks)
    return RoundScore(round_, prompt, report, criteria, answer, answer_mode, checks)


# -- scoreboard ------------------------------------------------------------------------------


@dataclass
class Scoreboard(ShowsStr):
    """Best score of each player in each round, and the ranking."""

    rounds: tuple[Round, ...] = ()
    scores: dict[str, dict[str, int]] = field(default_factory=dict)

    def record(self, player: str, round_id: str, points: int) -> bool:
        """Keep *points* if they beat the player's best for the round; True when kept."""
        name = " ".join(str(player).split())[:40]
        if not name:
            raise InputError(
                "Le nom d'équipe est vide.", "Choisissez un pseudonyme, par exemple « Les Aigles »."
            )
        best = self.scores.setdefault(name, {})
        if points > best.get(round_id, -1):
            best[round_id] = int(points)
            return True
        return False

    def add(self, player: str, score: RoundScore) -> bool:
        return self.record(player, score.round.id, score.total)

    def _round_ids(self) -> list[str]:
        ids = [r.id for r in self.rounds]
        extra = sorted({k for s in self.scores.values() for k in s} - set(ids))
        return ids + extra

    def ranking(self) -> list[tuple[str, int]]:
        """(player, total) from best to worst; ties in alphabetical order."""
        totals = [(p, sum(s.values())) for p, s in self.scores.items()]
        return sorted(totals, key=lambda x: (-x[1], x[0].lower()))

    def table(self):
        """The scoreboard as a DataFrame: one row per player, one column per round, total.

        Scores are whole numbers (pandas ``Int64``): a round a team has not played is ``<NA>``,
        never ``NaN``, which would turn every score into « 30.0 ».
        """
        import pandas as pd

        ids = self._round_ids()
        labels = {r.id: f"M{r.number}" for r in self.rounds}
        rows = []
        for rank, (player, total) in enumerate(self.ranking(), 1):
            row = {"rang": rank, "équipe": player}
            for i in ids:
                points = self.scores[player].get(i)
                row[labels.get(i, i)] = None if points is None else int(points)
            row["total"] = int(total)
            rows.append(row)
        columns = ["rang", "équipe", *[labels.get(i, i) for i in ids], "total"]
        frame = pd.DataFrame(rows, columns=columns)
        numbers = [c for c in columns if c != "équipe"]
        return frame.astype({c: "Int64" for c in numbers})

    def __str__(self) -> str:
        if not self.scores:
            return "Tableau des scores : aucun score pour l'instant."
        lines = ["Tableau des scores"]
        medals = {1: "🥇", 2: "🥈", 3: "🥉"}
        for rank, (player, total) in enumerate(self.ranking(), 1):
            lines.append(f"  {medals.get(rank, f'{rank}.')} {player} : {total} points")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.scores:
            return "<p><i>Tableau des scores : aucun score pour l'instant.</i></p>"
        import pandas as pd

        frame = self.table()
        cell = "style='padding:2px 10px;text-align:{}'"
        head = "".join(
            f"<th {cell.format('left' if c == 'équipe' else 'right')}>{html.escape(c)}</th>"
            for c in frame.columns
        )
        body = "".join(
            "<tr>" + "".join(
                f"<td {cell.format('left' if c == 'équipe' else 'right')}>"
                f"{'–' if v is None or v is pd.NA else html.escape(str(v))}</td>"
                for c, v in zip(frame.columns, row, strict=True)
            ) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        return (f"<h4>Tableau des scores</h4><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")

    # -- sharing with the room -------------------------------------------------------------

    def publish(self, player: str, folder: str | Path | None = None) -> int:
        """Write the player's best scores to the shared folder; returns how many were written."""
        from toolkit.course.sharedfolder import append_record

        scores = self.scores.get(player, {})
        for round_id, points in scores.items():
            append_record(COLLECTION, {"equipe": player, "manche": round_id, "points": points},
                          folder)
        return len(scores)

    @classmethod
    def from_room(
        cls, rounds: tuple[Round, ...] = (), folder: str | Path | None = None
    ) -> Scoreboard:
        """The room's scoreboard from the shared folder (empty when no folder exists yet)."""
        from toolkit.course.sharedfolder import collection_dir, read_records, shared_dir

        board = cls(rounds=rounds)
        try:
            shared_dir(folder, create=False)
            if not collection_dir(COLLECTION, folder, create=False).is_dir():
                return board
        except ConfigError:
            return board
        frame = read_records(COLLECTION, folder)
        for rec in frame.to_dict("records"):
            try:
                board.record(str(rec["equipe"]), str(rec["manche"]), int(rec["points"]))
            except (KeyError, TypeError, ValueError, InputError):
                continue
        return board


# -- the game ----------------------------------------------------------------------------------


@dataclass
class Defi(ShowsStr):
    """The rounds and the scoreboard of one game."""

    title: str
    rounds: tuple[Round, ...]
    scoreboard: Scoreboard = field(default_factory=Scoreboard)

    def __post_init__(self):
        if not self.scoreboard.rounds:
            self.scoreboard.rounds = self.rounds

    def round(self, key: int | str) -> Round:
        """A round by number (from 1) or id."""
        for r in self.rounds:
            if key in (r.number, r.id):
                return r
        raise InputError(
            f"La manche « {key} » n'existe pas.", f"Choisissez un numéro de 1 à {len(self.rounds)}."
        )

    def play(
        self, key: int | str, prompt: str, *, team: str | None = None, ask: bool = True
    ) -> RoundScore:
        """Score *prompt* for round *key*; with ``ask=True`` also send it to the model.

        The model's answer is shown (offline: the round's prepared example, labelled as such)
        and earns the bonus only when it comes from a real model.  With *team*, the score
        enters the scoreboard.
        """
        import toolkit

        r = self.round(key)
        answer_text = answer_mode = None
        if ask and prompt.strip():
            try:
                answer = toolkit.ask(prompt, exemple=f"defi-{r.id}")
            except AtelierError as exc:  # the game goes on without the bonus
                _show(exc)
            else:
                _show(answer)
                answer_text, answer_mode = str(answer), answer.mode
        score = score_prompt(r, prompt, answer_text, answer_mode)
        if team:
            self.scoreboard.add(team, score)
        return score

    def __str__(self) -> str:
        parts = [self.title, ""]
        parts += [str(r) + "\n" for r in self.rounds]
        parts.append(
            "Pour jouer sans les boutons : defi.play(numéro_de_manche, prompt, team=\"Nom\")."
        )
        return "\n".join(parts)


def _show(obj) -> None:
    """Display *obj* in a notebook (no-op outside IPython)."""
    try:
        from IPython.display import display
    except ImportError:
        return
    display(obj)


def load_defi(name: str = "defi", folder: str | Path | None = None) -> Defi:
    """Read the rounds of the challenge (``toolkit/data/session1/<name>.yml`` by default)."""
    path, data = load_session_yaml(name, folder, session="session1", what="Fichier du défi")
    rounds = []
    for number, raw in enumerate(data.get("rounds") or [], 1):
        where = f"{path.name}, manche n° {number}"
        try:
            criteria = tuple(
                Criterion(str(c["label"]), tuple(c["patterns"]), int(c["points"]), str(c["hint"]))
                for c in raw.get("criteria") or ()
            )
            checks = tuple(
                AnswerCheck(
                    kind=str(c["kind"]),
                    label=str(c["label"]),
                    points=int(c["points"]),
                    value=c.get("value"),
                    patterns=tuple(c.get("patterns") or ()),
                )
                for c in raw.get("answer_checks") or ()
            )
            r = Round(
                id=str(raw["id"]),
                number=number,
                title=str(raw["title"]),
                target=" ".join(str(raw["target"]).split()),
                instructions=" ".join(str(raw["instructions"]).split()),
                criteria=criteria,
                answer_checks=checks,
                example=" ".join(str(raw.get("example", "")).split()),
                material=" ".join(str(raw.get("material", "")).split()),
                minutes=int(raw.get("minutes", 4)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{where} : champ manquant ou invalide ({exc}).",
                "Chaque manche a id, title, target, instructions et criteria (label, patterns, "
                "points, hint).",
            ) from exc
        for check in checks:
            if check.kind not in _ANSWER_KINDS:
                raise InputError(
                    f"{where} : type de vérification « {check.kind} » inconnu.",
                    f"Types possibles : {', '.join(_ANSWER_KINDS)}.",
                )
        for c in criteria:
            for p in c.patterns:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise InputError(
                        f"{where} : motif « {p} » invalide ({exc}).",
                        "Corrigez l'expression régulière.",
                    ) from exc
        rounds.append(r)
    if not rounds:
        raise InputError(f"{path.name} ne contient aucune manche.", "Ajoutez une liste rounds.")
    return Defi(title=str(data.get("title", "Le défi du prompt")), rounds=tuple(rounds))
