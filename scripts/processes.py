"""Process and port helpers shared by scripts/, bench/ and tests/integration/: a free port, a
bounded wait, children in their own process group with a log file, and stopping those groups
(SIGTERM, then SIGKILL).

Scripts and benchmarks put the repository root on sys.path and import
`from scripts.processes import ...`; the tests find it through pytest's rootdir.
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
    """wait_until gave up; the message names what it waited for."""


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
