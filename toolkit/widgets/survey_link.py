"""The pre- and post-training survey link, shown as a clickable link and a QR code.

The addresses come from the settings ``ATELIER_SURVEY_PRE_URL`` and ``ATELIER_SURVEY_POST_URL``
(environment or the course's ``.env``); without them the text says how the trainer sets them.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from urllib.parse import urlparse

from toolkit.errors import InputError

__all__ = ["SURVEY_SETTINGS", "SurveyLink", "qr_png", "survey_link"]

#: Setting name of each survey.
SURVEY_SETTINGS = {"pre": "ATELIER_SURVEY_PRE_URL", "post": "ATELIER_SURVEY_POST_URL"}

_LABELS = {"pre": "questionnaire de départ", "post": "questionnaire de fin"}
_WHEN = {
    "pre": "avant de commencer : il sert de point de départ pour mesurer vos progrès",
    "post": "avant de partir : il permet de mesurer ce que la séance vous a apporté",
}


def _setting(kind: str) -> str:
    """The configured address of survey *kind* (environment or the course's ``.env``)."""
    from toolkit.config import settings

    s = settings()
    return (s.survey_pre_url if kind == "pre" else s.survey_post_url) or ""


def qr_png(url: str, *, box_size: int = 6) -> bytes:
    """A PNG image (bytes) of the QR code of *url*."""
    import qrcode

    qr = qrcode.QRCode(border=2, box_size=box_size)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class SurveyLink:
    """One survey: its address (or None when not configured) and what to tell participants."""

    kind: str
    url: str | None
    problem: str | None = None

    @property
    def setting(self) -> str:
        return SURVEY_SETTINGS[self.kind]

    @property
    def label(self) -> str:
        return _LABELS[self.kind]

    def _howto(self) -> str:
        return (
            # The heading « Pour l'animateur·rice » belongs to the caller: said once, not twice.
            f"Ajoutez la ligne «\u202f{self.setting}=https://…\u202f» (adresse "
            f"du formulaire Microsoft Forms, Google Forms ou LimeSurvey) dans le fichier .env "
            f"du dossier du cours, puis relancez le noyau (menu Noyau → Redémarrer) et cette "
            f"cellule. Sans fichier .env, définissez la variable d'environnement {self.setting} "
            f"avant de lancer JupyterLab."
        )

    def _calm(self) -> str:
        return (f"Le lien du {self.label} sera donné par l'animateur·rice "
                "(au tableau ou par message).")

    def __str__(self) -> str:
        title = self.label.capitalize()
        if self.url:
            return (
                f"{title} : {self.url}\n"
                f"Ouvrez ce lien (ou scannez le QR code) {_WHEN[self.kind]}. "
                f"Il faut environ 5 minutes\u202f; vos réponses sont pseudonymes."
            )
        reason = self.problem or f"aucune adresse n'est configurée pour le {self.label}."
        return f"{title} : {self._calm()}\n(Animateur·rice : {reason} {self._howto()})"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        title = html.escape(self.label.capitalize())
        if not self.url:
            # Participants see a calm sentence; what to fix is folded away for the trainer.
            reason = html.escape(
                self.problem or f"aucune adresse n'est configurée pour le {self.label}."
            )
            return (
                "<div style='border-left:4px solid #8aa4c8;padding:0.4em 0.8em'>"
                f"<b>{title}</b> : {html.escape(self._calm())}"
                "<details><summary><small>Pour l'animateur·rice</small></summary>"
                f"<small>{reason[:1].upper() + reason[1:]} {html.escape(self._howto())}</small>"
                "</details></div>"
            )
        png = base64.b64encode(qr_png(self.url)).decode("ascii")
        url = html.escape(self.url, quote=True)
        return (
            "<div style='display:flex;gap:1.5em;align-items:center'>"
            f"<img src='data:image/png;base64,{png}' alt='QR code du {title}' width='180'>"
            f"<div><b>{title}</b><br><a href='{url}' target='_blank'>{url}</a><br>"
            f"Ouvrez ce lien ou scannez le QR code {html.escape(_WHEN[self.kind])}.<br>"
            "Environ 5 minutes ; vos réponses sont pseudonymes.</div></div>"
        )


def survey_link(kind: str = "pre", url: str | None = None) -> SurveyLink:
    """The survey link of *kind* (``"pre"`` or ``"post"``), from *url* or from the settings.

    An unset or malformed address does not raise: the result explains, in French, what the
    trainer has to set, so the welcome notebook always runs.
    """
    if kind not in SURVEY_SETTINGS:
        raise InputError(
            f"Type de questionnaire inconnu : « {kind} ».",
            "Utilisez « pre » (questionnaire de départ) ou « post » (questionnaire de fin).",
        )
    raw = (url if url is not None else _setting(kind)).strip()
    if not raw:
        return SurveyLink(kind, None)
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in raw:
        return SurveyLink(
            kind,
            None,
            problem=(
                f"l'adresse configurée dans {SURVEY_SETTINGS[kind]} (« {raw[:80]} ») n'est pas "
                "une adresse web valide (elle doit commencer par https://)."
            ),
        )
    return SurveyLink(kind, raw)
