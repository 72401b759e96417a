"""Process and port helpers shared by scripts/, bench/ and tests/integration/: a free port, a
bounded wait, children in their own process group with a log file, a named set of them
(Processes), stopping those groups (SIGTERM, then SIGKILL), and what /proc says of a process
(its children, its memory).

Scripts and benchmarks put the repository root on sys.path and import
`from scripts.processes import ...`; the tests find it through pytest's rootdir. The app's own
commands (manage.py, gunicorn, a Celery worker, the relay, Redis) are in scripts/commands.py.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

HOST = "127.0.0.1"
# After SIGKILL: how long a group of several processes may take to go.
KILL_WAIT = 10.0

T = TypeVar("T")


class WaitTimeout(TimeoutError):
    """A wait gave up (time ran out, or the process waited for exited); the message names what
    it waited for."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_answers(port: int, *, host: str = HOST, timeout: float = 1.0) -> bool:
    """Whether a TCP connection to host:port succeeds within `timeout` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(
    predicate: Callable[[], T], *, timeout: float, interval: float = 0.2, what: str
) -> T:
    """Poll `predicate` every `interval` seconds until it returns something truthy and return
    that; raise WaitTimeout naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise WaitTimeout(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], *, timeout: float, what: str
) -> None:
    """Wait until something answers on `port` of 127.0.0.1; WaitTimeout naming `what` after
    `timeout` seconds, or as soon as `process` (the one that should listen) exits."""
    wait_until(lambda: process.poll() is not None or port_answers(port), timeout=timeout, what=what)
    if process.poll() is not None:
        raise WaitTimeout(
            f"{what} exited (status {process.returncode}) before port {port} answered"
        )


def start_process(
    args: Sequence[str], *, env: Mapping[str, str], log_path: Path, cwd: Path
) -> subprocess.Popen[bytes]:
    """A child in its own process group (stop it with stop_process_group), stdin closed, its
    stdout and stderr written to `log_path` (truncated first)."""
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603  (our callers' own commands)
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process_groups(
    processes: Mapping[str, subprocess.Popen[bytes]],
    *,
    timeout: float,
    kill_wait: float = KILL_WAIT,
) -> list[str]:
    """SIGTERM the group of every process still running, give them `timeout` seconds in all,
    then SIGKILL the group of each one left and wait up to `kill_wait` seconds for it. Returns
    the names of the killed ones, in order."""
    for process in processes.values():
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    killed = []
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            killed.append(name)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=kill_wait)
    return killed


def stop_process_group(process: subprocess.Popen[bytes], *, timeout: float) -> int:
    """SIGTERM the process's group, SIGKILL it after `timeout` seconds (then wait as long
    again); returns the exit status."""
    stop_process_groups({"": process}, timeout=timeout, kill_wait=timeout)
    return process.returncode


class Processes:
    """Named children, each in its own process group and logging to <log_dir>/<name>.log; all
    stopped by stop_all (SIGTERM, then SIGKILL), whatever happened before."""

    def __init__(self, log_dir: Path, *, cwd: Path) -> None:
        self.log_dir = log_dir
        self.cwd = cwd
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(
        self, name: str, args: Sequence[str], env: Mapping[str, str]
    ) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        process = start_process(args, env=env, log_path=self.log_path(name), cwd=self.cwd)
        self.running[name] = process
        return process

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log(self, name: str) -> str:
        """What the process printed so far ("" before it started)."""
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def dead(self) -> list[str]:
        """The names of the processes that have exited."""
        return [name for name, process in self.running.items() if process.poll() is not None]

    def stop_all(self, timeout: float = 20) -> list[str]:
        """Stop every one; returns the names of those that had to be killed."""
        return stop_process_groups(self.running, timeout=timeout)


# ---- what /proc says of a process (Linux)


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers under its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def peak_reset(pid: int) -> None:
    """Start measuring the peak RSS (VmHWM) afresh: 5 > /proc/PID/clear_refs."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")
