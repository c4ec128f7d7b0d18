"""Local models: serve a GGUF file with llama.cpp's own server, list and add model files,
and connection profiles for the servers trainers use."""

# Submodules load on first use (``toolkit.models.server``, ``.catalog``, ``.profiles``,
# ``.gguf``); importing this package imports nothing else.
__all__: list[str] = []
