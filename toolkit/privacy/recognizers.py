"""Rule-based recognisers for structured identifiers (e-mail, phone, AVS, IBAN, NIR, SIREN/SIRET,
payment cards, IP addresses, dates of birth, postal addresses, vehicle plates).

Checksums come from python-stdnum and phone numbers from phonenumbers; regular expressions only
propose candidates. Each recogniser takes the text and returns a list of :class:`Finding`.
Candidates that look like an identifier but fail its checksum are returned as "near misses"
so that no other numeric recogniser reports the same digits under another name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from toolkit.privacy.findings import Finding

__all__ = ["RECOGNIZERS", "run_structured"]

_SEP = r"[ \u00a0\u202f.\-]"  # separators people put inside long numbers
_SP = r"[ \u00a0\u202f]"

#: Recognisers run by :func:`run_structured`, by kind, with their priority when spans overlap
#: (the higher wins, see :func:`toolkit.privacy.core.scan`).
RECOGNIZERS: dict[str, tuple[Callable[[str], list[Finding]], int]] = {}


def _recognizer(kind: str, priority: int):
    """Register the decorated function as the recogniser of *kind*."""

    def register(func: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
        RECOGNIZERS[kind] = (func, priority)
        return func

    return register


# --------------------------------------------------------------------------- e-mail
# Domain labels may be internationalised, in Unicode (« médiathèque.fr ») or punycode
# (« xn--80ak6aa92e.com », TLD « xn--p1ai »).
_DOMAIN_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-']*@"
    rf"{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*\.(?:xn--[a-z0-9\-]{{2,59}}|[^\W\d_]{{2,24}})(?![\w\-])",
    re.IGNORECASE,
)


@_recognizer("EMAIL", 95)
def find_emails(text: str) -> list[Finding]:
    return [Finding.of_match("EMAIL", m, 0.99, "regex e-mail") for m in _EMAIL_RE.finditer(text)]


# --------------------------------------------------------------------------- phone
_PHONE_REGIONS = ("CH", "FR")
_PHONE_HINT_RE = re.compile(r"(?:\+|00|0)\d")


def _lines_with_digits(text: str, minimum: int = 8):
    """(offset, line) for each line holding at least ``minimum`` digits."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if sum(map(str.isdigit, line)) >= minimum:
            yield offset, line
        offset += len(line)


_NATIONAL_RE = re.compile(r"(?<![\d+])0\d(?:[ .\-/\u00a0]?\d){7,9}(?!\d)")


def _uncovered_national(line: str, offset: int, found: dict) -> bool:
    """Does the line hold a national number (0…) that the first region did not read?"""
    for m in _NATIONAL_RE.finditer(line):
        start, end = offset + m.start(), offset + m.end()
        if not any(s <= start < e or s < end <= e for s, e in found):
            return True
    return False


@_recognizer("PHONE", 85)
def find_phones(text: str) -> list[Finding]:
    if not _PHONE_HINT_RE.search(text):
        return []
    import phonenumbers

    found: dict[tuple[int, int], Finding] = {}
    # The matcher is the slowest recogniser: only lines with enough digits are given to it.
    for offset, line in _lines_with_digits(text):
        for region in _PHONE_REGIONS:
            if region != _PHONE_REGIONS[0] and not _uncovered_national(line, offset, found):
                continue  # every number of the line is already read (half the time saved)
            matcher = phonenumbers.PhoneNumberMatcher(
                line, region, leniency=phonenumbers.Leniency.VALID
            )
            for match in matcher:
                raw, start = match.raw_string, match.start
                if raw.startswith("(") and ")" not in raw:
                    # phonenumbers keeps the bracket that opens « (079 123 45 67) » but not
                    # the one that closes it: the finding starts at the number.
                    lead = len(raw) - len(raw[1:].lstrip())
                    raw, start = raw[lead:], start + lead
                key = (offset + start, offset + start + len(raw))
                if key in found or sum(c.isdigit() for c in raw) < 9:
                    continue
                found[key] = Finding(
                    "PHONE",
                    *key,
                    raw,
                    0.95 if raw.startswith(("+", "00", "(+")) else 0.9,
                    f"phonenumbers ({region})",
                )
    return list(found.values())


# --------------------------------------------------------------------------- AVS
_AVS_RE = re.compile(rf"(?<![\d.])756{_SEP}?\d{{4}}{_SEP}?\d{{4}}{_SEP}?\d{{2}}(?![\d])")


@_recognizer("AVS", 100)
def find_avs(text: str) -> list[Finding]:
    from stdnum.ch import ssn

    return _checksummed(text, "AVS", _AVS_RE, ssn.is_valid, "stdnum.ch.ssn")


# --------------------------------------------------------------------------- IBAN
# Groups separated by spaces or dashes (« AL47-2121-1009-… »), never by slashes.
_IBAN_RE = re.compile(rf"\b[A-Z]{{2}}\d{{2}}(?:(?:{_SP}|-)?[A-Z0-9]){{10,32}}\b")


@_recognizer("IBAN", 100)
def find_ibans(text: str) -> list[Finding]:
    from stdnum import iban

    out = []
    for m in _IBAN_RE.finditer(text):
        raw = m.group()
        # The pattern is greedy: try shorter prefixes ending on a group boundary too.
        cuts = [len(raw)] + [i for i in range(len(raw) - 1, 14, -1) if raw[i] in " \u00a0\u202f-"]
        for cut in cuts:
            candidate = raw[:cut].rstrip(" \u00a0\u202f-")
            # The ISO 7064 check (mod 97) decides; python-stdnum's extra national checks
            # would refuse valid IBANs such as the ISO 13616 example BE68 5390 0754 7034.
            if iban.is_valid(candidate.replace("-", ""), check_country=False):
                out.append(
                    Finding(
                        "IBAN",
                        m.start(),
                        m.start() + len(candidate),
                        candidate,
                        0.99,
                        "stdnum.iban",
                    )
                )
                break
        else:
            out.append(_near_miss("IBAN", m))
    return out


# --------------------------------------------------------------------------- NIR
_NIR_RE = re.compile(
    rf"(?<![\d])[12]{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?(?:\d{{2}}|2[AB]){_SEP}?\d{{3}}"
    rf"{_SEP}?\d{{3}}{_SEP}?\d{{2}}(?![\d])"
)


@_recognizer("NIR", 100)
def find_nirs(text: str) -> list[Finding]:
    from stdnum.fr import nir

    # Corsica's departments are 2A and 2B: the letters stay in the number checked.
    return _checksummed(text, "NIR", _NIR_RE, nir.is_valid, "stdnum.fr.nir", drop=r"[^\dAB]")


# --------------------------------------------------------------------------- SIREN / SIRET
_SIRET_RE = re.compile(rf"(?<![\d])\d{{3}}{_SEP}?\d{{3}}{_SEP}?\d{{3}}{_SEP}?\d{{5}}(?![\d])")
_SIRET_CANONICAL_RE = re.compile(r"^\d{3} \d{3} \d{3} \d{5}$")
_SIREN_RE = re.compile(rf"(?<![\d.\-])\d{{3}}{_SEP}?\d{{3}}{_SEP}?\d{{3}}(?![\d]|{_SEP}\d)")
_COMPANY_CONTEXT_RE = re.compile(
    r"siren|siret|rcs|\bentreprise|soci[ée]t[ée]|raison sociale|immatricul|\bsas\b|\bsarl\b"
    r"|\bsa\b|fournisseur|prestataire|[ée]tablissement|\binsee\b|\btva\b|\bn°|\bnum[ée]ro",
    re.IGNORECASE,
)


def _has_company_context(text: str, start: int, window: int = 60) -> bool:
    return bool(_COMPANY_CONTEXT_RE.search(text[max(0, start - window) : start]))


# An amount or a quantity: a currency or a unit right before or after the number.
_UNIT_AFTER_RE = re.compile(
    r"^[ \u00a0\u202f]*(?:[€$£]|(?:k|m|md)?(?:€|eur\b|euros?\b|chf\b|francs?\b|usd\b|dollars?\b)"
    r"|de[ \u00a0](?:francs|euros|dollars|personnes|habitants)|habitants|personnes|tonnes|litres"
    r"|kwh|mwh|m2|m²|m3|km|kg|exemplaires|unités|pièces|visiteurs|utilisateurs|ht\b|ttc\b|\.[–-])",
    re.IGNORECASE,
)
_UNIT_BEFORE_RE = re.compile(
    r"(?:[€$£]|\b(?:chf|eur|usd|fr\.|montant(?: de)?|budget(?: de)?|total(?: de)?|somme(?: de)?"
    r"|coût(?: de)?|prix(?: de)?|capital(?: social)?(?: de)?))[ \u00a0\u202f:]*$",
    re.IGNORECASE,
)
_SIREN_WORD_RE = re.compile(r"\bsir[eé][nt]\b|\bRCS\b", re.IGNORECASE)


def _is_amount(text: str, start: int, end: int) -> bool:
    """True when the number is an amount or a quantity, not a company number: a currency or a
    unit next to it, or a round figure (four trailing zeros) that no « SIREN » introduces.
    A checksum alone cannot tell: one round number in ten passes Luhn."""
    if _UNIT_AFTER_RE.match(text[end : end + 16]) or _UNIT_BEFORE_RE.search(
        text[max(0, start - 20) : start]
    ):
        return True
    digits = re.sub(r"\D", "", text[start:end])
    named = _SIREN_WORD_RE.search(text[max(0, start - 25) : start])
    return digits.endswith("0000") and not named


@_recognizer("SIRET", 92)
def find_sirets(text: str) -> list[Finding]:
    from stdnum.fr import siret

    out = []
    for m in _SIRET_RE.finditer(text):
        compact = re.sub(r"\D", "", m.group())
        context = _has_company_context(text, m.start())
        if _UNIT_AFTER_RE.match(text[m.end() : m.end() + 16]):
            continue  # an amount
        if siret.is_valid(compact) and (context or _SIRET_CANONICAL_RE.match(m.group())):
            out.append(
                Finding(
                    "SIRET",
                    m.start(),
                    m.end(),
                    m.group(),
                    0.97 if context else 0.7,
                    "stdnum.fr.siret",
                )
            )
        elif context:
            out.append(_near_miss("SIRET", m))
    return out


@_recognizer("SIREN", 88)
def find_sirens(text: str) -> list[Finding]:
    from stdnum.fr import siren

    def company(text: str, m: re.Match) -> bool:
        return _has_company_context(text, m.start()) and not _is_amount(text, m.start(), m.end())

    return _checksummed(text, "SIREN", _SIREN_RE, siren.is_valid, "stdnum.fr.siren",
                        confidence=0.9, keep=company, near_misses=False)


# --------------------------------------------------------------------------- payment card
_CARD_RE = re.compile(r"(?<![\d])(?:\d[ \u00a0\-]?){12,18}\d(?![\d])")
_CARD_PREFIX_RE = re.compile(
    r"^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9]|[3-6]\d|7[01])\d{13}|2720\d{12}"
    r"|3[47]\d{13}|3(?:0[0-5]|[68]\d)\d{11}|6(?:011|5\d\d)\d{12,15}|35\d{14}"
    r"|(?:5018|5020|5038|6304|6759|676[1-3])\d{8,15}"
    # UATP (airlines), Dankort, Mir, UnionPay
    r"|1\d{14}|5019\d{12}|220[0-4]\d{12,15}|62\d{14,17})$"
)


@_recognizer("CARD", 90)
def find_cards(text: str) -> list[Finding]:
    from stdnum import luhn

    def valid(digits: str) -> bool:
        return bool(_CARD_PREFIX_RE.match(digits)) and luhn.is_valid(digits)

    return _checksummed(text, "CARD", _CARD_RE, valid, "stdnum.luhn", confidence=0.95,
                        near_misses=False)


# --------------------------------------------------------------------------- IP
# IPv4 with an optional CIDR prefix; a fifth dotted part makes it a version or an OID.
_IPV4_RE = re.compile(r"(?<![\w.])((?:\d{1,3}\.){3}\d{1,3})(/\d{1,3})?(?![\w]|\.\d)")
# IPv6 in every RFC 4291 form: full, compressed, with an embedded IPv4 (« ::ffff:10.0.0.1 »,
# « 64:ff9b::192.0.2.1 »), a zone (« fe80::1%eth0 ») and a CIDR prefix. Found whole, so
# that masking never leaves a part of the address behind.
_IPV6_RE = re.compile(
    r"(?<![\w:.%])((?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?)"
    r"(%[A-Za-z0-9_\-]+)?(/\d{1,5})?(?![\w:]|\.\d)"
)
# A dotted number after these words is a software version, not an address (« version
# 5.2.0.14 », « mise à jour 10.0.19045.1 »)...
_VERSION_CUE_RE = re.compile(
    r"(?:\bversions?|\bvers\.|\brelease|\bbuild|mise[ \u00a0]à[ \u00a0]jour|\bma?j\b|\bmàj"
    r"|\bpatch|\bcorrectif|\bfirmware|\bmicrologiciel|\blogiciel|\bupdate|\bupgrade"
    r"|\brévision|\bédition|\bv\.|\bnuméro[ \u00a0]de[ \u00a0]version"
    # kinds of software: « le paquet nginx 1.24.0.2 », « pilote d'imprimante 10.2.3.44 »
    r"|\bpaquets?|\bpackages?|\bpilotes?|\bdrivers?|\bnoyau|\bkernel|\bplug-?ins?"
    r"|\bextensions?|\bmodules?|\bbiblioth[èe]ques?|\blibrairies?|\blibrary|\bapplis?"
    r"|\bapplications?|\bprogrammes?|\bclient[ \u00a0]logiciel)\W{0,3}(?:\S+\W{1,3}){0,4}$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _product_before_re() -> re.Pattern:
    """The product right before a number: a name of toolkit/data/privacy/logiciels.txt, a
    name with an inner capital (« FileZilla », « macOS »), a user-agent token
    (« libcurl/8.4.0.1 »), or « v »/« ver » (« la v 4.1.0.2 »)."""
    lines = (
        resources.files("toolkit.data")
        .joinpath("privacy/logiciels.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    names = sorted(
        (line.strip() for line in lines if line.strip() and not line.startswith("#")),
        key=len,
        reverse=True,
    )
    listed = "|".join([*map(re.escape, names), "v", "ver"])
    return re.compile(
        rf"(?:(?<![\w.\-])(?i:{listed})[ \u00a0]+"
        r"|(?<![\w\-])[A-Za-z]*[a-z][A-Z][A-Za-z]*[ \u00a0]+"
        r"|(?<![\w.+\-/:])[A-Za-z][\w.+\-]*/)$"
    )


# A pre-release or packaging suffix: « 2.1.0.7-beta », « 1.2.3.4-rc1 ».
_VERSION_SUFFIX_RE = re.compile(
    r"[\-+~](?i:alpha|beta|rc|lts|dev|pre|preview|snapshot|final|release|build|ubuntu|deb|el)"
)
# ...unless the same clause speaks of a network.
# Servers, VPN clients and routers have versions too: only these words make it an address.
_NETWORK_CUE_RE = re.compile(
    r"\bIP\b|\bIPv[46]\b|\badresse|\bping\b|\bssh\b|\bsubnet|\bsous-réseau|\bplage",
    re.IGNORECASE,
)


def _is_version(text: str, start: int, end: int) -> bool:
    """A product name right before the number or a pre-release suffix after it; or a version
    cue in the clause before the number, nearer than any network cue, and with no other
    number between them (a cue names one version: « le paquet nginx 1.24.0.2 tourne sur
    10.12.0.8 » holds one version and one address)."""
    if _VERSION_SUFFIX_RE.match(text, end) or _product_before_re().search(
        text[max(0, start - 30) : start]
    ):
        return True
    before = re.split(r"[.;,\n]\s", text[max(0, start - 60) : start])[-1]
    version = _VERSION_CUE_RE.search(before)
    if not version or re.search(r"\d\.\d", before[version.start() :]):
        return False
    network = [m.start() for m in _NETWORK_CUE_RE.finditer(before)]
    return not network or network[-1] < version.start()


@_recognizer("IP", 80)
def find_ips(text: str) -> list[Finding]:
    out = []
    for m in _IPV4_RE.finditer(text):
        try:
            ipaddress.IPv4Address(m.group(1))
        except ValueError:
            continue
        if _is_version(text, m.start(), m.end()):
            continue
        end = m.end(1)
        if m.group(2) and int(m.group(2)[1:]) <= 32:
            end = m.end(2)
        out.append(Finding("IP", m.start(), end, text[m.start() : end], 0.9, "ipaddress (IPv4)"))
    for m in _IPV6_RE.finditer(text):
        address = m.group(1) + (m.group(2) or "")
        if "::" not in address and m.group(1).count(":") < 6:
            continue
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            continue
        end = m.end(2) if m.group(2) else m.end(1)
        if m.group(3) and int(m.group(3)[1:]) <= 128:
            end = m.end(3)
        out.append(Finding("IP", m.start(), end, text[m.start() : end], 0.9, "ipaddress (IPv6)"))
    return out


# --------------------------------------------------------------------------- date of birth
_MONTHS = (
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?"
)
_DATE_RE = re.compile(
    r"(?<![\d])(?:(?:0?[1-9]|[12]\d|3[01])[./\-](?:0?[1-9]|1[0-2])[./\-](?:19|20)\d{2}"
    rf"|(?:1er|0?[1-9]|[12]\d|3[01])(?:er)?[ \u00a0](?:{_MONTHS})[ \u00a0](?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\d])",
    re.IGNORECASE,
)
# « né(e) » is a cue only with its accent, or right before the date: the negation « ne »
# (« nous ne nous réunirons pas le 12 mars ») is not a birth.
_BIRTH_CONTEXT_RE = re.compile(
    r"(?:\bné(?:\(e\)|·e|e)?s?\b|\bnée?\(?e?\)?s?\b)(?P<gap>[^.;\n]{0,35})$"
    r"|\bn[ée]e?s?[ \u00a0]+(?:le[ \u00a0]+|en[ \u00a0]+|au[ \u00a0]+)?$"
    r"|naissance|\bddn\b|\bd\.?[ \u00a0]?n\.[ \u00a0]?:|geboren|\bborn\b",
    re.IGNORECASE,
)


@_recognizer("BIRTH_DATE", 75)
def find_birth_dates(text: str) -> list[Finding]:
    out = []
    for m in _DATE_RE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        # Only the nearest clause counts: a full stop or a line break ends the context.
        before = re.split(r"[.;\n]\s", before)[-1]
        if _BIRTH_CONTEXT_RE.search(before):
            out.append(Finding.of_match("BIRTH_DATE", m, 0.9, "date + contexte"))
    return out


# --------------------------------------------------------------------------- postal address
_STREET_TYPES = (
    r"rue|avenue|av\.|boulevard|bd|chemin|ch\.|route|rte|place|pl\.|all[ée]e|impasse|quai"
    r"|cours|passage|sentier|chauss[ée]e|faubourg|square|promenade|esplanade|rampe|ruelle"
    r"|mont[ée]e|parvis|cit[ée]|r[ée]sidence|lieu-dit|grand-rue|grand'rue"
)
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?"
_LINK_WORD = r"(?:de|du|des|la|le|les|d['’]|l['’]|sur|sous|en|aux|au|et|à)"
_STREET_NAME = (
    rf"(?:(?:{_LINK_WORD})[ \u00a0]?)*{_NAME_WORD}"
    rf"(?:[ \u00a0\-](?:(?:{_LINK_WORD})[ \u00a0]?)*{_NAME_WORD}){{0,5}}"
)
_CITY = (
    r"(?:(?:CH|F|FR)[\-\u2011 ]?)?\d{4,5}[ \u00a0]+[A-ZÀ-ÖØ-Þ][\w'’\-]*"
    r"(?:[ \u00a0\-](?:sur|sous|en|le|la|les|de|du|d['’])?[ \u00a0\-]?[A-ZÀ-ÖØ-Þ][\w'’\-]*){0,3}"
    r"(?:[ \u00a0]\d{1,2}\b)?(?:[ \u00a0]Cedex(?:[ \u00a0]\d{1,2})?)?"
)
_NUMBER = r"\d{1,4}(?:[ \u00a0]?(?:bis|ter|[A-Da-d])\b)?"
_ADDRESS_FR_RE = re.compile(
    rf"(?<![\w])(?:{_NUMBER}),?[ \u00a0]+(?i:{_STREET_TYPES})[ \u00a0]+{_STREET_NAME}"
    rf"(?:,?[ \u00a0\n]*{_CITY})?"
)
_ADDRESS_CH_RE = re.compile(
    rf"(?<![\w])(?:(?i:{_STREET_TYPES})[ \u00a0]+{_STREET_NAME}|Grand[\-'’ ]Rue)"
    rf"[ \u00a0]+{_NUMBER}(?![\d])"
    rf"(?:,?[ \u00a0\n]*{_CITY})?"
    rf"|(?<![\w])[A-ZÀ-ÖØ-Þ][\w\-]*(?:strasse|gasse|weg|platz|str\.)[ \u00a0]+{_NUMBER}(?![\d])"
    rf"(?:,?[ \u00a0\n]*{_CITY})?"
)
_PO_BOX_RE = re.compile(
    rf"(?<![\w])(?:[Cc]ase[ \u00a0]postale|CP|BP|[Bb]o[iî]te[ \u00a0]postale)[ \u00a0]+\d{{1,5}}"
    rf"(?:,?[ \u00a0\n]*{_CITY})?"
)


@_recognizer("ADDRESS", 60)
def find_addresses(text: str) -> list[Finding]:
    out = []
    for regex, name, conf in (
        (_ADDRESS_FR_RE, "regex adresse (FR)", 0.8),
        (_ADDRESS_CH_RE, "regex adresse (CH)", 0.8),
        (_PO_BOX_RE, "regex case postale", 0.7),
    ):
        for m in regex.finditer(text):
            raw = m.group().rstrip(" ,.\u00a0\n")
            out.append(Finding("ADDRESS", m.start(), m.start() + len(raw), raw, conf, name))
    return out


# --------------------------------------------------------------------------- vehicle plate
_CANTONS = "AG|AI|AR|BE|BL|BS|FR|GE|GL|GR|JU|LU|NE|NW|OW|SG|SH|SO|SZ|TG|TI|UR|VD|VS|ZG|ZH"
# Swiss: canton + up to six digits (« VD 123 456 », « GE 48 213 », « ZH 1234 »).
_PLATE_CH_RE = re.compile(
    rf"(?<![\w\-])(?:{_CANTONS})[ \u00a0\-]?(\d{{1,3}}(?:[ \u00a0'’]\d{{3}})?|\d{{4,6}})"
    r"(?![\w\-]|[.,]\d)"
)
# French SIV (since 2009): « AB-123-CD », also written with spaces. I, O and U are not used.
_SIV = "[A-HJ-NP-TV-Z]"
_PLATE_FR_RE = re.compile(
    rf"(?<![\w\-]){_SIV}{{2}}(?:-\d{{3}}-|[ \u00a0]\d{{3}}[ \u00a0]){_SIV}{{2}}(?![\w\-])"
)
# French FNI (before 2009): « 1234 AB 75 », « 123 ABC 2A »; too close to references to be
# trusted without a word about a vehicle.
_PLATE_FNI_RE = re.compile(
    r"(?<![\w\-])\d{1,4}[ \u00a0\-][A-Z]{1,3}[ \u00a0\-](?:\d{2}|2[AB]|97[1-6])(?![\w\-])"
)
_VEHICLE_CONTEXT_RE = re.compile(
    r"plaque|immatricul|véhicule|vehicule|voiture|\bauto\b|\bmoto|camion|scooter|fourgon"
    r"|camionnette|\bgaré|stationn|parking|radar|amende|contravention|conducteur|permis"
    r"|\bcarte grise|\bpermis de circulation|macaron",
    re.IGNORECASE,
)


def _vehicle_context(text: str, start: int, end: int) -> bool:
    return bool(_VEHICLE_CONTEXT_RE.search(text[max(0, start - 80) : end + 40]))


@_recognizer("PLATE", 70)
def find_plates(text: str) -> list[Finding]:
    out = []
    for m in _PLATE_CH_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        grouped = not m.group(1).isdigit()
        # A bare « BE 12 » may be anything; a long or grouped number or a vehicle nearby is a
        # plate.
        if _UNIT_BEFORE_RE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # « Prix : FR 12 345 » is an amount in francs
        if len(digits) >= 5 or grouped or _vehicle_context(text, m.start(), m.end()):
            out.append(Finding.of_match("PLATE", m, 0.85, "plaque (CH)"))
    for m in _PLATE_FR_RE.finditer(text):
        out.append(Finding.of_match("PLATE", m, 0.9, "plaque (FR, SIV)"))
    for m in _PLATE_FNI_RE.finditer(text):
        if _vehicle_context(text, m.start(), m.end()):
            out.append(Finding.of_match("PLATE", m, 0.75, "plaque (FR, FNI)"))
    return out


# --------------------------------------------------------------------------- helpers
def _near_miss(kind: str, m: re.Match) -> Finding:
    """A candidate that has the shape of ``kind`` but a wrong checksum (confidence 0)."""
    return Finding.of_match(kind, m, 0.0, "somme de contrôle invalide")


def _checksummed(
    text: str,
    kind: str,
    regex: re.Pattern,
    is_valid: Callable[[str], bool],
    recognizer: str,
    drop: str = r"\D",
    *,
    confidence: float = 0.99,
    keep: Callable[[str, re.Match], bool] | None = None,
    near_misses: bool = True,
) -> list[Finding]:
    """Every match of ``regex`` whose compact form (``drop`` removed) passes ``is_valid``,
    and ``keep(text, match)`` when given, as a finding; the other matches as near misses
    unless *near_misses* is false."""
    out = []
    for m in regex.finditer(text):
        if is_valid(re.sub(drop, "", m.group())) and (keep is None or keep(text, m)):
            out.append(Finding.of_match(kind, m, confidence, recognizer))
        elif near_misses:
            out.append(_near_miss(kind, m))
    return out


def run_structured(text: str, kinds: set[str] | None = None) -> list[Finding]:
    """Run every structured recogniser (or only ``kinds``); near misses have confidence 0."""
    out: list[Finding] = []
    for kind, (func, _priority) in RECOGNIZERS.items():
        if kinds is None or kind in kinds:
            out.extend(func(text))
    return out
