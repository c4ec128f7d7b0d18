"""The confidentiality policy applied before a prompt is sent: ``guard`` decides whether the
text goes as is (with or without a warning), masked, or not at all; ``is_local_endpoint``
says whether the endpoint is on this machine or declared on-premises (exempt).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from toolkit._display import ShowsStr
from toolkit.config import is_local_host
from toolkit.errors import ConfigError
from toolkit.privacy.findings import (
    KIND_LABELS,
    Finding,
    count_kinds,
    highlight_html,
    short_hint,
)

__all__ = [
    "ACTIONS",
    "EXEMPT_HOSTS_ENV",
    "POLICIES",
    "GuardResult",
    "exempt_hosts_from_env",
    "guard",
    "is_local_endpoint",
]

POLICIES = ("warn", "mask", "block", "off")
ACTIONS = ("none", "exempt", "warned", "masked", "blocked")
EXEMPT_HOSTS_ENV = "ATELIER_PRIVACY_EXEMPT_HOSTS"

_HOW_TO_MASK = "utilisez toolkit.privacy.mask(...) ou ATELIER_PRIVACY=mask"


@dataclass
class GuardResult(ShowsStr):
    """What to do with a prompt: ``action``, the ``text`` to send, and why (``message``).

    ``action`` is one of ``none`` (nothing found or policy ``off``), ``exempt`` (local or
    on-premises endpoint), ``warned`` (sent as is), ``masked`` (``text`` is the masked prompt,
    ``mapping`` lets :func:`toolkit.privacy.unmask` restore the answer) or ``blocked``
    (nothing must be sent; ``text`` is empty).
    """

    action: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    message: str = ""
    policy: str = "warn"
    original: str = field(default="", repr=False)

    @property
    def sendable(self) -> bool:
        return self.action != "blocked"

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = {
            "none": "#2e7d32",
            "exempt": "#2e7d32",
            "warned": "#ef6c00",
            "masked": "#1565c0",
            "blocked": "#c62828",
        }.get(self.action, "#555")
        body = ""
        if self.findings:
            body = (
                '<div style="white-space:pre-wrap;line-height:1.6;margin-top:.4em">'
                f"{highlight_html(self.original, self.findings)}</div>"
            )
        return (
            f'<div class="atelier-privacy" style="border-left:4px solid {colour};'
            f'padding:.3em .8em"><b>Confidentialité</b> : {html.escape(self.message)}'
            f"{body}</div>"
        )


def _summary(findings: list[Finding]) -> str:
    """« 2 noms de personnes (Ma…, Je…), 1 IBAN (CH…) »: kinds, counts, short hints."""
    parts = []
    for kind, n in count_kinds(findings).items():
        singular, plural = KIND_LABELS.get(kind, (kind.lower(), kind.lower()))
        hints = []
        for f in findings:
            hint = short_hint(f.text)
            if f.kind == kind and hint not in hints:
                hints.append(hint)
        shown = ", ".join(hints[:3]) + (", …" if len(hints) > 3 else "")
        parts.append(f"{n} {singular if n == 1 else plural} ({shown})")
    return ", ".join(parts)


def guard(
    text: str,
    *,
    policy: str = "warn",
    local: bool = False,
    mapping: dict[str, str] | None = None,
    ner: bool | None = None,
) -> GuardResult:
    """Apply the confidentiality policy to a prompt before it is sent.

    ``policy`` is ``warn`` (send as is, with a warning), ``mask`` (send the masked text),
    ``block`` (send nothing) or ``off`` (no check). ``local=True`` (endpoint on this machine or
    declared on-premises, see :func:`is_local_endpoint`) gives ``exempt`` without scanning.
    ``mapping`` (policy ``mask``): the mapping of earlier messages of the same conversation,
    so that one person keeps one placeholder across messages; the result's mapping includes it.
    ``ner=None`` loads the language model only when a name may hide in the text; ``False``
    never loads it (offline and replay modes, where nothing leaves the machine, use it to
    show what would happen without paying the model's load time of several seconds).

    >>> guard("Résume ce texte en trois points.").action
    'none'
    >>> r = guard("Écris à marie.dubois@exemple.ch", policy="mask")
    >>> r.action, r.text
    ('masked', 'Écris à [EMAIL_1]')
    """
    chosen = (policy or "warn").strip().lower()
    if chosen not in POLICIES:
        raise ConfigError(
            f"Politique de confidentialité inconnue : « {policy} ».",
            "choisissez warn, mask, block ou off (variable ATELIER_PRIVACY).",
        )
    if chosen == "off":
        return GuardResult(
            "none",
            text,
            message="Contrôle de confidentialité désactivé (ATELIER_PRIVACY=off).",
            policy=chosen,
            original=text,
        )
    if local:
        return GuardResult(
            "exempt",
            text,
            message="Modèle local ou hébergé dans l'organisation : le texte part sans contrôle.",
            policy=chosen,
            original=text,
        )

    from toolkit.privacy.core import mask, scan
    from toolkit.privacy.names import needs_ner

    use_ner = needs_ner(text) if ner is None else (ner and needs_ner(text))
    findings = list(scan(text, ner=use_ner))
    if not findings:
        return GuardResult(
            "none",
            text,
            message="Aucune donnée personnelle ou confidentielle repérée.",
            policy=chosen,
            original=text,
        )
    summary = _summary(findings)
    if chosen == "warn":
        return GuardResult(
            "warned",
            text,
            findings,
            message=(
                f"Attention, ce texte contient : {summary}. Il part tel quel vers le modèle ; "
                f"pour masquer ces données, {_HOW_TO_MASK}."
            ),
            policy=chosen,
            original=text,
        )
    if chosen == "mask":
        masked = mask(text, findings=findings, mapping=mapping)
        return GuardResult(
            "masked",
            masked.text,
            findings,
            masked.mapping,
            message=(
                f"Données masquées avant l'envoi : {summary}. Les vraies valeurs restent sur "
                "cet ordinateur ; toolkit.privacy.unmask(réponse, mapping) les remet dans la "
                "réponse."
            ),
            policy=chosen,
            original=text,
        )
    return GuardResult(
        "blocked",
        "",
        findings,
        message=(
            f"Envoi bloqué (ATELIER_PRIVACY=block), ce texte contient : {summary}. Retirez ces "
            f"données ou {_HOW_TO_MASK}, ou passez par un modèle local."
        ),
        policy=chosen,
        original=text,
    )


def exempt_hosts_from_env() -> list[str]:
    """Hosts declared on-premises in ``ATELIER_PRIVACY_EXEMPT_HOSTS`` (comma-separated)."""
    from toolkit.config import settings

    return list(settings().privacy_exempt_hosts)


def _host_of(value: str) -> str:
    value = value.strip()
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.strip("[]").rstrip(".").lower()


def is_local_endpoint(base_url: str | None, extra_hosts: list[str] | None = None) -> bool:
    """True if ``base_url`` points to this machine or to a host declared on-premises.

    Local means ``localhost`` (and ``*.localhost``), 127.0.0.0/8 and ``::1``. Declared hosts
    come from ``extra_hosts`` and from ``ATELIER_PRIVACY_EXEMPT_HOSTS`` (comma-separated);
    an entry starting with a dot (``.intra.exemple.ch``) covers all its sub-domains.
    ``None`` (the provider's default endpoint) is never local.

    >>> is_local_endpoint("http://127.0.0.1:11434/v1", [])
    True
    >>> is_local_endpoint("https://api.openai.com/v1", ["llm.intra.exemple.ch"])
    False
    """
    if not base_url:
        return False
    host = _host_of(base_url)
    if not host:
        return False
    if is_local_host(host):
        return True
    for entry in [*(extra_hosts or []), *exempt_hosts_from_env()]:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry.startswith(("*.", ".")):
            suffix = entry.lstrip("*")
            if host.endswith(suffix) or host == suffix.lstrip("."):
                return True
        elif host == _host_of(entry):
            return True
    return False
