"""Run untrusted participant code (kernels, code-interpreter snippets) inside bubblewrap.

Each sandbox gets a read-only view of the system, the Python environment and the toolkit, a
private ``/tmp``, its own PID, network, IPC and UTS namespaces (no network; every child dies
with it), an empty environment plus an explicit allow-list, resource limits (address space,
CPU time, file size, processes) and its own writable *copy* of its working folder: whatever
the code writes there stays in a temporary folder that is thrown away. The course's private
parts (``source/``, ``submitted/``, ``autograded/``, ``feedback/``, the gradebook, ``.env``
files) are hidden.

:class:`SandboxKernelManager` is the jupyter_client kernel manager that nbgrader and nbclient
use (``Execute.kernel_manager_class``); the kernel talks to the grader over ZeroMQ ``ipc``
sockets in a folder shared with the sandbox, since it has no network. :func:`run` runs one
command in a sandbox (the session 2 code interpreter).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import SandboxUnavailableError

#: Debian/Ubuntu package that provides ``bwrap``.
PACKAGE = "bubblewrap"

#: Variables the sandboxed code may see, when the grader has them (nothing else passes).
ENV_ALLOW = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM")

#: Course folders a submission must never read (solutions, hidden tests, other participants).
PRIVATE_COURSE_DIRS = ("source", "submitted", "autograded", "feedback", "exchange", ".atelier",
                       "exports")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox (``None``: no limit)."""

    memory_mb: int | None = 2048
    cpu_seconds: int | None = 600
    file_mb: int | None = 64
    processes: int | None = None

    def prlimit_args(self) -> list[str]:
        args = []
        if self.memory_mb:
            args.append(f"--as={self.memory_mb * 1024 * 1024}")
        if self.cpu_seconds:
            args.append(f"--cpu={self.cpu_seconds}")
        if self.file_mb:
            args.append(f"--fsize={self.file_mb * 1024 * 1024}")
        if self.processes:
            args.append(f"--nproc={self.processes}")
        return args


DEFAULT_LIMITS = Limits()


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=1)
def _probe(bwrap: str) -> str | None:
    """None when ``bwrap`` can create the namespaces we need here, else its error text."""
    try:
        done = subprocess.run(
            [bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
            capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    return None if done.returncode == 0 else (done.stderr.strip() or f"code {done.returncode}")


def available() -> bool:
    bwrap = bwrap_path()
    return bwrap is not None and _probe(bwrap) is None


def require(action: str = "corriger les rendus") -> str:
    """Path of a working ``bwrap``, or :class:`SandboxUnavailableError` in French."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailableError(
            f"Impossible de {action} en sécurité : l'outil d'isolement « bwrap » est absent "
            f"(paquet Debian/Ubuntu « {PACKAGE} »).",
            f"Installez-le (sudo apt-get install {PACKAGE}, ou tools/system-deps.sh) ; sur un "
            "ordinateur personnel où vous seul·e exécutez des notebooks de confiance, ajoutez "
            "--no-sandbox.")
    problem = _probe(bwrap)
    if problem is not None:
        raise SandboxUnavailableError(
            f"Impossible de {action} en sécurité : « bwrap » ne peut pas créer son "
            f"isolement sur cette machine ({problem}).",
            "Autorisez les espaces de noms utilisateur (sysctl "
            "kernel.unprivileged_userns_clone=1) ou lancez la commande dans un conteneur "
            "qui le permet ; --no-sandbox seulement pour des notebooks de confiance.",
            detail=problem)
    return bwrap


def _toolkit_root() -> Path:
    return Path(__file__).resolve().parents[2]


def byte_compile_toolkit() -> None:
    """Write the toolkit's missing or stale bytecode now, once, outside any sandbox.

    Sandboxed processes see the toolkit read-only: without up-to-date ``.pyc`` files each
    kernel compiles every toolkit module it imports again (an editable install is never
    byte-compiled by pip). Quick when up to date; silent where the folder is not writable.
    """
    import compileall

    with contextlib.suppress(OSError):
        compileall.compile_dir(str(Path(__file__).resolve().parents[1]), quiet=2)


def _python_roots() -> list[Path]:
    """Folders the Python interpreter and its packages live in (a venv and its base)."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
             Path(os.path.realpath(sys.executable)).parent.parent}
    return sorted(r.resolve() for r in roots if r.exists())


def sandbox_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment of sandboxed code: allow-list plus fixed, harmless values."""
    bindir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k in ENV_ALLOW}  # locale only, no setting
    env.update({
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home",
        "PYTHONPATH": str(_toolkit_root()),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/home/.matplotlib",
        "IPYTHONDIR": "/tmp/home/.ipython",
        "JUPYTER_PLATFORM_DIRS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # No network in the sandbox: the model is simulated, never called.
        "ATELIER_MODE": "offline",
        "ATELIER_SANDBOXED": "1",
    })
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra or {})
    return env


def bwrap_command(cmd: list[str], *, workdir: str | Path, work_copy: str | Path,
                  shared: Sequence[str | Path] = (), hide: Sequence[str | Path] = (),
                  course_root: str | Path | None = None, limits: Limits = DEFAULT_LIMITS,
                  env: dict[str, str] | None = None, bwrap: str | None = None) -> list[str]:
    """The ``bwrap`` command line that runs ``cmd`` in a sandbox.

    ``workdir`` is the path the code sees as its working folder; it is backed by
    ``work_copy`` (a throw-away copy). ``shared`` folders are writable at the same path
    (the kernel's socket folder). ``hide`` lists extra files or folders made empty.
    """
    bwrap = bwrap or require()
    _refuse_workdir_over_python(Path(workdir))
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", "--tmpfs", "/run", "--tmpfs", "/var/tmp",
            "--unshare-all", "--die-with-parent", "--clearenv"]
    # The grader's home (tokens, ~/.config, shell history) is hidden; the parts the kernel
    # needs (Python, the toolkit, the course) are shown again, read-only, below.
    home = Path(os.path.expanduser("~")).resolve()
    hidden = [Path("/tmp"), Path("/run"), Path("/var/tmp")]
    if str(home) not in ("/", "") and home.is_dir():
        args += ["--tmpfs", str(home)]
        hidden.append(home)
    # A checkout, a venv or a course may live under a hidden folder (a CI clone in /tmp, a
    # course in the grader's home): shown again read-only, or the kernel cannot even start.
    for root in [*_python_roots(), _toolkit_root(), *([Path(course_root)] if course_root else [])]:
        root = root.resolve()
        if any(root.is_relative_to(h) and root != h for h in hidden):
            args += ["--ro-bind", str(root), str(root)]
    masked: list[Path] = []
    if course_root:
        course = Path(course_root).resolve()
        masked += [course / d for d in PRIVATE_COURSE_DIRS]
        masked += [course / "gradebook.db"]
        masked += [course / ".env", course.parent / ".env"]
    masked += [_toolkit_root() / ".env", *(Path(h) for h in hide)]
    for path in masked:
        if path.is_dir():
            args += ["--tmpfs", str(path)]
        elif path.exists():
            args += ["--ro-bind", "/dev/null", str(path)]
    for folder in shared:
        args += ["--bind", str(folder), str(folder)]
    args += ["--bind", str(work_copy), str(workdir), "--chdir", str(workdir)]
    for key, value in sandbox_env(env).items():
        args += ["--setenv", key, value]
    args += ["--", "prlimit", *limits.prlimit_args(), "--", *cmd]
    return args


def _refuse_workdir_over_python(workdir: Path) -> None:
    """The working copy is mounted over *workdir*: it must not hide Python or the toolkit."""
    from toolkit.errors import ConfigError

    workdir = workdir.resolve()
    for root in [*_python_roots(), _toolkit_root()]:
        if root.resolve().is_relative_to(workdir):
            raise ConfigError(
                f"Le dossier de travail du code isolé ({workdir}) contient {root}\u00a0: "
                "sa copie jetable cacherait Python ou le toolkit au noyau.",
                "Lancez la correction depuis le dossier du cours (par exemple exercises/) "
                "ou un dossier de rendu, pas depuis le dossier qui contient l'environnement.",
            )


def copy_folder(src: Path, dest: Path, max_bytes: int = 200 * 1024 * 1024) -> None:
    """Copy ``src`` into ``dest`` without following links (a link could point anywhere)."""
    total = 0
    for path in sorted(src.rglob("*")) if src.is_dir() else []:
        rel = path.relative_to(src)
        target = dest / rel
        if path.is_symlink():
            continue
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            total += path.stat().st_size
            if total > max_bytes:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


# ---- kernels -------------------------------------------------------------------------------
def _kernel_manager_base():
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager


class _Settings:
    """Process-wide sandbox settings read by :class:`SandboxKernelManager` (set by the
    grader before nbgrader starts kernels: nbgrader builds the kernel managers itself)."""

    enabled: bool = True
    course_root: str | None = None
    limits: Limits = DEFAULT_LIMITS
    hide: tuple[str, ...] = ()


settings = _Settings()


def configure(*, enabled: bool = True, course_root: str | Path | None = None,
              limits: Limits | None = None, hide: tuple[str, ...] = ()) -> None:
    """Set the sandbox of the kernels this process starts (``enabled=False``: none)."""
    settings.enabled = enabled
    settings.course_root = str(course_root) if course_root else None
    settings.limits = limits or DEFAULT_LIMITS
    settings.hide = tuple(str(h) for h in hide)


def __getattr__(name: str):
    # The kernel manager class is built on first use so that importing this module does not
    # import jupyter_client (``atelier --help`` stays fast).
    if name == "SandboxKernelManager":
        cls = _make_kernel_manager()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def light_launcher(cmd: list[str]) -> list[str]:
    """The kernel command with ipykernel's launcher replaced by :mod:`toolkit.grading._kernel`
    (same kernel, no debugger, no history); any other kernel command is kept as it is."""
    for i in range(len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == "ipykernel_launcher":
            return [*cmd[:i + 1], "toolkit.grading._kernel", *cmd[i + 2:]]
    return list(cmd)


def _make_kernel_manager():
    base = _kernel_manager_base()

    class SandboxKernelManager(base):
        """A kernel started inside bubblewrap, connected over ``ipc`` sockets."""

        async def _async_pre_start_kernel(self, **kw):
            bwrap = require("exécuter ce notebook")
            self._sandbox_dir = Path(tempfile.mkdtemp(prefix="atelier-sandbox-"))
            sockets = self._sandbox_dir / "sockets"
            sockets.mkdir()
            self.transport = "ipc"
            self.ip = str(sockets / "kernel")
            self.connection_file = str(sockets / "kernel.json")
            # A SIGINT to the process group would also stop bwrap (and so the kernel):
            # interrupt through the control channel, ipykernel then signals itself.
            if self.kernel_spec is not None:
                self.kernel_spec.interrupt_mode = "message"
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            cmd = light_launcher(cmd)
            workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
            work = self._sandbox_dir / "work"
            work.mkdir()
            copy_folder(workdir, work)
            cmd = bwrap_command(cmd, workdir=workdir, work_copy=work, shared=[sockets],
                                hide=list(settings.hide), course_root=settings.course_root,
                                limits=settings.limits, bwrap=bwrap)
            kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            # Whatever the kernel writes to its own stdout/stderr is dropped, not logged:
            # the notebook's outputs travel over the sockets, capped by the grader.
            kw["stdout"] = subprocess.DEVNULL
            kw["stderr"] = subprocess.DEVNULL
            kw["stdin"] = subprocess.DEVNULL
            return cmd, kw

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            folder = getattr(self, "_sandbox_dir", None)
            if folder is not None and not restart:
                shutil.rmtree(folder, ignore_errors=True)

    SandboxKernelManager.__module__ = __name__
    SandboxKernelManager.__qualname__ = "SandboxKernelManager"
    return SandboxKernelManager


# ---- one command -----------------------------------------------------------------------------
@dataclass
class Completed:
    """Result of :func:`run`: exit code, output (capped) and whether it was stopped."""

    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool = False
    truncated: bool = False


def run(cmd: list[str], *, input: bytes = b"", timeout: float = 10.0,
        workdir: str | Path | None = None, limits: Limits = DEFAULT_LIMITS,
        max_output: int = 20 * 1024 * 1024) -> Completed:
    """Run ``cmd`` in a fresh sandbox with ``input`` on stdin; kill it after ``timeout`` s."""
    bwrap = require("exécuter ce code")
    with tempfile.TemporaryDirectory(prefix="atelier-sandbox-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        if workdir is not None:
            copy_folder(Path(workdir), work)
        seen = str(Path(workdir).resolve()) if workdir is not None else "/tmp/work"
        full = bwrap_command(cmd, workdir=seen, work_copy=work, limits=limits, bwrap=bwrap)
        out_path, err_path = Path(tmp) / "out", Path(tmp) / "err"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(full, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                    env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                                    start_new_session=True)
            timed_out = False
            try:
                proc.communicate(input, timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, 9)
                proc.wait()
        size = out_path.stat().st_size
        with open(out_path, "rb") as f:
            stdout = f.read(max_output)
        with open(err_path, "rb") as f:
            stderr = f.read(64 * 1024)
    return Completed(None if timed_out else proc.returncode, stdout, stderr, timed_out,
                     truncated=size > max_output)
