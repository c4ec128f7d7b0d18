"""Test helpers shipped with the toolkit (a stand-in OpenAI-compatible server)."""
