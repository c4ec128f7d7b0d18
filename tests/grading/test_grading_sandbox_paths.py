"""The sandbox hides /tmp, /run, /var/tmp and the grader's home, yet a course, a checkout or a
venv living under one of them (a CI clone in /tmp, a course in ~) stays visible, read-only."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from toolkit.grading import sandbox

pytestmark = pytest.mark.skipif(not sandbox.available(), reason="bubblewrap absent")


def _run(cmd: list[str], course: Path, work: Path) -> subprocess.CompletedProcess:
    full = sandbox.bwrap_command(cmd, workdir="/tmp/work", work_copy=work, course_root=course)
    return subprocess.run(full, capture_output=True, text=True, timeout=60)


def test_a_course_under_tmp_is_visible_read_only_and_its_private_parts_hidden():
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        course, work = Path(tmp) / "cours", Path(tmp) / "copie"
        (course / "source").mkdir(parents=True)
        work.mkdir()
        (course / "lisible.txt").write_text("bonjour", encoding="utf-8")
        (course / "source" / "secret.txt").write_text("solution", encoding="utf-8")
        seen = _run(["cat", str(course / "lisible.txt")], course, work)
        assert seen.returncode == 0, seen.stderr
        assert seen.stdout == "bonjour"
        hidden = _run(["cat", str(course / "source" / "secret.txt")], course, work)
        assert hidden.returncode != 0 and "solution" not in hidden.stdout
        write = _run(["sh", "-c", f"echo x > {course / 'ecrit.txt'}"], course, work)
        assert write.returncode != 0
        assert not (course / "ecrit.txt").exists()


def test_the_interpreter_runs_whatever_folder_it_lives_in():
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        work = Path(tmp) / "copie"
        work.mkdir()
        done = _run([sys.executable, "-c", "import toolkit; print('ok')"],
                    Path(tmp), work)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "ok"


def test_a_working_folder_holding_python_or_the_toolkit_is_refused_in_french(tmp_path):
    """The throw-away copy is mounted over the working folder: started in the checkout, it
    hid the venv and the kernel died without a word (« Kernel died before replying »)."""
    from toolkit.errors import ConfigError

    for folder in {Path(sys.prefix).resolve(), Path(sandbox.__file__).resolve().parents[2]}:
        with pytest.raises(ConfigError, match="dossier de travail") as caught:
            sandbox.bwrap_command([sys.executable, "-c", "pass"], workdir=folder,
                                  work_copy=tmp_path)
        assert "Lancez la correction depuis le dossier du cours" in caught.value.fix
    ok = sandbox.bwrap_command([sys.executable, "-c", "print(1)"], workdir=tmp_path,
                               work_copy=tmp_path)
    assert subprocess.run(ok, capture_output=True, text=True, timeout=60).stdout == "1\n"


def test_the_toolkit_is_byte_compiled_for_read_only_kernels():
    """Kernels see the toolkit read-only: its bytecode is written before they start."""
    import importlib.util

    import toolkit.prompts.rules as module
    from toolkit.grading.sandbox import byte_compile_toolkit

    cached = Path(importlib.util.cache_from_source(module.__file__))
    cached.unlink(missing_ok=True)
    byte_compile_toolkit()
    assert cached.is_file() and cached.stat().st_mtime >= Path(module.__file__).stat().st_mtime
