"""The course as participants receive it in their home: the participant edition of the notebooks.

Used by ``atelier hub up`` (one server) and by the image build for Kubernetes
(``python -m toolkit.hub.template notebooks /opt/atelier-ia/cours/notebooks``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def build_course_template(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` with trainer notes and outputs removed; False if present."""
    import nbformat

    from toolkit.course.curriculum import participant_edition

    source, target = Path(source), Path(target)
    if target.exists():
        return False
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp, ignore=shutil.ignore_patterns(".ipynb_checkpoints",
                                                                "__pycache__"))
    for path in tmp.rglob("*.ipynb"):
        nbformat.write(participant_edition(nbformat.read(path, as_version=4)), path)
    for folder, _dirs, files in os.walk(tmp):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    tmp.rename(target)
    return True


if __name__ == "__main__":
    build_course_template(Path(sys.argv[1]), Path(sys.argv[2]))
