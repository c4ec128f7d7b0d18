"""Live demonstrations of the sessions: the n-gram model (session 1), the code interpreter and
batch automation (session 2).

Submodules load on first use; importing this package imports nothing else.
"""

# Submodules only: nothing is re-exported here (import them by name).
__all__: list[str] = []
