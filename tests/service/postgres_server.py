"""A throwaway PostgreSQL server for the tests: Debian's `postgresql`, on 127.0.0.1 only.

`running_postgres()` finds the server programs, makes a cluster in a fresh temporary
directory (a random password, no unix socket), starts it on a free loopback port and stops
and removes it afterwards, even when the block fails. As root it runs the server as the
`postgres` user the package creates, because PostgreSQL refuses to run as root.

    with running_postgres() as server:
        url = server.create_database("gradebook")
        # "postgresql+psycopg://neurogebra:...@127.0.0.1:PORT/gradebook"

A missing server or user raises `PostgresUnavailable`, whose message names the fix.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

FIX = "run `bash tools/setup.sh`, which installs Debian's `postgresql`"
DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"  # Debian keeps initdb and pg_ctl off PATH
USER = "neurogebra"  # the cluster's superuser
NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # database names we create, never quoted
# password logins only; C locale (any machine has it); no fsync: the cluster is thrown away
INITDB = ("--auth", "scram-sha-256", "--locale", "C", "--encoding", "UTF8", "--no-sync")
Run = Callable[[list[str | Path]], None]  # runs one server program as the server's user


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here; the message says why and how to fix it."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: `create_database(name)` gives a SQLAlchemy URL of a new database."""

    port: int
    password: str

    def url(self, database: str) -> str:
        """The URL of `database` on this server, for SQLAlchemy with psycopg 3."""
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """`CREATE DATABASE name` and its URL. Example: `server.create_database("t_1")`."""
        if not NAME.fullmatch(name):
            raise ValueError(f"not a plain database name: {name!r}")
        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f"CREATE DATABASE {name}"))
        finally:
            engine.dispose()
        return self.url(name)


def find_bindir(candidates: Sequence[str] | None = None) -> Path:
    """The directory holding `initdb`, `pg_ctl` and `postgres` (the newest Debian version).

    Example: `find_bindir()` -> `Path("/usr/lib/postgresql/15/bin")`.
    """
    if candidates is None:
        on_path = shutil.which("initdb")
        debian = sorted(Path("/").glob(DEBIAN_BINDIRS.lstrip("/")), key=_version, reverse=True)
        candidates = [str(p) for p in debian] + ([str(Path(on_path).parent)] if on_path else [])
    for bindir in map(Path, candidates):
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise PostgresUnavailable(
        f"PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed: {FIX}"
    )


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: None (this user), or the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "the tests run as root, which PostgreSQL refuses, and there is no `postgres` user "
            f"to run it as: {FIX} (the package creates that user)"
        ) from None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_postgres(bindir: Path | None = None) -> Iterator[PostgresServer]:
    """Start a fresh cluster, yield it, then stop it and delete its directory."""
    bindir = bindir or find_bindir()
    user = _server_user()
    top = Path(tempfile.mkdtemp(prefix="neurogebra-postgres-"))
    data, log = top / "data", top / "server.log"
    try:
        _give(top, user)  # still mode 0700: only the server's user gets in
        _check_reachable(top, user)
        as_server = _runner(user, top)
        password = secrets.token_hex(16)
        _give(top / "password", user, password)
        as_server(
            [bindir / "initdb", "-D", data, "-U", USER, "--pwfile", top / "password", *INITDB]
        )
        (top / "password").unlink()
        port = _start(as_server, bindir, data, log, user)
        try:
            yield PostgresServer(port=port, password=password)
        finally:
            _stop(as_server, bindir, data)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _check_reachable(top: Path, user: pwd.struct_passwd | None) -> None:
    """As root, the `postgres` user must be able to walk down to `top` (e.g. not in /root)."""
    if user is None:
        return
    for folder in top.parents:
        mode = folder.stat()
        if not (mode.st_mode & 0o001 or (mode.st_uid == user.pw_uid and mode.st_mode & 0o100)):
            raise PostgresUnavailable(
                f"the `postgres` user cannot enter {folder}, which holds the temporary "
                "directory: set TMPDIR to a folder it can reach, such as /tmp"
            )


def _give(path: Path, user: pwd.struct_passwd | None, text: str | None = None) -> None:
    """Write `text` to `path` (if given) and hand `path` to the server's user."""
    if text is not None:
        path.write_text(text)
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)


def _runner(user: pwd.struct_passwd | None, cwd: Path) -> Run:
    """A function that runs a server program as `user`, raising with its output on failure."""

    def run(argv: list[str | Path]) -> None:
        done = subprocess.run(
            [str(a) for a in argv],
            cwd=cwd,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(str(argv[0])).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )

    return run


def _start(
    as_server: Run, bindir: Path, data: Path, log: Path, user: pwd.struct_passwd | None
) -> int:
    """Listen on 127.0.0.1 only, on a free port (tried three times: another may take it)."""
    for attempt in range(3):
        port = _free_port()
        settings = (
            "listen_addresses = '127.0.0.1'\n"
            f"port = {port}\n"
            "unix_socket_directories = ''\n"  # no socket in /run or /tmp: loopback TCP only
            "fsync = off\n"  # a throwaway cluster: no need to survive a power cut
        )
        _give(data / "postgresql.auto.conf", user, settings)
        try:
            as_server([bindir / "pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", "60"])
            return port
        except PostgresUnavailable:
            if attempt == 2:
                text = log.read_text(errors="replace") if log.exists() else ""
                raise PostgresUnavailable(f"PostgreSQL did not start; its log:\n{text}") from None
    raise AssertionError("unreachable")


def _stop(as_server: Run, bindir: Path, data: Path) -> None:
    """Stop the server now; if pg_ctl cannot, kill the postmaster so nothing outlives the tests."""
    try:
        as_server([bindir / "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w", "-t", "30"])
    except (PostgresUnavailable, subprocess.TimeoutExpired):
        pid_file = data / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
