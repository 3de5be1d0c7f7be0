"""The implementations the kernels run on: Atlas (JIT on and off) and its peers.

    python bench/peers.py             # list what is there, with versions
    python bench/peers.py --install   # apt-get the missing interpreters, numba into a venv

`--install` needs root (or sudo) for `apt-get install -y luajit lua5.4 pypy3 gcc`; numba
goes into a venv under the cache directory ($ATLAS_BENCH_CACHE, else
$XDG_CACHE_HOME/atlas-bench, else ~/.cache/atlas-bench) unless the Python in use can
import it already. Nothing is installed without the flag.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPLS = ("atlas-jit", "atlas-nojit", "c", "numba", "luajit", "pypy", "cpython", "lua5.4")
LABEL = {
    "atlas-jit": "Atlas (JIT)",
    "atlas-nojit": "Atlas --no-jit",
    "c": "C -O2",
    "numba": "Numba",
    "luajit": "LuaJIT",
    "pypy": "PyPy",
    "cpython": "CPython",
    "lua5.4": "Lua 5.4",
}
APT_PACKAGES = {"luajit": "luajit", "lua5.4": "lua5.4", "pypy3": "pypy3", "gcc": "gcc"}
DEFAULT_CFLAGS = "-O2 -ffp-contract=off"


@dataclass
class Peer:
    """One implementation: the command that runs a kernel file, or why it is missing."""

    name: str
    command: list[str] = field(default_factory=list)  # the file (or binary) is appended
    version: str = ""
    missing: str | None = None
    env: dict[str, str] | None = None

    @property
    def label(self) -> str:
        return LABEL[self.name]

    @property
    def available(self) -> bool:
        return self.missing is None


def cache_dir() -> Path:
    if os.environ.get("ATLAS_BENCH_CACHE"):
        return Path(os.environ["ATLAS_BENCH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "atlas-bench"


def numba_venv_python() -> Path:
    return cache_dir() / "numba-venv" / "bin" / "python"


def _output(command: list[str], timeout: float = 120) -> str | None:
    """stdout + stderr of a quick command, or None if it cannot run or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return (done.stdout + done.stderr).strip()


def numba_version(python: str) -> str | None:
    return _output([python, "-c", "import numba; print(numba.__version__)"])


def default_atlas_command() -> list[str]:
    """The project's own `atlas`: its venv first, then next to this Python, then PATH."""
    for candidate in (REPO / ".venv" / "bin" / "atlas", Path(sys.executable).parent / "atlas"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("atlas")
    return [found] if found else [sys.executable, "-m", "atlas"]


def atlas_python(atlas_command: list[str]) -> str:
    """The Python that runs `atlas_command` (for driving atlas.Runtime in-process)."""
    first = Path(atlas_command[0])
    if first.name.startswith("python"):
        return str(first)
    beside = first.parent / "python"
    return str(beside) if beside.exists() else sys.executable


def atlas_environment() -> dict[str, str]:
    """The environment for Atlas runs: JIT settings at their defaults (no ATLAS_JIT_*)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ATLAS_JIT")}


SMOKE_PROGRAM = "fn answer() -> number { return 42; }\nprint(answer());\n"


def discover(atlas_command: list[str], python: str, cflags: str, work_dir: Path) -> dict[str, Peer]:
    """Every implementation, found or with the reason it is missing."""
    peers = {name: Peer(name) for name in IMPLS}

    # Atlas: must run a two-line program before it is used at all.
    smoke = work_dir / "smoke.atl"
    smoke.write_text(SMOKE_PROGRAM)
    env = atlas_environment()
    try:
        done = subprocess.run(
            [*atlas_command, "run", str(smoke)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        atlas_ok = done.returncode == 0 and done.stdout.strip() == "42"
        why = f"smoke program failed: {done.stderr.strip()[-300:] or done.stdout.strip()[-300:]}"
    except (OSError, subprocess.TimeoutExpired) as error:
        atlas_ok, why = False, f"cannot run {shlex.join(atlas_command)}: {error}"
    version = _output([*atlas_command, "--version"]) or "?"
    llvm = _output(
        [atlas_python(atlas_command), "-c", "import llvmlite; print(llvmlite.__version__)"]
    )
    commit = _output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    atlas_version = (
        version + (f", llvmlite {llvm}" if llvm else "") + (f", commit {commit}" if commit else "")
    )
    for name, flags in (("atlas-jit", []), ("atlas-nojit", ["--no-jit"])):
        peer = peers[name]
        peer.command, peer.version, peer.env = [*atlas_command, "run", *flags], atlas_version, env
        if not atlas_ok:
            peer.missing = why

    gcc = shutil.which("gcc")
    peers["c"].command = [gcc or "gcc", *shlex.split(cflags)]
    if gcc:
        peers["c"].version = f"gcc {_output([gcc, '-dumpfullversion']) or '?'} {cflags}"
    else:
        peers["c"].missing = "gcc not found (python bench/peers.py --install)"

    for name, program in (("luajit", "luajit"), ("lua5.4", "lua5.4"), ("pypy", "pypy3")):
        path = shutil.which(program)
        if not path:
            peers[name].missing = f"{program} not found (python bench/peers.py --install)"
            continue
        peers[name].command = [path]
        flag = "--version" if name == "pypy" else "-v"
        text = _output([path, flag]) or "?"
        if name == "pypy":
            match = re.search(r"Python (\S+).*?\[PyPy (\S+)", text, re.S)
            peers[name].version = (
                f"PyPy {match.group(2)} (Python {match.group(1)})" if match else text
            )
        else:
            peers[name].version = " ".join(text.split()[:2])

    cpython_version = _output([python, "--version"])
    if cpython_version:
        peers["cpython"].command, peers["cpython"].version = [python], cpython_version
    else:
        peers["cpython"].missing = f"{python} does not run"

    for candidate in (python, str(numba_venv_python())):
        version = (
            numba_version(candidate)
            if Path(candidate).exists() or shutil.which(candidate)
            else None
        )
        if version:
            # numba's on-disk cache, in a directory of this run only: the first run of a
            # kernel (the check-size run) compiles cold, later runs load the machine code.
            peers["numba"].command, peers["numba"].version = [candidate], f"numba {version}"
            peers["numba"].env = {
                **os.environ,
                "ATLAS_BENCH_NUMBA_CACHE": "1",
                "NUMBA_CACHE_DIR": str(work_dir / "numba-cache"),
            }
            break
    else:
        peers["numba"].missing = "numba not importable (python bench/peers.py --install)"
    return peers


def install(python: str) -> int:
    """apt-get the missing interpreters and compilers; numba into a venv in the cache dir."""
    missing = [pkg for program, pkg in APT_PACKAGES.items() if not shutil.which(program)]
    status = 0
    if missing:
        prefix = [] if os.geteuid() == 0 else ["sudo"]
        print(f"peers: apt-get install {' '.join(missing)}")
        for command in (
            [*prefix, "apt-get", "update"],
            [*prefix, "apt-get", "install", "-y", *missing],
        ):
            if subprocess.call(command) != 0:
                print(f"peers: {shlex.join(command)} failed", file=sys.stderr)
                status = 1
                break
    else:
        print("peers: luajit, lua5.4, pypy3 and gcc are installed")
    if numba_version(python):
        print(f"peers: numba is importable in {python}")
        return status
    venv_python = numba_venv_python()
    if venv_python.exists() and numba_version(str(venv_python)):
        print(f"peers: numba venv ready in {venv_python.parent.parent}")
        return status
    print(f"peers: creating a venv for numba in {venv_python.parent.parent}")
    if subprocess.call([python, "-m", "venv", str(venv_python.parent.parent)]) != 0:
        return 1
    if subprocess.call([str(venv_python), "-m", "pip", "install", "-q", "numba"]) != 0:
        print("peers: pip install numba failed", file=sys.stderr)
        return 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--install", action="store_true", help="install the missing peers")
    parser.add_argument("--python", default=sys.executable, help="the CPython to compare with")
    parser.add_argument(
        "--atlas", default=os.environ.get("ATLAS_CMD"), help="command that runs atlas"
    )
    args = parser.parse_args(argv)
    status = install(args.python) if args.install else 0
    import tempfile

    atlas_command = shlex.split(args.atlas) if args.atlas else default_atlas_command()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        for peer in discover(atlas_command, args.python, DEFAULT_CFLAGS, Path(tmp)).values():
            state = peer.version if peer.available else f"MISSING: {peer.missing}"
            print(f"  {peer.name:12s} {state}")
    return status


if __name__ == "__main__":
    sys.exit(main())
