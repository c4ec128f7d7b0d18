"""Test helpers shipped with the toolkit (a stand-in OpenAI-compatible server)."""

# Submodules only: nothing is re-exported here (import them by name).
__all__: list[str] = []
