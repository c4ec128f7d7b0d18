"""The GGUF header check: complete files pass; missing, truncated, non-GGUF and damaged files
each get a French message naming the file and the fix."""

from __future__ import annotations

import struct

import pytest

from toolkit.errors import InputError, ModelFileError
from toolkit.models.catalog import embedded_path
from toolkit.models.gguf import inspect


def test_embedded_model_header():
    info = inspect(embedded_path())
    assert info.version == 3
    assert info.licence == "apache-2.0"
    assert info.metadata["general.architecture"] == "llama"
    assert info.context_length == 8192
    assert 130e6 < info.parameters < 140e6  # SmolLM2-135M
    assert info.tensors > 100


def test_written_file_reads_back(tiny_gguf):
    info = inspect(tiny_gguf)
    assert (info.name, info.licence, info.context_length) == ("Atelier Tiny", "apache-2.0", 512)
    assert info.tensors == 2 and info.parameters == 128


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ModelFileError) as info:
        inspect(tmp_path / "absent.gguf")
    assert "absent.gguf" in info.value.message and "atelier model list" in info.value.fix
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize(
    "content",
    [b"", b"GGU", b"PK\x03\x04 zip", b'{"__metadata__": {}}', b"\x80\x02ctorch", b"ggufGGUF"],
    ids=["empty", "three-bytes", "zip", "safetensors", "pickle", "wrong-case"],
)
def test_not_gguf(tmp_path, content):
    path = tmp_path / "modele.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError) as info:
        inspect(path)
    assert "modele.gguf" in info.value.message and "GGUF" in info.value.message
    assert info.value.fix


@pytest.mark.parametrize("keep", [5, 12, 30, 0.5, 0.99, -1], ids=str)
def test_every_truncation_is_caught(tiny_gguf, keep):
    """Cut anywhere (in the header, the metadata, the tensor list, the data, one byte short)."""
    data = tiny_gguf.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    tiny_gguf.write_bytes(data[:cut])
    with pytest.raises(ModelFileError) as info:
        inspect(tiny_gguf)
    assert tiny_gguf.name in info.value.message
    assert "tronqué" in info.value.message or "endommagé" in info.value.message


def test_truncated_real_model(tmp_path):
    data = embedded_path().read_bytes()
    path = tmp_path / "smollm2-coupe.gguf"
    path.write_bytes(data[: len(data) - 4096])
    with pytest.raises(ModelFileError) as info:
        inspect(path)
    assert "tronqué" in info.value.message and "reprend" in info.value.fix


@pytest.mark.parametrize(
    ("offset", "value", "word"),
    [(4, struct.pack("<I", 1), "version"), (4, struct.pack("<I", 99), "version"),
     (16, struct.pack("<Q", 2**40), "métadonnées")],
    ids=["v1", "v99", "absurd-count"],
)  # fmt: skip
def test_damaged_header(tiny_gguf, offset, value, word):
    data = bytearray(tiny_gguf.read_bytes())
    data[offset : offset + len(value)] = value
    tiny_gguf.write_bytes(bytes(data))
    with pytest.raises(ModelFileError) as info:
        inspect(tiny_gguf)
    assert word in info.value.message and tiny_gguf.name in info.value.message
