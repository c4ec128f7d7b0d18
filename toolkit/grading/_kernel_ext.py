"""IPython extension loaded in every grading kernel: cap a cell's printed text at the source.

A cell printing 200 MB would otherwise send it all to the grader, whose wait for the last
outputs then depends on the machine's load. Here each cell keeps its first
:data:`MAX_CHARS` characters of stdout/stderr and one French note; the grader caps other
outputs as they arrive (:class:`toolkit.grading.execute.GuardedExecute`).
"""

from __future__ import annotations

MAX_CHARS = 1_000_000

#: Note added to a cell whose outputs were capped (here and in :mod:`toolkit.grading.execute`).
TRUNCATED = ("\n[Sortie tronquée à la correction : cette cellule a affiché plus de {mb} Mo ; "
             "seul le début est conservé.]\n")


def load_ipython_extension(shell) -> None:
    from ipykernel.iostream import OutStream

    used = {"chars": 0, "noted": False}
    original = OutStream.write

    def reset(*_args, **_kwargs):
        used["chars"], used["noted"] = 0, False

    def write(self, string):
        if not isinstance(string, str):
            return original(self, string)
        room = MAX_CHARS - used["chars"]
        used["chars"] += len(string)
        if room >= len(string):
            return original(self, string)
        if room > 0:
            original(self, string[:room])
        if not used["noted"]:
            used["noted"] = True
            original(self, TRUNCATED.format(mb=max(1, MAX_CHARS // 10**6)))
        return len(string)

    # Patched on the class: ipykernel creates its streams before extensions load.
    OutStream.write = write  # type: ignore[method-assign]
    shell.events.register("pre_execute", reset)
