"""A throw-away PostgreSQL server in a temporary directory (tests and benchmarks).

Uses the binaries of Debian's ``postgresql`` package (``initdb``, ``pg_ctl``).  The server
listens on a Unix socket in its own directory only, trusts local connections and skips
fsync: it exists for one test session.  PostgreSQL refuses to run as root, so when the
tests run as root the cluster belongs to the ``postgres`` user (which the package creates).
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGE_HINT = "PostgreSQL server binaries not found (initdb, pg_ctl): install the Debian package `postgresql`"


def find_bindir() -> Path | None:
    env = os.environ.get("TOLMACH_PG_BINDIR")  # set to a folder without pg_ctl to run without PostgreSQL
    if env:
        return Path(env) if (Path(env) / "pg_ctl").exists() else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_ctl")
    return Path(which).parent if which else None


class Cluster:
    """``start()`` → a server at ``url(dbname)``; ``stop()`` removes it."""

    def __init__(self, bindir: Path, base: Path | None = None, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable  # fsync and synchronous commit as a real server (benchmarks)
        # short: the server's socket path must stay under ~100 characters
        self.dir = Path(tempfile.mkdtemp(prefix="tolmach-pg-", dir=base or ("/tmp" if os.path.isdir("/tmp") else None)))
        self.data = self.dir / "data"
        self.port = 5432  # only the socket file's name: nothing listens on TCP
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    def start(self) -> Cluster:
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        res = self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        if res.returncode:
            raise RuntimeError(f"initdb failed: {res.stderr.strip()}")
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        opts = f"-k {self.dir} -p {self.port} -c listen_addresses='' {fast}-c max_connections=100 -c shared_buffers=32MB"
        res = self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "server.log"), "-w", "start")
        if res.returncode:
            log = (self.dir / "server.log").read_text(errors="replace") if (self.dir / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {res.stderr.strip()} {log[-500:]}")
        atexit.register(self.stop)  # also when the session ends without its finalizers
        return self

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@/{dbname}?host={self.dir}&port={self.port}"

    def connect(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(host=str(self.dir), port=self.port, user="postgres", dbname=dbname, autocommit=True)

    def sql(self, statement: str, dbname: str = "postgres") -> list[tuple]:
        with self.connect(dbname) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def stop(self) -> None:
        if not self.dir.exists():
            return
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
