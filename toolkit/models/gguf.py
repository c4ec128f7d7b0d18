"""Read and check a GGUF model file's header: magic, version, metadata, tensor sizes.

A streaming reader that skips the tokenizer arrays instead of loading them (the full
``gguf.GGUFReader`` takes seconds on a 100 MB file); the format's constants (value types,
tensor block sizes) come from llama.cpp's own ``gguf`` package.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import LocalModelMissingError, ModelFileError

__all__ = ["MAGIC", "GGUFInfo", "inspect"]

MAGIC = b"GGUF"
#: Metadata keys worth showing; the rest (tokenizer, hyper-parameters) is skipped.
_WANTED = {
    "general.name",
    "general.basename",
    "general.license",
    "general.architecture",
    "general.size_label",
    "general.languages",
}
_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY = 8, 9
#: More than this many metadata entries or tensors means a damaged header, not a model.
_SANE = 1_000_000


@dataclass
class GGUFInfo:
    """What a GGUF file says about itself."""

    path: Path
    version: int
    size: int
    tensors: int
    parameters: int
    metadata: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def licence(self) -> str | None:
        value = self.metadata.get("general.license")
        return str(value) if value else None

    @property
    def context_length(self) -> int | None:
        arch = self.metadata.get("general.architecture")
        value = self.metadata.get(f"{arch}.context_length")
        return int(value) if value else None


class _Reader:
    def __init__(self, handle, path: Path, size: int):
        self.f, self.path, self.size = handle, path, size

    def read(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise _Truncated
        return data

    def scalar(self, code: str):
        return struct.unpack("<" + code, self.read(struct.calcsize(code)))[0]

    def string(self, keep: bool = True) -> str | None:
        n = self.scalar("Q")
        if n > self.size:
            raise _Damaged(f"longueur de texte impossible ({n} octets)")
        if not keep:
            self.f.seek(n, 1)
            if self.f.tell() > self.size:
                raise _Truncated
            return None
        return self.read(n).decode("utf-8", errors="replace")

    def value(self, vtype: int, keep: bool):
        if vtype in _SCALARS:
            return self.scalar(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string(keep)
        if vtype == _ARRAY:
            itype, count = self.scalar("I"), self.scalar("Q")
            if count > self.size:
                raise _Damaged(f"tableau de {count} éléments")
            if itype in _SCALARS:  # fixed-size items: skip in one seek
                width = struct.calcsize(_SCALARS[itype])
                if not keep:
                    self.f.seek(width * count, 1)
                    if self.f.tell() > self.size:
                        raise _Truncated
                    return None
                return list(struct.unpack(f"<{count}{_SCALARS[itype]}", self.read(width * count)))
            items = [self.value(itype, keep) for _ in range(count)]
            return items if keep else None
        raise _Damaged(f"type de valeur inconnu ({vtype})")


class _Truncated(Exception):
    pass


class _Damaged(Exception):
    pass


def _quant_sizes() -> dict:
    try:
        from gguf.constants import GGML_QUANT_SIZES
    except ImportError:
        raise LocalModelMissingError(
            "Le module « gguf » (lecture des fichiers de modèle) n'est pas installé.",
            "Installez le modèle local : « make local-model » dans le dossier du cours.",
        ) from None
    return {int(k): v for k, v in GGML_QUANT_SIZES.items()}


def inspect(path: str | Path) -> GGUFInfo:
    """Check that *path* is a complete GGUF file and return its header.

    Raises :class:`ModelFileError` (French message naming the file and the fix) for a missing
    file, a file that is not GGUF, a damaged header, or a file shorter than its tensors.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise ModelFileError(
            f"Fichier de modèle introuvable : {p}.",
            "Vérifiez le chemin, ou voyez les modèles disponibles avec « atelier model list ».",
        )
    size = p.stat().st_size
    with p.open("rb") as handle:
        r = _Reader(handle, p, size)
        head = handle.read(4)
        if head != MAGIC:
            raise ModelFileError(
                f"{p.name} n'est pas un modèle au format GGUF (il commence par {head[:4]!r} "
                "au lieu de b'GGUF').",
                "Utilisez un fichier .gguf (format de llama.cpp, par exemple depuis Hugging "
                "Face) ; un modèle safetensors ou PyTorch doit d'abord être converti.",
            )
        try:
            return _parse(r, p, size)
        except _Truncated:
            raise ModelFileError(
                f"{p.name} est tronqué ({size:,} octets) : le fichier s'arrête avant la fin du "
                "modèle.".replace(",", "\u202f"),
                "Le téléchargement ou la copie n'est pas allé au bout : recommencez-le "
                "(« atelier model add URL » reprend où il s'est arrêté).",
            ) from None
        except (_Damaged, struct.error, UnicodeDecodeError) as exc:
            raise ModelFileError(
                f"L'en-tête de {p.name} est endommagé ({exc}).",
                "Téléchargez le fichier à nouveau depuis sa source.",
            ) from None


def _parse(r: _Reader, p: Path, size: int) -> GGUFInfo:
    version = r.scalar("I")
    if version not in (2, 3):
        raise _Damaged(f"version GGUF {version} non prise en charge (2 ou 3 attendue)")
    tensors, kv_count = r.scalar("Q"), r.scalar("Q")
    if tensors > _SANE or kv_count > _SANE:
        raise _Damaged(f"{tensors} tenseurs, {kv_count} métadonnées")
    metadata: dict = {}
    for _ in range(kv_count):
        key = r.string() or ""  # only string(keep=False) gives None
        vtype = r.scalar("I")
        keep = key in _WANTED or key.endswith(".context_length")
        value = r.value(vtype, keep)
        if keep:
            metadata[key] = value
    alignment = int(metadata.get("general.alignment") or 32)
    sizes = _quant_sizes()
    end = 0
    parameters = 0
    for _ in range(tensors):
        r.string(keep=False)
        n_dims = r.scalar("I")
        if n_dims > 8:
            raise _Damaged(f"tenseur à {n_dims} dimensions")
        dims = [r.scalar("Q") for _ in range(n_dims)]
        ttype, offset = r.scalar("I"), r.scalar("Q")
        count = 1
        for d in dims:
            count *= d
        parameters += count
        if ttype not in sizes:
            raise _Damaged(f"type de tenseur inconnu ({ttype})")
        block, type_size = sizes[ttype]
        end = max(end, offset + count // block * type_size)
    header_end = r.f.tell()
    data_start = (header_end + alignment - 1) // alignment * alignment
    if data_start + end > size:
        raise _Truncated
    return GGUFInfo(p, version, size, tensors, parameters, metadata)
