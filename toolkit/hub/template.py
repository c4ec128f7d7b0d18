"""The course as participants receive it in their home: the participant edition of the notebooks.

Used by ``atelier hub up`` (one server, ``hub`` edition) and by the image build for Kubernetes
(``python -m toolkit.hub.template notebooks /opt/atelier-ia/cours/notebooks``, ``docker``
edition). Both go through :func:`toolkit.publish.pipeline.build_edition`: no trainer note, no
solution, no hidden test, no output, header stamped from ``curriculum.yml``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.publish.pipeline import Edition


def _curriculum(source: Path):
    """The manifest above *source*, or None (a bare folder of notebooks is still published)."""
    from toolkit.course.curriculum import find_root, load
    from toolkit.errors import ConfigError

    try:
        return load(find_root(source))
    except ConfigError:
        return None


def build_course_template(source: Path, target: Path, *, edition: Edition = "hub") -> bool:
    """Copy ``source`` to ``target`` as the participant edition; False if already present."""
    import nbformat

    from toolkit.publish.pipeline import build_edition

    source, target = Path(source).resolve(), Path(target)
    if target.exists():
        return False
    cur = _curriculum(source)
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp, ignore=shutil.ignore_patterns(".ipynb_checkpoints",
                                                                "__pycache__"))
    for path in tmp.rglob("*.ipynb"):
        # the path in the manifest (notebooks/...), so the header of each module is stamped
        rel = (source / path.relative_to(tmp)).as_posix()
        if cur is not None:
            rel = (source / path.relative_to(tmp)).relative_to(cur.root).as_posix()
        nb = build_edition(nbformat.read(path, as_version=4), edition, cur=cur, rel=rel)
        nbformat.write(nb, path)
    for folder, _dirs, files in os.walk(tmp):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    tmp.rename(target)
    return True


if __name__ == "__main__":
    build_course_template(Path(sys.argv[1]), Path(sys.argv[2]), edition="docker")
