"""Offline mode: deterministic, clearly labelled simulated answers.

No model is called.  The simulator reads the request for the structure it asks for and
returns an answer of that shape, so that notebooks run top to bottom without network:

- a JSON object with the requested keys (values marked as simulated);
- a list with the requested number of items;
- a Markdown table with the requested columns;
- a short letter or e-mail;
- otherwise a short paragraph that says it is a simulation.

Text answers start with ``[Simulation]``; JSON answers stay valid JSON (so code can parse
them) and their values say they are simulated.  The same request always gives the same
answer.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import textwrap
from pathlib import Path

__all__ = ["LABEL", "simulate_chat", "simulate_image"]

LABEL = "[Simulation]"

_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_ITEMS = (
    r"(?:points?|idées?|puces?|éléments?|exemples?|propositions?|titres?|questions?|étapes?|"
    r"conseils?|arguments?|avantages?|risques?|mots[- ]clés?|slogans?|phrases?|bullet points?|"
    r"bullets?|items?|ideas?|tips?|steps?|examples?|questions?|reasons?|raisons?|pistes?|actions?)"
)
_LIST_RES = (
    re.compile(rf"\b{_NUM}\s+(?:\w+\s+){{0,2}}?{_ITEMS}\b", re.I),
    re.compile(rf"\b(?:liste|list)\s+(?:de|of)\s+{_NUM}\b", re.I),
    re.compile(rf"\ben\s+{_NUM}\s+{_ITEMS}", re.I),
)
_TABLE_RE = re.compile(r"\b(tableau|table|tabular)\b", re.I)
_COLUMNS_RE = re.compile(
    r"(?:colonnes?|columns?)\s*(?:suivantes\s*)?(?::|«|\(|sont|are)?\s*([^\n.;]+)", re.I
)
_ROWS_CLAUSE_RE = re.compile(
    rf",?\s*(?:en|in|with|sur|avec|de)?\s*{_NUM}\s+(?:lignes|rows|lines)\b.*$", re.I
)
_JSON_RE = re.compile(r"\bjson\b", re.I)
_KEY_HINT_RE = re.compile(
    r"(?:clés?|champs?|keys?|fields?|propriétés?|attributs?|properties)\s*[:(]?\s*([^\n]+)", re.I
)
_QUOTED_RE = re.compile(r"[\"`«“]\s*([A-Za-z_][\w\-]{0,40})\s*[\"`»”]")
_LETTER_RE = re.compile(
    r"\b(lettre|courrier|e-?mail|courriel|mail|message de réponse|letter|réponse écrite)\b", re.I
)
_SUMMARY_RE = re.compile(r"\b(résume[rz]?|résumé|synthèse|synthétise[rz]?|summari[sz]e)\b", re.I)
_WORDS_RE = re.compile(r"\b(\d{2,4})\s+(?:mots|words)\b", re.I)


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _as_number(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token, 3)


def _excerpt(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _split_names(raw: str) -> list[str]:
    raw = re.sub(r"\s+(?:et|and)\s+", ",", raw.strip())
    names = []
    for part in re.split(r"[,/|]", raw):
        name = part.strip(" «»\"'`“”()[]:")
        if name and len(name) <= 40:
            names.append(name)
    return names


def _json_keys(text: str) -> list[str]:
    keys: list[str] = []
    for match in _KEY_HINT_RE.finditer(text):
        quoted = _QUOTED_RE.findall(match.group(1))
        keys += quoted or [k for k in _split_names(match.group(1)) if re.fullmatch(r"[\w\-]+", k)]
    if not keys:
        keys = _QUOTED_RE.findall(text)
    seen: list[str] = []
    for key in keys:
        if key.lower() not in ("json", "true", "false", "null") and key not in seen:
            seen.append(key)
    return seen[:12] or ["reponse"]


def _json_value(key: str, rng: random.Random):
    k = key.lower()
    if re.search(
        r"(nombre|nb|count|score|note|montant|prix|price|total|age|âge|minutes|"
        r"duree|durée|quantite|quantité|rang|rank|priorite|priorité)",
        k,
    ):
        return rng.randint(1, 5)
    if k.startswith(("est_", "is_", "has_", "a_")) or k in ("urgent", "valide", "ok"):
        return rng.random() < 0.5
    if "date" in k:
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if k.endswith("s") and k not in ("status", "statut", "analysis", "resume", "adresse"):
        return [f"{key} simulé 1", f"{key} simulé 2"]
    return f"valeur simulée pour « {key} »"


def _simulate_json(text: str, rng: random.Random) -> str:
    keys = _json_keys(text)
    return json.dumps({k: _json_value(k, rng) for k in keys}, ensure_ascii=False, indent=2)


_FILLERS = (
    "point à préciser avec votre contexte",
    "exemple générique sans lien avec un vrai modèle",
    "piste à vérifier avant de la réutiliser",
    "élément illustratif",
    "proposition de forme, pas de fond",
)


def _simulate_list(n: int, subject: str, rng: random.Random) -> str:
    n = max(1, min(n, 20))
    lines = [f"{LABEL} Liste simulée de {n} élément{'s' if n > 1 else ''} pour « {subject} » :", ""]
    for i in range(1, n + 1):
        lines.append(f"{i}. Élément simulé n° {i} : {rng.choice(_FILLERS)}.")
    return "\n".join(lines)


def _simulate_table(text: str, rng: random.Random) -> str:
    match = _COLUMNS_RE.search(text)
    raw = _ROWS_CLAUSE_RE.sub("", match.group(1)) if match else ""
    columns = [c for c in _split_names(raw) if len(c.split()) <= 4][:8]
    if len(columns) < 2:
        columns = ["Élément", "Description", "Remarque"]
    rows = 3
    m = re.search(rf"\b{_NUM}\s+(?:lignes|rows|lines)\b", text, re.I)
    if m:
        rows = max(1, min(_as_number(m.group(1)), 12))
    out = [
        f"{LABEL} Tableau simulé :",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for r in range(1, rows + 1):
        out.append("| " + " | ".join(f"{c} {r} (simulé)" for c in columns) + " |")
    return "\n".join(out)


def _simulate_letter(subject: str) -> str:
    return textwrap.dedent(f"""\
        {LABEL} Lettre simulée (aucun modèle n'a été appelé).

        Madame, Monsieur,

        Nous faisons suite à votre demande concernant « {subject} ». Ce courrier montre
        seulement la forme attendue : une formule d'appel, un paragraphe qui répond à la
        demande, une proposition de suite et une formule de politesse.

        Nous restons à votre disposition pour tout complément d'information.

        Veuillez agréer, Madame, Monsieur, nos salutations distinguées.

        [Nom, fonction, service]""")


def _simulate_summary(subject: str) -> str:
    return (
        f"{LABEL} Résumé simulé : le texte fourni (« {subject} ») serait ici condensé en "
        "trois phrases. Un vrai modèle reprendrait les idées principales. En mode hors ligne, "
        "aucun modèle n'est appelé : vérifiez toujours un résumé contre le texte source."
    )


def _simulate_paragraph(subject: str, rng: random.Random) -> str:
    return (
        f"{LABEL} Réponse simulée à « {subject} ». En mode hors ligne, aucun modèle n'est "
        f"appelé : ce texte montre seulement la place d'une réponse ({rng.choice(_FILLERS)}). "
        "Pour une vraie réponse, configurez une clé (OPENAI_API_KEY) ou un serveur local "
        "(OPENAI_BASE_URL), ou rejouez des réponses enregistrées (ATELIER_MODE=replay)."
    )


def _truncate_words(text: str, limit: int) -> str:
    words = text.split(" ")
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def simulate_chat(messages: list[dict], image_descriptions: list[str] | None = None) -> str:
    """The simulated answer to a chat request (deterministic)."""
    user: dict = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    content = user.get("content", "")
    if isinstance(content, list):
        content = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
    system = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "system")
    request = f"{system}\n{content}".strip()
    rng = _rng(request, *(image_descriptions or ()))
    subject = _excerpt(content or system)

    if image_descriptions:
        return "\n\n".join(image_descriptions)
    if _JSON_RE.search(request):
        return _simulate_json(request, rng)
    if _TABLE_RE.search(request) and _COLUMNS_RE.search(request):
        return _simulate_table(request, rng)
    for pattern in _LIST_RES:
        match = pattern.search(content) or pattern.search(system)
        if match:
            return _simulate_list(_as_number(match.group(1)), subject, rng)
    if _TABLE_RE.search(request):
        return _simulate_table(request, rng)
    if _LETTER_RE.search(request):
        return _simulate_letter(subject)
    if _SUMMARY_RE.search(request):
        answer = _simulate_summary(subject)
    else:
        answer = _simulate_paragraph(subject, rng)
    limit = _WORDS_RE.search(request)
    return _truncate_words(answer, max(int(limit.group(1)), 15)) if limit else answer


def describe_image_offline(path: Path) -> str:
    """Simulated description of an image: its sidecar description when there is one."""
    sidecar = path.with_name(path.name + ".description.txt")
    alt = path.with_suffix(".description.txt")
    for candidate in (sidecar, alt):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8").strip()
            return f"{LABEL} Description préparée de l'image « {path.name} » :\n\n{text}"
    try:
        from PIL import Image

        with Image.open(path) as img:
            size = f"{img.width}×{img.height} px"
    except Exception:  # noqa: BLE001 - any unreadable image just gets no size
        size = "taille inconnue"
    return (
        f"{LABEL} Description simulée de l'image « {path.name} » ({size}) : en mode hors "
        "ligne, l'image n'est pas analysée. Un modèle de vision décrirait ici son contenu."
    )


def _dejavu() -> str | None:
    """Path of DejaVuSans.ttf shipped by matplotlib (a dependency), found without importing it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.is_file():
            return str(path)
    return None


def _font(size: int):
    """A font with French accents: Pillow's default font draws « É » as a box."""
    from PIL import ImageFont

    path = _dejavu()
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no sized default font
        return ImageFont.load_default()


def simulate_image(prompt: str, size: tuple[int, int] = (512, 512)):
    """A locally drawn placeholder image, clearly marked as simulated (PIL image)."""
    from PIL import Image, ImageDraw

    rng = _rng("image", prompt)
    w, h = size
    a = (rng.randint(40, 120), rng.randint(60, 140), rng.randint(120, 200))
    b = (rng.randint(150, 230), rng.randint(120, 200), rng.randint(60, 140))
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(h - 1, 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3)))
    for _ in range(6):
        x0, y0 = rng.randint(0, w - 60), rng.randint(0, h - 60)
        r = rng.randint(20, 80)
        draw.ellipse([x0, y0, x0 + r, y0 + r], outline=(255, 255, 255), width=2)
    title, body = _font(max(18, w // 18)), _font(max(12, w // 32))
    draw.rectangle([0, 0, w, h // 7], fill=(0, 0, 0))
    draw.text((12, 10), "IMAGE SIMULÉE (hors ligne)", fill=(255, 255, 255), font=title)
    y = h // 7 + 14
    for line in textwrap.wrap(_excerpt(prompt, 220), width=max(20, w // 12)):
        draw.text((14, y), line, fill=(255, 255, 255), font=body)
        y += max(14, w // 28)
    return img
