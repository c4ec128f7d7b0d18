"""Detection rules of the prompt analyser: one list of compiled regular expressions per component.

Each rule is a ``Rule(name, pattern)``; a component is present when one of its rules matches.
The rules are documented, with their rationale, in ``toolkit/prompts/RULES.md``; keep both in
step. Patterns run on a normalised copy of the prompt (same length, typographic apostrophes
and non-breaking spaces replaced) with ``re.IGNORECASE``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["RULES", "Rule", "lower", "mask_material", "normalise"]

_FLAGS = re.IGNORECASE | re.MULTILINE


class Rule(NamedTuple):
    """A named pattern; ``name`` says in French which clue was found.

    Most patterns are compiled in lower case without ``re.IGNORECASE`` and searched in a
    lower-cased copy of the prompt (about twice as fast); ``cased`` rules, which look at
    capital letters, run on the prompt as written, with ``re.IGNORECASE``.
    """

    name: str
    pattern: re.Pattern[str]
    cased: bool = False


_GROUP = re.compile(r"\(\?:([^()]*)\)")


def _optimise(pattern: str) -> str:
    """Turn every plain "(?:word|word|...)" group of 4+ words into a prefix tree (same matches)."""

    def replace(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.count("|") < 3:
            return match.group(0)
        return _fast(match.group(0))

    return _GROUP.sub(replace, pattern)


def _lower_pattern(pattern: str) -> str:
    """Lower-case the literals of ``pattern``, leaving escapes (``\\S``, ``\\W``...) alone."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def _r(name: str, pattern: str) -> Rule:
    pattern = _optimise(pattern)
    if "(?-i:" in pattern:
        return Rule(name, re.compile(pattern, _FLAGS), cased=True)
    return Rule(name, re.compile(_lower_pattern(pattern), re.MULTILINE))


def lower(text: str) -> str:
    """Lower-case ``text`` without changing its length (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_TRANSLATE = str.maketrans({"’": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def normalise(text: str) -> str:
    """Same-length copy of ``text`` with apostrophes and special spaces made plain."""
    return text.translate(_TRANSLATE)


def _trie(words: str) -> str:
    """A regex alternation of plain ``words`` ("a|b|c") with common prefixes factored out.

    Python's ``re`` tries each branch of an alternation in turn; factoring prefixes makes the
    long verb lists several times faster, which keeps the analyser under its time budget.
    """
    tree: dict = {}
    for word in sorted(set(words.split("|"))):
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return "(?:" + build(tree) + ")"


_PLAIN = re.compile(r"[^\\()\[\]{}?*+|^$.]")


def _expand(token: str) -> list[str] | None:
    """Plain variants of ``token`` ("chefs? d'équipe", "compte[- ]rendu"), or None if not simple."""
    variants = [""]
    i = 0
    while i < len(token):
        if token.startswith("[- ]", i):
            variants = [v + c for v in variants for c in "- "]
            i += 4
            continue
        char = token[i]
        if not _PLAIN.fullmatch(char):
            return None
        if i + 1 < len(token) and token[i + 1] == "?":
            variants = [v + c for v in variants for c in ("", char)]
            i += 2
        else:
            variants = [v + char for v in variants]
            i += 1
    return variants


def _fast(alternation: str) -> str:
    """Rewrite a "(?:a|b?|c[- ]d)" list of words as a prefix tree when every word is simple."""
    wrapped = alternation.startswith("(?:") and alternation.endswith(")")
    body = alternation[3:-1] if wrapped else alternation
    words: list[str] = []
    for token in body.split("|"):
        variants = _expand(token)
        if variants is None:
            return alternation
        words.extend(v for v in variants if v)
    return _trie("|".join(words))


_MATERIAL_BLOCK = re.compile(
    r"(\"\"\"|'''|```)([\s\S]+?)\1"
    # the content may not reopen the same tag: "entre les balises <texte> … <texte>…</texte>"
    # masks only the real block, not the instruction that names the tag
    r"|(<([a-zA-Zéèàç_][\w\-éèàç]{0,30})>)((?:(?!<\4>)[\s\S])+?)(</\4>)"
    r"|(«)([^»]{80,})(»)|(\")([^\"\n]{80,})(\")|(“)([^”]{80,})(”)"
)


def mask_material(text: str) -> str:
    """Same-length copy of ``text`` with the content of delimited passages blanked out.

    Delimiters themselves stay (the délimiteurs rules need them); only what they enclose is
    replaced by spaces, keeping line breaks, so offsets still point into the original prompt.
    """
    if not any(mark in text for mark in ('"""', "'''", "```", "<", "«", '"', "“")):
        return text

    def blank(match: re.Match[str]) -> str:
        if match.group(1) is not None:  # the same mark opens and closes
            opening, content, closing = match.group(1), match.group(2), match.group(1)
        elif match.group(3) is not None:  # <tag>content</tag>
            opening, content, closing = match.group(3), match.group(5), match.group(6)
        else:
            opening, content, closing = [g for g in match.groups() if g is not None]
        hidden = "".join("\n" if c == "\n" else " " for c in content)
        return opening + hidden + closing

    return _MATERIAL_BLOCK.sub(blank, text)


# Start of a sentence or clause: where an imperative verb can begin an instruction.
_START = (
    r"(?:^|[.!?:;,\n)•*>-]|\d[.)]|\b(?:puis|ensuite|enfin|alors|et|then|and|now|please|merci|also|"
    r"aussi)\b)[ \t]*"
)

# ---------------------------------------------------------------------------------------------
# Rôle
_ROLE_DET = (
    r"(?:un|une|le|la|l'|notre|mon|ma|mes|des|en charge|chargée?|responsable|expert|experte|"
    r"spécialiste)"
)
_ROLE_NOUN = (
    r"(?:expert|experte|expert·e|spécialiste|consultante?|conseillère?|conseiller·ère|juriste|"
    r"rédactrice|rédacteur|rédacteur·rice|journaliste|recruteur|recruteuse|recruteur·euse|"
    r"formatrice|formateur|formateur·rice|coach|traductrice|traducteur|traducteur·rice|"
    r"assistante?|analyste|comptable|contrôleur|contrôleuse|gestionnaire|chargée? de|"
    r"responsable|directrice|directeur|professeure?|enseignante?|avocate?|auditrice|auditeur|"
    r"community manager|copywriter|secrétaire|secrétaire générale?|archiviste|économiste|"
    r"psychologue|médiatrice|médiateur|correctrice|correcteur|relectrice|relecteur|"
    r"(?:\w+ )?(?:RH|DRH|marketing|communication|finance|financier|financière))"
)
_EN_ROLE_NOUN = (
    r"(?:expert|specialist|consultant|advisor|adviser|writer|copywriter|editor|journalist|"
    r"recruiter|trainer|coach|translator|assistant|analyst|accountant|controller|manager|"
    r"officer|lawyer|attorney|teacher|auditor|secretary|clerk|proofreader|strategist|"
    r"planner|designer|communicator|specialist)"
)
_EN_ROLE_NOUN = _fast(_EN_ROLE_NOUN)
ROLE = (
    _r("« tu es / vous êtes … »",
       rf"(?<!\bsi )(?<!\bque )(?<!\bquand )\b(?:tu es|tu seras|vous êtes|vous serez|t'es)\s+"
       rf"(?:maintenant\s+|désormais\s+|aujourd'hui\s+)?(?:{_ROLE_DET}|{_ROLE_NOUN})"),
    _r("« Tu es … » en début de phrase",
       rf"{_START}(?:tu es|vous êtes)\s+(?!sûre?s?\b|capables?\b|prête?s?\b|libres?\b|d'accord\b|"
       r"en train\b|là\b|ici\b|bien\b|pas\b|trop\b|très\b|encore\b|déjà\b)[\w·-]{3,}"),
    _r("« agis / comporte-toi comme … »",
       r"\b(?:agis|agissez|comporte-toi|comportez-vous|réponds|répondez|écris|écrivez|rédige|"
       r"rédigez|parle|parlez)\s+(?:comme|en tant qu'?e?|à la manière d'?e?)\s*(?:si tu étais\s+)?"
       r"(?:un|une|le|la|l'|notre|ton|votre|\w+)"),
    _r("« joue / prends le rôle … »",
       r"\b(?:joue|jouez|prends|prenez|endosse|endossez|incarne|incarnez|adopte|adoptez)\s+"
       r"(?:le rôle|la posture|la casquette|le point de vue|la persona|la personnalité)"
       r"|\bdans (?:le rôle|la peau|la posture) d"
       r"|\b(?:mets|mettez)[- ](?:toi|vous) (?:dans la peau|à la place) d"),
    _r("« ton rôle / rôle : … »",
       r"\b(?:ton|votre) (?:rôle|persona)\b|^\s*(?:rôle|persona|role)\s*:"),
    _r("« imagine que tu es … »",
       r"\b(?:imagine|imaginez|suppose|supposez) que (?:tu es|vous êtes)\b"),
    _r("« en tant que … » (adressé au modèle)",
       rf"\ben tant qu'?e?\s*{_ROLE_NOUN}[^,.\n]{{0,60}},\s*"
       r"(?!j'|je\b|nous\b|on\b|mon\b|ma\b|notre\b)"
       r"(?:\w+-(?:tu|vous|moi)\b|\w+(?:e|s|ez)\b)"),
    _r("« you are a … »",
       rf"\b(?:you are|you're|you will be|you'll be)\s+(?:now\s+|acting as\s+)?"
       rf"(?:an?|the|my|our)\s+(?:[\w-]+\s+){{0,4}}?{_EN_ROLE_NOUN}"
       rf"|\b(?:you are|you're)\s+(?:now\s+)?(?:an?\s+)?(?:experienced|seasoned|senior|expert)\b"),
    _r("« act as … »",
       r"\b(?:act|acting|behave|respond|write|answer)\s+(?:as|like)\s+(?:if you were\s+)?"
       r"(?:an?|the|my|our|\w+)\b"
       r"|\b(?:play|assume|take on|adopt)\s+the\s+(?:role|persona|perspective)\b"
       r"|\b(?:your role|your persona)\b|\bpretend (?:to be|you are)\b"
       r"|\bimagine (?:you are|you're)\b|\bin the role of\b"),
    _r("« as an expert … » (adressé au modèle)",
       rf"\bas an?\s+(?:[\w-]+\s+){{0,3}}?{_EN_ROLE_NOUN}[^,.\n]{{0,40}},\s*"
       r"(?!I\b|I'|we\b|my\b|our\b)"
       r"(?:please\s+)?[a-z]+"),
)

# ---------------------------------------------------------------------------------------------
# Contexte
_FR_ORG = (
    r"(?:entreprise|société|service|commune|équipe|administration|département|direction|office|"
    r"canton|ville|mairie|collectivité|association|organisation|cabinet|agence|client|clientèle|"
    r"budget|PME|hôpital|école|banque|fondation|coopérative|section|unité|secrétariat|"
    r"conseil|municipalité|établissement|magasin|boutique|filiale|groupe|personnel|"
    r"collaborateurs|collaboratrices|effectif|siège|projet|réseau|région|musée|"
    r"bibliothèque|crèche|théâtre|EMS|clinique|office du tourisme|commission|comité)"
)
_FR_ORG = _fast(_FR_ORG)
_FR_AUDIENCE = (
    r"(?:collaborateurs|collaboratrices|collaborateur·rice·s|employés|employé·e·s|salariés|"
    r"agents|agentes|citoyens|citoyennes|habitants|habitantes|clients|clientes|usagers|usagères|"
    r"candidats|candidates|candidat·e·s|élus|élues|managers|cadres|administrés|apprentis|"
    r"apprenties|stagiaires|nouveaux arrivants|nouvelles recrues|bénévoles|membres|partenaires|"
    r"fournisseurs|lecteurs|lectrices|abonnés|parents|élèves|patients|seniors|jeunes|"
    r"collègues|équipes|chefs? d'équipe|responsables|locataires|contribuables|retraités)"
)
_FR_AUDIENCE = _fast(_FR_AUDIENCE)
# What shows that an organisation is described, not just named: a comma, a size, a relative
# clause or a verb of which it is the subject ("notre service compte…", "notre commune a…").
_DESCRIBED = (
    r"(?:\s*[,(]|\s+(?:de|d'|d')\s*(?:\d|plus|moins|près|environ)|\s+(?:qui|où|dont|"
    r"compte|comptent|emploie|emploient|regroupe|regroupent|est|sont|a|ont|vient|viennent|doit|"
    r"doivent|va|vont|souhaite|souhaitent|veut|veulent|organise|organisent|prépare|préparent|"
    r"lance|lancent|déménage|déménagent|change|changent|ouvre|ouvrent|ferme|ferment|accueille|"
    r"accueillent|reçoit|reçoivent|traite|traitent|gère|gèrent|fête|fêtent|recrute|recrutent|"
    r"cherche|cherchent|manque|manquent|travaille|travaillent|utilise|utilisent|passe|passent|"
    r"connaît|connaissent|rencontre|rencontrent|subit|subissent|perd|perdent)\b)"
)
CONTEXTE = (
    _r("rubrique « Contexte : »",
       r"^\s*(?:#+\s*)?(?:contexte|context|background|situation|informations?|infos)\s*(?::|$)"
       r"|<(?:contexte|context|background)>"),
    _r("qui demande (« je suis… », « nous… », « notre service… »)",
       r"\b(?:je suis|je travaille|je m'occupe|je dirige|je gère|je coordonne|je prépare|"
       r"je dois|je viens de|je reçois|je rédige|j'organise|j'anime|je pilote|je représente|"
       r"nous sommes|nous travaillons|nous organisons|nous préparons|nous allons|nous avons|"
       r"nous recrutons|nous cherchons|nous lançons|nous devons|nous venons|nous recevons|"
       r"nous souhaitons|nous employons|nous comptons|on organise|on prépare|on recrute|"
       r"on lance|on a reçu|j'ai reçu|j'ai rendez-vous|j'ai une réunion|j'ai rencontré|j'ai été)\b"
       # "notre service" is context when it is what the sentence is about (a subject at the
       # start of a clause, a place: "dans notre commune") or is described ("notre service
       # compte 12 personnes"); as the object of the task ("présenter notre nouveau
       # service") it only names the topic.
       rf"|{_START}(?:(?:dans|chez|au sein d'?e?|auprès d'?e?|pour le compte d'?e?)\s+)?"
       rf"(?:notre|nos|mon|ma|mes)\s+(?:[\w-]+\s+)?{_FR_ORG}\b"
       rf"|\b(?:dans|chez|au sein d'?e?|auprès d'?e?|pour le compte d'?e?)\s+"
       rf"(?:notre|nos|mon|ma|mes)\s+(?:[\w-]+\s+)?{_FR_ORG}\b"
       rf"|\b(?:notre|nos|mon|ma|mes)\s+(?:[\w-]+\s+)?{_FR_ORG}{_DESCRIBED}"
       rf"|\ben tant qu'?e?\s*[^,.\n]{{2,50}},\s*(?:j'|je\b|nous\b|on\b)"),
    _r("« nous … » au présent (« que nous envoyons »)",
       r"(?<![-\w])(?:nous|on)\s+(?:ne\s+|n'|leur\s+|les\s+|y\s+|en\s+)?\w{2,}ons\b"),
    _r("public visé (« destiné à… », « pour les collaborateurs… »)",
       r"\b(?:destinée?s?|adressée?s?) (?:à|aux)\b|\bà destination d|\bpublic (?:cible|visé)\b|"
       r"\bs'adresse (?:à|aux)\b|\blectorat\b|\baudience\b|"
       r"\b(?:pour|à|aux|auprès des?|de)\s+(?:nos|les|des|ses|leurs|tous les|toutes les|"
       r"l'ensemble des|nouveaux|nouvelles|futurs|futures)?\s*"
       rf"(?:\w+\s+)?{_FR_AUDIENCE}\b"),
    _r("but ou raison (« afin de… », « car… »)",
       r"\b(?:afin de|afin que|dans le but d|l'objectif est|notre objectif|mon objectif|le but est|"
       r"objectif\s*:|but\s*:|pour que|parce que|puisque|étant donné|suite à|à la suite d|"
       r"compte tenu|en raison d|en vue d|dans le cadre d|à l'occasion d)"
       r"|\bcar (?:nous|notre|nos|le|la|les|l'|il|elle|ils|elles|on|je|j'|ce|cette|ces|un|une|"
       r"beaucoup|plusieurs|certains|certaines)\b"),
    _r("matière fournie (« voici… », « ci-dessous… »)",
       r"\b(?:voici|ci-dessous|ci-après|ci-joint|en pièce jointe)\s+(?:le|la|les|l'|un|une|des|"
       r"mes|nos|notre|mon|ma|quelques|\w+)?\s*(?:texte|notes?|données|chiffres|e-mails?|"
       r"courriels?|mails?|message|messages|compte[- ]rendu|procès-verbal|PV|CV|offre|annonce|"
       r"budget|rapport|réclamation|plainte|lettre|article|tableau|liste|informations|éléments|"
       r"résultats|extraits?|transcription|questions|retours|commentaires|demandes?|"
       r"règlement|politique|procédure|documents?|fiche|brouillon|points?|prises? de notes?)"
       r"|^\s*(?:texte|notes?|données|e-mail|courriel|message|document|verbatim)\s*:"),
    _r("situation décrite, en anglais (« I work… », « our team… »)",
       r"\b(?:I am|I'm)\s+(?:an?|the|in|at|on|responsible|working|preparing|organi[sz]ing|writing|"
       r"planning|based|new|currently|leading|managing|running|trying|going|getting|looking|"
       r"hiring|launching|drafting|part|head|chair)\b"
       r"|\b(?:I work|I manage|I run|I lead|I coordinate|I've been|I have been|I have just|"
       r"I just|I received|I've received|I need to|I have to|I'll be|I will be|"
       r"we are|we're|we have|we've|we will|we'll|we need|we must|we run|we hire|we want|we would|"
       r"we received|we got|we were|we recently|we just|we plan|we hope|we expect|we organise|"
       r"we organize|we launched|we opened|we moved|we lost|we won)\b"
       r"|\bas an?\s+[^,.\n]{2,50},\s*(?:I\b|I'|we\b|my\b|our\b)"
       r"|\b(?:I have|I've got|I've)\s+(?:an?|\d+|some|several|received|been|just)\b"
       r"|\b(?:our|my)\s+(?:[\w-]+\s+)?(?:company|team|department|organisation|organization|"
       r"office|city|town|council|agency|firm|clients|customers|budget|staff|employees|school|"
       r"hospital|bank|startup|association|municipality|unit|service|manager|boss|board|museum|"
       r"library|theatre|theater|restaurant|hotel|clinic|nursery|charity|ngo|administration|"
       r"director|colleagues|members|project|business|shop|store|foundation|canton|region)\b"),
    _r("public ou but, en anglais (« for our staff », « in order to… »)",
       r"\b(?:intended for|aimed at|target audience|audience|readers?|readership|recipients?)\b"
       r"|\b(?:for|to)\s+(?:our|the|all|new|future|local)?\s*(?:\w+\s+)?(?:employees|staff|"
       r"customers|clients|citizens|residents|managers|candidates|colleagues|team members|"
       r"volunteers|interns|apprentices|members|parents|patients|users|newcomers|hires|"
       r"taxpayers|tenants|partners|suppliers|stakeholders)\b"
       r"|\b(?:so (?:I|we|they|that) can|so that|in order to|the goal is|our goal|my goal|"
       r"the aim is|the purpose|because|"
       r"since (?:we|our|the|it|they)|due to|as part of|following (?:the|our|a))\b"),
    _r("matière fournie, en anglais (« here is… », « below… »)",
       r"\b(?:here is|here are|here's|below is|below are|attached is|the following|pasted below|"
       r"see below|below)\b"
       r"|^\s*(?:text|notes|data|email|e-mail|message|document|transcript)\s*:"),
)


_MONTHS = (
    r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)"
)
_MONTHS = _fast(_MONTHS)
_PEOPLE = (
    r"(?:collaborateur|collaboratrice|client|cliente|citoyen|citoyenne|habitant|habitante|"
    r"employé|employée|candidat|candidate|usager|usagère|locataire|élu|élue|parent|patient|"
    r"patiente|association|fournisseur|partenaire|collègue|stagiaire|apprenti|apprentie|"
    r"président|présidente|directeur|directrice|maire|syndic|syndique|conseil|"
    r"comité|direction|journaliste|bénévole|retraité|retraitée|responsable)"
)
_PEOPLE = _fast(_PEOPLE)
_MATERIAL = (
    r"(?:texte|courrier|courriel|mail|e-mail|message|lettre|document|titre|slogan|calcul|"
    r"dépenses|chiffres|notes|compte[- ]rendu|rapport|paragraphe|phrase|post|article|annonce|"
    r"CV|contrat|décision|données|réponse|avis|commentaires?|retours?|réclamation|plainte|"
    r"extrait|discours|brouillon|questionnaire|formulaire|offre|offres|candidatures?|"
    r"feedback|email|letter|text|title|report|figures|data|sentence|paragraph|summary|speech|"
    r"draft|invoice|contract|expenses|comments|reviews|quote|complaint|form|fields|offer|"
    r"offers|slogan|tagline|notes|minutes|transcript|survey|answers|post)"
)
_MATERIAL = _fast(_MATERIAL)
CONTEXTE_EXTRA = (
    _r("organisation nommée (« dans une commune… », « at a cantonal… »)",
       rf"\b(?:dans|au sein d'?e?|pour|chez|à|au|auprès d'?e?)\s+(?:une?|la|le|l'|les|du|des)?\s*"
       rf"(?:[\w-]+\s+)?{_FR_ORG}\b"
       r"|\b(?:at|in|for|with)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:company|firm|administration|"
       r"municipality|agency|hospital|school|bank|museum|library|council|office|association|"
       r"startup|charity|ngo|canton|city|town|department|ministry|foundation|cooperative)\b"
       r"|\b(?:ville|commune|canton|région|city|town|canton) (?:de |d'|of )(?-i:[A-Z])"),
    _r("public visé au singulier (« explique à un habitant », « pour le conseil »)",
       rf"\b(?:explique|expliquez|expliquer|présente|présentez|présenter|écris|écrivez|rédige|"
       rf"rédigez|adresse|adressez|raconte|racontez|parle|parlez)(?:-le|-la|-les)?\s+"
       rf"(?:à un|à une|au|à la|à l'|aux)\s*(?:nouvel?|nouvelle|futur|future)?\s*{_PEOPLE}\b"
       r"|\bpour (?:le|la|l')\s*(?:conseil|comité|direction|président|présidente|maire|syndic|"
       r"syndique|municipalité|commission|assemblée)\b"
       r"|\b(?:to|for) (?:the|a|an|our) (?:board|council|committee|director|mayor|CEO|management|"
       r"executive team|steering committee)\b"),
    _r("personne qui demande (« un collaborateur demande… »)",
       r"\b(?:me|m'|nous)\s*(?:demande|demandent|a demandé|ont demandé|écrit|écrivent|a écrit|"
       r"contacte|sollicite|interroge|signale|reproche)\b"
       rf"|\b{_PEOPLE}s?\s+(?:me\s+|nous\s+)?(?:demande|demandent|se plaint|se plaignent|souhaite|"
       r"souhaitent|veut|veulent|a demandé|conteste|refuse|n'est pas|a écrit|écrit)\b"),
    _r("date ou fait précis",
       rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?(?:\s*-\s*\d{{1,2}})?\s+{_MONTHS}\b"
       rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
       r"|\b(?:a|ont|avons|avez|ai)\s+(?:été\s+|déjà\s+|récemment\s+|longtemps\s+)?"
       r"(?:bloqué|annulé|reporté|décidé|validé|fermé|ouvert|lancé|reçu|subi|changé|augmenté|"
       r"baissé|fusionné|augmentée|diminué|signalé|constaté|organisé|recruté|perdu|gagné|"
       r"déménagé|publié|adopté|voté|refusé|accepté|démissionné|quitté|rejoint|obtenu)\b"
       r"|\b(?:has|have|had)\s+(?:been\s+|just\s+|recently\s+)?(?:\w+ed|grown|fallen|risen|"
       r"left|lost|won|begun|broken)\b|\b(?:is|are)\s+(?:re)?opening\b"),
    _r("texte fourni après une annonce (« ce courrier : … »)",
       rf"\b(?:ce|cet|cette|ces|this|these|my|our|mon|ma|mes|notre|nos)\s+(?:[\w-]+\s+)?{_MATERIAL}\b"
       r"[^\n]{0,120}?[:?]\s*(?:\n|«|\"|“|\S)"
       rf"|\b{_MATERIAL}\s+suivante?s?\b|\b(?:ci-dessous|ci-après|below)\b"),
    _r("texte fourni entre délimiteurs",
       r"\"\"\"\s*\S[\s\S]{30,}?\"\"\"|```[\w]*\s*\S[\s\S]{30,}?```"
       r"|<([a-zA-Zéèàç_][\w\-éèàç]{0,30})>\s*\S[\s\S]{30,}?</\1>"
       r"|^\s*(?:#{3,}|-{3,})\s*\n[\s\S]{30,}?\n\s*(?:#{3,}|-{3,})\s*$"),
)

# ---------------------------------------------------------------------------------------------
# Tâche
_CLITICS = r"(?:moi|toi|nous|vous|la|le|les|lui|leur|en|y|m'en|nous-en)"
_FR_IMPERATIVES = (
    r"rédige|rédigez|écris|écrivez|résume|résumez|traduis|traduisez|classe|classez|analyse|"
    r"analysez|propose|proposez|génère|générez|crée|créez|liste|listez|énumère|énumérez|corrige|"
    r"corrigez|reformule|reformulez|extrais|extrayez|compare|comparez|explique|expliquez|fais|"
    r"faites|donne|donnez|prépare|préparez|identifie|identifiez|trouve|trouvez|calcule|calculez|"
    r"suggère|suggérez|évalue|évaluez|vérifie|vérifiez|relis|relisez|améliore|améliorez|"
    r"transforme|transformez|structure|structurez|synthétise|synthétisez|complète|complétez|"
    r"trie|triez|range|rangez|catégorise|catégorisez|attribue|attribuez|détermine|déterminez|"
    r"indique|indiquez|repère|repérez|relève|relevez|réponds|répondez|formule|formulez|"
    r"conçois|concevez|construis|construisez|élabore|élaborez|imagine|imaginez|aide-moi|aidez-moi|"
    r"dis-moi|dites-moi|présente|présentez|décris|décrivez|convertis|convertissez|adapte|adaptez|"
    r"simplifie|simplifiez|raccourcis|raccourcissez|développe|développez|organise|organisez|"
    r"planifie|planifiez|recense|recensez|signale|signalez|masque|masquez|remplace|remplacez|"
    r"sélectionne|sélectionnez|choisis|choisissez|estime|estimez|mets|mettez|transcris|"
    r"transcrivez|établis|établissez|fournis|fournissez|cite|citez|note|notez|discute|discutez|"
    r"débattez|débats|regroupe|regroupez|regrouper|rassemble|rassemblez|réécris|réécrivez|réécrire|sois|soyez|examine|examinez|critique|critiquez|reprends|reprenez|rédiger|écrire|résumer|"
    r"traduire|classer|analyser|proposer|générer|créer|lister|corriger|reformuler|extraire|"
    r"comparer|expliquer|préparer|identifier|trouver|calculer|évaluer|vérifier|relire|améliorer|"
    r"synthétiser|trier|répondre|élaborer|concevoir|établir|organiser|planifier"
)
_FR_IMPERATIVES = _trie(_FR_IMPERATIVES)
_EN_IMPERATIVES = (
    r"write|draft|summarize|summarise|translate|classify|analyze|analyse|propose|generate|create|"
    r"list|correct|rewrite|rephrase|extract|compare|explain|make|give|prepare|identify|find|"
    r"calculate|compute|suggest|help|evaluate|check|review|proofread|improve|turn|convert|"
    r"structure|compose|outline|produce|provide|sort|categorize|categorise|reply|respond|answer|"
    r"tell|describe|plan|design|build|fill|complete|recommend|edit|assign|determine|label|tag|"
    r"highlight|flag|mask|replace|redact|select|choose|estimate|put|organise|organize|rank|"
    r"score|rate|shorten|simplify|expand|adapt|brainstorm|discuss|debate|examine|critique|"
    r"assess|spot|detect|decide|reformulate|group|split|map|mark|present|come up|ask|base|"
    r"recommend|pick|name|draw up|set out|walk me through"
)
_EN_IMPERATIVES = _trie(_EN_IMPERATIVES)
TACHE = (
    _r("verbe d'action à l'impératif", rf"{_START}(?:{_FR_IMPERATIVES})\b(?!-(?!{_CLITICS}\b)\w)"),
    _r("demande explicite (« je voudrais que tu… », « peux-tu… »)",
       r"\b(?:peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|peux tu|pouvez vous|tu peux|"
       r"vous pouvez|"
       r"est-ce que tu peux|est-ce que vous pouvez|merci de|je voudrais|je souhaite|j'aimerais|"
       r"je veux|il me faut|il nous faut|j'ai besoin|nous avons besoin|tu dois|vous devez|"
       r"tu vas|vous allez|il faut que tu|je te demande|je vous demande|nous voudrions|"
       r"nous souhaitons|nous aimerions)\b"
       r"|\b(?:ta|votre) (?:tâche|mission|travail|consigne)\b"
       r"|^\s*(?:#+\s*)?(?:tâche|mission|consigne|demande|instructions?|task)\s*:"),
    _r("question sans point d'interrogation",
       rf"{_START}(?:quels?|quelles?|comment|pourquoi|combien|est-ce que|qu'est-ce|que faut-il|"
       r"what|how|why|which|who|when|where)\b[^.!?\n]{8,}(?:$|\n)"),
    _r("verbe à l'impératif (forme générale)",
       rf"{_START}(?!(?:dans|depuis|sous|vers|toutes|tous|après|avec|pour|parmi|chez|selon|malgré|"
       r"entre|pendant|lors|hors|plus|moins|très|ainsi|puis|alors|donc|mais|aussi|les|des|ces|mes|"
       r"tes|ses|nos|vos|leurs|ils|elles|nous|vous|tu|je|il|elle|on|ce|cette|cet|chaque|certaines?|"
       r"certains|plusieurs|quelques|une|un|le|la|sans|sur|par|pas|mois|fois|jours|ans|heures|"
       r"minutes|semaines|sommes|êtes|sont|avons|avez|ont|est|es|suis)\b)"
       r"(?-i:[A-ZÉÈ])[a-zéèêàçî]{2,}(?:e|es|ez|is|ds|s)\s+(?:les|le|la|l'|un|une|des|ce|cet|"
       r"cette|ces|mes|nos|tes|vos|ton|ta|votre|notre|moi|en)\b"),
    _r("question posée au modèle", r"(?:^|(?<=[.!?:\n]))[ \t]*[^?.!:\n]{12,}\?"),
    _r("verbe à l'impératif, en anglais", rf"{_START}(?:{_EN_IMPERATIVES})\b(?!-)"),
    _r("demande explicite, en anglais (« I need you to… », « can you… »)",
       r"\b(?:can you|could you|would you|will you|I need you to|I'd like you to|"
       r"I would like you to|"
       r"I want you to|I need an?|I need some|I'd like an?|I would like an?|please|your task|"
       r"your job|your mission)\b"),
)

# ---------------------------------------------------------------------------------------------
# Format
_NUM = (r"(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|"
        r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)")
_NUM2 = (r"(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|"
         r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)")
_FR_PARTS = (
    r"(?:points?|paragraphes?|phrases?|lignes?|parties|sections?|étapes|puces|questions|"
    r"propositions|titres?|idées|variantes|versions|options|slogans?|messages?|posts?|"
    r"suggestions|axes|arguments|actions|recommandations|catégories|colonnes|rubriques|"
    r"diapositives|slides|tweets|accroches|objets?|exemples de réponses?|critères|"
    r"mots-clés|hashtags|bullet points|règles|conseils|consignes)"
)
_FR_PARTS = _fast(_FR_PARTS)
_EN_PARTS = (
    r"(?:points?|paragraphs?|sentences?|lines?|parts|sections?|steps|bullets?|bullet points|"
    r"questions|proposals|titles?|headlines?|ideas|variants|versions|options|slogans?|"
    r"messages?|posts?|suggestions|arguments|actions|recommendations|categories|columns|"
    r"slides|tweets|hooks|subject lines?|criteria|keywords|hashtags|items|activities|tips|"
    r"names|reasons|ways|explanations|solutions|themes|topics|risks|options|scenarios)"
)
_EN_PARTS = _fast(_EN_PARTS)
FORMAT = (
    _r("rubrique « Format : »",
       # at the start of a line or of a sentence ("… courriel. Format : un objet et…")
       r"(?:^|[.!?)]\s+)\s*(?:#+\s*)?(?:format|format de (?:sortie|réponse)|output format|output|"
       r"structure|présentation|mise en forme|sortie attendue|expected output)\s*:"
       r"|\bformat (?:de (?:sortie|réponse)|attendu|suivant)\b|\boutput format\b"),
    _r("mise en forme (tableau, liste, JSON…)",
       r"\b(?:sous (?:la )?forme d|sous forme de|au format|en format|format)\s*(?:'|e |u |es )?\s*"
       r"(?:un |une |d'un |d'une )?(?:tableau|liste|puces|JSON|CSV|Markdown|YAML|XML|HTML|"
       r"e-mail|courriel|lettre|note|fiche|FAQ|questions|plan|grille|matrice|schéma|"
       r"check-?list|tableau)"
       r"|\b(?:en|dans un|un|une|avec un|avec une)\s+(?:tableau|liste (?:à puces|numérotée)|"
       r"puces|JSON|CSV|Markdown|YAML|XML|check-?list)\b"
       r"|\b(?:tableau|table)\s+(?:à|avec|de|en)\s+(?:\d+|deux|trois|quatre|cinq|six)?\s*colonnes?"
       r"|\bcolonnes?\s*(?::|«|\")|\b(?:les )?colonnes\b|\bliste (?:à puces|numérotée)\b|"
       r"\bpuces\b|\bJSON\b|\bCSV\b|\bmarkdown\b|\bintertitres?\b|\bsous-titres?\b"),
    _r("structure imposée (objet, titre, sections…)",
       r"\b(?:avec|comprenant|contenant|qui comporte|composée? d|structurée? en)\s+(?:un|une|des|"
       r"les|trois|deux|quatre|\d+)?\s*(?:objet|titre|intertitres?|introduction|conclusion|"
       r"sections?|parties|rubriques|signature|accroche|appel à l'action|call to action)"
       r"|^\s*(?:objet|titre|sujet|subject|title|résumé|catégorie|category|service|department)"
       r"\s*:\s*(?:\[|<|\{|…|\.\.\.|$)"
       r"|\b(?:réponds|répondez|renvoie|renvoyez|retourne|retournez|donne|donnez)\s+"
       r"(?:uniquement|seulement|simplement)\b"
       r"|\b(?:uniquement|seulement)\s+(?:par|le nom|la catégorie|le mot|oui ou non|un mot|"
       r"le service|la réponse|le code|le chiffre|le nombre)"
       r"|\b(?:un seul mot|oui ou non|une seule ligne|une seule phrase|par ordre (?:de|d'))"
       r"|\b(?:dernière|première) ligne\b|\bligne (?:finale|qui commence par)\b"
       r"|\b(?:last|final|first) line\b|\bline (?:starting|beginning) with\b"),
    _r("nombre d'éléments (« en 3 points », « 5 idées »)",
       rf"\b(?:en|sur|avec|maximum|au maximum|au plus|pas plus de|moins de|max\.?)"
       rf"\s+(?:les\s+)?{_NUM}\s+(?:\w+\s+)?{_FR_PARTS}\b"
       # after a verb, "un message" / "un post" is the task's object, not a count
       rf"|\b(?:de|propose|proposez|donne|donnez|liste|listez|rédige|rédigez|"
       rf"écris|écrivez|génère|générez|qui (?:rappelle|présente|liste|donne|propose|résume|"
       rf"explique|contient|comporte))"
       rf"\s+(?:les\s+)?(?:{_NUM2}|une? seule?)\s+(?:\w+\s+)?{_FR_PARTS}\b"
       rf"|\b{_NUM}\s+{_FR_PARTS}\s+(?:maximum|max|au plus|au maximum|environ)\b"
       rf"|(?:^|[:(])\s*{_NUM2}\s+{_FR_PARTS}\b"),
    _r("structure par élément (« pour chaque… », « doit comporter : »)",
       r"\bpour (?:chaque|chacune?)\b|\bfor each\b|\bfor every\b"
       r"|\b(?:comporter|comporte|comportera|contenir|contiendra|comprendre|inclure|"
       r"avec les (?:rubriques|sections|colonnes|champs)|champs|rubriques)\s*:"
       r"|\btableau (?:comparatif|récapitulatif|synthétique|de synthèse|croisé)\b"
       r"|\b(?:un|en) tableau\b|\ben (?:gras|italique)\b|\bin bold\b|\bsoulignée?s?\b"
       rf"|\b(?:{_FR_IMPERATIVES})(?:-moi)?\s+(?:les\s+|des\s+)?{_NUM2}\s+(?:[\w-]+\s+)?"
       rf"(?:{_FR_PARTS}|activités|noms|pistes|mesures|explications|solutions|conseils|"
       r"thèmes|sujets|raisons|risques|avantages|inconvénients|scénarios)\b"),
    _r("étapes montrées (« show your steps », « détaille chaque calcul »)",
       r"\bshow (?:your|the|all) (?:steps|work|calculations?|reasoning)\b"
       r"|\b(?:montre|montrez|détaille|détaillez|écris|écrivez)\s+"
       r"(?:tes|vos|les|chaque|chacun des)\s+"
       r"(?:calculs?|étapes?)\b"),
    _r("mise en forme, en anglais (table, list, JSON…)",
       r"\b(?:as|in|into|using)\s+(?:a |an )?(?:table|bulleted list|bullet list|bullet points|"
       r"numbered list|list|JSON|CSV|markdown|YAML|XML|HTML|checklist|FAQ|grid|matrix)\b"
       r"|\b(?:table|grid)\s+with\s+(?:\w+\s+)?columns?\b|\bcolumns?\s*:|\bbullet(?:ed)?\s+"
       r"(?:points?|list)\b|\bnumbered list\b|\bheadings?\b|\bsubheadings?\b|\bsubject line\b"
       r"|\b(?:with|including|containing)\s+(?:a |an |the )?(?:title|headline|subject line|"
       r"introduction|conclusion|sections?|call to action)\b"
       r"|\b(?:respond|reply|answer|return|output|give)\s+(?:me\s+)?(?:only|just)\b"
       r"|\b(?:respond|reply|answer|return)\s+with\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?only\b"
       r"|\bonly\s+(?:the|one|a single)\s+(?:category|word|label|name|number|department)\b"
       r"|\b(?:one word|yes or no|a single line|a single sentence|one line|one sentence)\b"),
    _r("nombre d'éléments, en anglais (« in 3 points », « 5 ideas »)",
       rf"\b(?:in|into|with|of|give|list|write|suggest|propose|generate|draft|provide|"
       rf"create|maximum|max|at most|up to|no more than|exactly|ask|ask me|name|proposing|"
       rf"suggesting|listing|giving|including|with only|containing)\s+(?:me\s+)?"
       rf"(?:the\s+)?{_NUM}\s+"
       rf"(?:[\w-]+\s+)?{_EN_PARTS}\b"),
)

# ---------------------------------------------------------------------------------------------
# Contraintes
_FR_TONES = (
    r"(?:formel|formelle|informel|informelle|chaleureux|chaleureuse|neutre|professionnel|"
    r"professionnelle|bienveillant|bienveillante|courtois|courtoise|direct|directe|positif|"
    r"positive|sobre|simple|clair|claire|factuel|factuelle|amical|amicale|rassurant|rassurante|"
    r"empathique|engageant|engageante|dynamique|institutionnel|institutionnelle|cordial|"
    r"cordiale|respectueux|respectueuse|pédagogique|humain|humaine|convivial|conviviale|"
    r"enthousiaste|ferme|poli|polie|sérieux|sérieuse|détendu|détendue|léger|légère|"
    r"inspirant|inspirante|motivant|motivante|accessible|concis|concise|diplomate|nuancé)"
)
_FR_TONES = _fast(_FR_TONES)
CONTRAINTES = (
    _r("ton ou registre",
       rf"\b(?:sur un|avec un|adopte un|adoptez un|utilise un|utilisez un|garde un|gardez un|"
       rf"d'un|au|le|un)\s+ton\b|\bton\s+(?:\w+\s+)?{_FR_TONES}\b|\btonalité\b|\bregistre\b|"
       rf"\b(?:vouvoie|vouvoyez|vouvoiement|tutoie|tutoyez|tutoiement)\b|\bstyle\s+{_FR_TONES}\b"
       r"|\b(?:langage|langue|français|vocabulaire|mots)\s+(?:simples?|clairs?|courants?|"
       r"accessibles?|inclusifs?|épicènes?|facile|facile à comprendre|administratif|juridique)\b"
       r"|\b(?:écriture inclusive|langage épicène|FALC|facile à lire)\b"),
    _r("interdiction ou règle (« n'invente pas », « évite… »)",
       r"\bn'(?:invente|inventez|utilise|utilisez|ajoute|ajoutez|inclus|incluez|emploie|employez|"
       r"indique|indiquez|oublie|oubliez|hésite)\b"
       r"|\bne\s+(?:\w+\s+)?(?:pas|jamais|rien|aucun|aucune|plus)\s+(?:\w+\s+)?(?:inventer|mentionner|"
       r"citer|utiliser|dépasser|inclure|donner|ajouter|promettre|révéler|modifier|changer|"
       r"reprendre|employer|parler|nommer|faire)\b"
       r"|\bne\s+(?:mentionne|mentionnez|cite|citez|donne|donnez|utilise|utilisez|dépasse|"
       r"dépassez|invente|inventez|ajoute|ajoutez|inclus|incluez|promets|promettez|révèle|"
       r"révélez|fais|faites|parle|parlez|modifie|modifiez|change|changez|emploie|employez|"
       r"nomme|nommez|reprends|reprenez|traduis|traduisez|réponds|répondez|sors|sortez|"
       r"signe|signez|laisse|laissez|t'appuie|vous appuyez)\b"
       r"|\b(?:évite|évitez|éviter|interdit|interdite|interdits|proscris|proscrivez|à proscrire|"
       r"bannis|bannissez|pas de jargon|pas d'|aucun jargon|aucune donnée|aucun nom|aucun chiffre|"
       r"aucune information|aucune promesse|aucun emoji)\b"
       r"|\bsans\s+(?:jargon|anglicismes?|emojis?|émojis?|abréviations?|donner|mentionner|citer|"
       r"inventer|promesse|promettre|nommer|jugement|fautes?|formules?|détails?|chiffres?|changer|"
       r"modifier|toucher|trahir|dénaturer|"
       r"noms?|données|termes?|répétitions?|langue de bois|superlatifs?|point d'exclamation)"),
    _r("exigence (« respecte… », « uniquement à partir de… »)",
       r"\b(?:respecte|respectez|respecter|impérativement|obligatoirement|obligatoire|"
       r"veille à|veillez à|assure-toi|assurez-vous|fais attention|faites attention|"
       r"prends soin|attention\s*:|important\s*:|règles?\s*:|contraintes?\s*:|limites?\s*:)"
       r"|\b(?:uniquement|seulement|exclusivement)\s+(?:à partir|sur la base|avec les|"
       r"les informations|des informations|ce qui|ce que|sur|d'après|selon)\b"
       r"|\b(?:texte|réponse|annonce|message|mail|e-mail|courriel|post|article|document|PV|"
       r"procès-verbal|résumé|lettre|discours|tableau|liste|slogan|méthode|titre|note|"
       r"proposition|version|programme|contenu|ton|style|plan|présentation|il|elle|chaque \w+)s?"
       r"\s+(?:\w+\s+){0,2}?(?:doit|doivent|devra|devront)\s+(?:\w+\s+)?(?:être|rester|tenir|"
       r"respecter|mentionner|inclure|contenir|comporter|préciser|citer|permettre|durer|faire|"
       r"utiliser|se terminer|commencer|donner|éviter)\b"
       r"|\b(?:mentionne|mentionnez|inclus|incluez|rappelle|rappelez|précise|précisez|n'oublie pas|"
       r"n'oubliez pas|pense à|pensez à)\s+(?:\w+\s+)?(?:les?|la|l'|des|du|que|aussi|également|"
       r"toujours|bien)\b"
       r"|\b(?:pars du principe|partez du principe|suppose que|supposez que|on considère que|"
       r"considère que|hypothèse\s*:)"
       r"|\bsi (?:tu ne sais pas|vous ne savez pas|l'information|une information|tu n'es pas sûr|"
       r"vous n'êtes pas sûr|tu hésites|un élément|une donnée|c'est incertain|tu manques)"
       r"|\b(?:cite|citez|indique|indiquez|mentionne|mentionnez)\s+(?:tes|vos|les)\s+sources\b"
       r"|\b(?:compréhensible|accessible|lisible)\s+(?:par|pour|à)\b|\bniveau\s+[ABC][12]\b"),
    _r("langue ou longueur (« en français », « 150 mots maximum »)",
       r"\b(?:en|in|into|vers l'|vers le)\s+(?:français|anglais|allemand|italien|espagnol|"
       r"french|english|german|"
       rf"italian|spanish)\b(?!\s+(?:et|and)\s+(?:en|in))"
       rf"|\b{_NUM}\s+(?:mots|caractères|signes|pages?|minutes?|secondes?|words|characters|pages?)\b"
       rf"|\b(?:maximum|max\.?|au plus|pas plus d'?e?|moins d'?e?|ne dépassant pas|limite de|"
       r"at most|no more than|fewer than|less than|under|within|up to)\s+(?:une?\s+)?"
       rf"(?:{_NUM}\s+)?"
       rf"(?:mots|caractères|signes|pages?|words|characters|pages?|minutes?)\b"
       r"|\b(?:court|courte|bref|brève|concis|concise|succinct|succincte|short|brief|concise)\b"),
    _r("ton ou style, en anglais (« friendly tone », « plain language »)",
       r"\btone\b|\bregister\b|\b(?:formal|informal|friendly|warm|polite|courteous|neutral|upbeat|"
       r"empathetic|reassuring|plain|professional|positive|engaging|inclusive|simple|clear|"
       r"respectful|factual|sober)\s+(?:tone|language|english|french|style|register|words|wording)\b"
       r"|\b(?:jargon|emojis?|exclamation marks?|buzzwords|clichés?|acronyms)\b"),
    _r("interdiction ou règle, en anglais (« do not… », « avoid… »)",
       rf"{_START}(?:do not|don't|never)\b"
       r"|\b(?:avoid|must not|mustn't|should not|shouldn't|make sure|ensure|"
       r"be sure to|stick to|only use|only include|only mention|only based on|based only|"
       r"based solely|only on|solely on|keep it|refrain from|rules?:|constraints?:|important:|"
       r"mention|include|assume|like I'm five|ELI5|"
       r"must (?:be|not|include|mention|stay|remain|fit|use|follow|contain|end|start)|"
       r"if you (?:don't|do not) know|if (?:the )?information is|if unsure|if you are not sure|"
       r"cite (?:your|the) sources?)\b"
       r"|\bwithout\s+(?:\w+\s+)?(?:jargon|emojis?|naming|mentioning|inventing|making up|"
       r"promising|names|figures|personal|technical|repetition|abbreviations|acronyms)"),
)

# ---------------------------------------------------------------------------------------------
# Exemples
EXEMPLES = (
    _r("rubrique « Exemple : »",
       r"^\s*(?:#+\s*)?(?:exemples?|examples?|modèle|model answer|sample|exemple de réponse|"
       r"example (?:output|answer|response)|exemple \d+|example \d+)\s*(?:\d+\s*)?(?::|$)"
       r"|\b(?:exemples?|examples?)\s*(?:\d+\s*)?:\s*\S"
       r"|<(?:exemples?|examples?)>"),
    _r("exemple annoncé (« voici un exemple », « par exemple : »)",
       r"\b(?:voici|ci-dessous|ci-après)\s+(?:un|une|des|deux|trois|quelques|mon|notre|l')\s*"
       r"(?:\w+\s+)?(?:exemples?|modèles?)\b"
       r"|\b(?:par exemple|exemple|comme ceci|comme ça|comme dans cet exemple)\s*:\s*\S"
       r"|\bpar exemple\s*[«\"]|\b(?:sur le modèle|comme l'exemple|à la manière de l'exemple|"
       r"dans le style de l'exemple|inspire-toi|inspirez-vous|en t'inspirant|en vous inspirant|"
       r"reprends le style|reprenez le style|imite|imitez)\b"
       r"|\bexemples? (?:de|d')\s*(?:[\w-]+\s+){0,2}?[\w-]+\s*(?:attendue?s?)?\s*:\s*\S"),
    _r("paires entrée → sortie",
       r"(?:^|\n)\s*(?:entrée|input|question|message|e-mail|courriel|texte|demande|q|"
       r"client|citoyen|mail)\s*\d*\s*:[^\n]{3,}\n\s*(?:sortie|output|réponse|answer|catégorie|"
       r"category|service|department|label|classement|r|a|étiquette|priorité|priority)\s*\d*\s*:"
       r"|(?:^|\n)[^\n]{3,}(?:→|=>|->)\s*[^\n]+\n[^\n]{3,}(?:→|=>|->)\s*[^\n]+"),
    _r("exemple annoncé, en anglais (« here is an example », « for example: »)",
       r"\b(?:here is|here are|here's|below is|below are)\s+(?:an|a|some|two|three|a few|my|our)"
       r"\s*(?:\w+\s+)?(?:examples?|samples?|model)\b"
       r"|\b(?:for example|for instance|e\.g\.)\s*[:\"“]"
       r"|\b(?:in the style of|like the (?:example|sample)|based on the (?:example|sample)|"
       r"follow (?:this|the) (?:example|pattern|model)|mimic|imitate)\b"
       r"|\bexamples? of\s+(?:\w+\s+){0,3}?(?:output|answers?|responses?|posts?|emails?)\s*:"
       r"|\b(?:here is|here's|here are|voici)\s+(?:an?|one|some|un|une|des)\s+[\w\s-]{0,40}?"
       r"\b(?:we|I|j'ai|nous avons|que nous avons|que j'ai|qu'on a)\s+(?:\w+\s+)?(?:liked|loved|"
       r"used|wrote|published|aimé|apprécié|utilisé|publié|écrit|préféré)\b"),
)

# ---------------------------------------------------------------------------------------------
# Délimiteurs
DELIMITEURS = (
    _r("triples guillemets ou accents graves", r"\"\"\"|'''|```|“““|«««"),
    _r("balises <…>…</…>", r"<([a-zA-Zéèàç_][\w\-éèàç]{0,30})(?:\s[^<>]{0,60})?>[\s\S]*?</\1>"),
    _r("ligne de séparation (###, ---, ===)",
       r"^\s*(?:#{3,}|-{3,}|={3,}|\*{3,}|_{3,}|~{3,}|<{3,}|>{3,})|^\s*#{2,}\s+\w"
       r"|(?:#{3,}|-{3,}|={3,})\s*$"),
    _r("passage entre guillemets ou crochets",
       r"«[^»]{80,}»|\"[^\"\n]{80,}\"|“[^”]{80,}”|\[\[[\s\S]+?\]\]|\{\{[\s\S]+?\}\}"),
)

#: All rules, by component key (same order as :data:`toolkit.prompts.hints.COMPONENTS`).
RULES: dict[str, tuple[Rule, ...]] = {
    "role": ROLE,
    "contexte": CONTEXTE + CONTEXTE_EXTRA,
    "tache": TACHE,
    "format": FORMAT,
    "contraintes": CONTRAINTES,
    "exemples": EXEMPLES,
    "delimiteurs": DELIMITEURS,
}
