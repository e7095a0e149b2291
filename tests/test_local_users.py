"""No way in for another local user: the embedded database listens on a unix socket only, in a directory
only its owner can enter; every file it keeps is its owner's alone; the start lock cannot be taken or
planted by anyone else; and a data directory someone else owns or can write to is refused.

The other user is created for the test when it runs as root (as CI does); otherwise it is skipped."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphapi.errors import Unavailable
from graphapi.store.falkor_server import EmbeddedServer, private_directory

pytestmark = pytest.mark.slow  # starts a database server and a process as another user

OTHER = "graphapi-other"


@pytest.fixture(scope="module")
def other_user() -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("proving another user is kept out needs root, to create that user (CI runs as root)")
    if subprocess.run(["id", OTHER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER], check=True)
    yield OTHER


# The system's interpreter where there is one: the other user may not reach this one's installation.
PYTHON = shutil.which("python3", path="/usr/bin:/bin") or sys.executable


def as_other(user: str, code: str) -> subprocess.CompletedProcess[str]:
    """Python code (standard library only) run as the other user."""
    return subprocess.run(
        ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[EmbeddedServer]:
    # tmp_path's parents are root's, but searchable by all: the data directory itself must keep others out
    tmp_path.chmod(0o755)
    server = EmbeddedServer(tmp_path / "data")
    server.start()
    try:
        yield server
    finally:
        assert server.stop()


def test_files_and_directories_are_the_owners_alone(served: EmbeddedServer) -> None:
    data = served.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_socket():
            continue
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_the_server_creates_files_for_its_owner_only(served: EmbeddedServer) -> None:
    """umask 077 in the server process: whatever it writes, a staging dump of a load included (FalkorDB's
    GRAPH.COPY writes one), no one else may read."""
    status = Path(f"/proc/{served.pid}/status").read_text()
    assert "Umask:\t0077" in status


def test_another_user_cannot_connect_read_or_lock(other_user: str, served: EmbeddedServer) -> None:
    socket_path = served.socket_path
    aof = next((served.data_dir / "appendonlydir").iterdir())
    code = f"""
import fcntl, os, socket
results = []
try:
    s = socket.socket(socket.AF_UNIX); s.connect({str(socket_path)!r}); s.sendall(b"PING\\r\\n")
    results.append("connected: " + s.recv(64).decode())
except OSError as exc:
    results.append("connect refused: " + type(exc).__name__)
for path in ({str(aof)!r}, {str(served.log_file)!r}):
    try:
        open(path, "rb").read(1); results.append("read " + path)
    except OSError as exc:
        results.append("read refused: " + type(exc).__name__)
try:
    fd = os.open({str(served.data_dir / "start.lock")!r}, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB); results.append("locked")
except OSError as exc:
    results.append("lock refused: " + type(exc).__name__)
try:
    os.open({str(served.data_dir / "planted.lock")!r}, os.O_CREAT | os.O_WRONLY, 0o666); results.append("planted")
except OSError as exc:
    results.append("plant refused: " + type(exc).__name__)
print("\\n".join(results))
"""
    done = as_other(other_user, code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == [
        "connect refused: PermissionError",
        "read refused: PermissionError",
        "read refused: PermissionError",
        "lock refused: PermissionError",
        "plant refused: PermissionError",
    ], lines
    # and the owner still starts and attaches as before
    assert EmbeddedServer(served.data_dir).start() == served.address


def test_a_long_data_directory_keeps_a_private_socket_too(other_user: str, tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    server = EmbeddedServer(tmp_path / ("long-" * 20) / "db")
    address = server.start()
    try:
        assert not str(address.unix_socket).startswith(str(tmp_path))  # too long for a socket path
        assert stat.S_IMODE(address.unix_socket.parent.stat().st_mode) == 0o700
        code = f"""
import socket
try:
    s = socket.socket(socket.AF_UNIX); s.connect({str(address.unix_socket)!r}); print("connected")
except OSError as exc:
    print("refused", type(exc).__name__)
"""
        assert as_other(other_user, code).stdout.strip() == "refused PermissionError"
    finally:
        assert server.stop()


def test_another_user_cannot_block_or_enter_the_runtime_directory(
    other_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket of a data directory whose path is too long goes in a directory made for it: another user
    who plants the names it once used (`graphapi-<uid>/<hash>`) in the shared temporary directory does not
    stop the start; the directory is 0700, ours, under a name no one could guess, and no one else can
    enter it. (The shared directory is one of the test's own, sticky and open to all as /tmp is.)"""
    shared = Path(tempfile.mkdtemp(prefix="graphapi-test-shared-", dir="/tmp"))
    shared.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    tmp_path.chmod(0o755)
    data = tmp_path / ("long-" * 20) / "db"
    try:
        planted = as_other(
            other_user,
            f"""
import hashlib, os
outer = {str(shared / f"graphapi-{os.getuid()}")!r}
os.makedirs(os.path.join(outer, hashlib.sha256({str(data)!r}.encode()).hexdigest()[:16]), mode=0o777)
print("planted")
""",
        )
        assert planted.stdout.strip() == "planted", planted.stderr
        server = EmbeddedServer(data)
        address = server.start()
        assert address.unix_socket is not None
        try:
            home = address.unix_socket.parent
            assert home.parent == shared and home.name.startswith("graphapi-")
            assert home.name != f"graphapi-{os.getuid()}"
            info = home.lstat()
            assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (os.getuid(), 0o700)
            assert server.runtime_record.read_text().strip() == str(home)
            assert stat.S_IMODE(server.runtime_record.stat().st_mode) == 0o600
            code = f"""
import os, socket
for attempt in ("list", "enter", "connect"):
    try:
        if attempt == "list": os.listdir({str(home)!r})
        if attempt == "enter": os.chdir({str(home)!r})
        if attempt == "connect": socket.socket(socket.AF_UNIX).connect({str(address.unix_socket)!r})
        print(attempt, "allowed")
    except OSError as exc:
        print(attempt, "refused", type(exc).__name__)
"""
            assert as_other(other_user, code).stdout.split("\n")[:3] == [
                "list refused PermissionError",
                "enter refused PermissionError",
                "connect refused PermissionError",
            ]
            # a second process attaches through the recorded directory
            assert EmbeddedServer(data).start() == address
        finally:
            assert server.stop()
        # a recorded directory that is no longer private (here: given to the other user) is not used again
        os.chown(home, int(subprocess.check_output(["id", "-u", other_user])), -1)
        again = EmbeddedServer(data)
        moved = again.start()
        assert moved.unix_socket is not None
        try:
            assert moved.unix_socket.parent != home and moved.unix_socket.parent.lstat().st_uid == os.getuid()
        finally:
            assert again.stop()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_data_directory_of_another_user_is_refused(other_user: str, tmp_path: Path) -> None:
    planted = tmp_path / "planted"
    planted.mkdir()
    os.chown(planted, int(subprocess.check_output(["id", "-u", other_user])), -1)
    with pytest.raises(Unavailable, match="belongs to another user"):
        private_directory(planted)
    open_dir = tmp_path / "open"
    open_dir.mkdir(mode=0o777)
    open_dir.chmod(0o777)
    private_directory(open_dir)  # ours, but open: closed to others
    assert stat.S_IMODE(open_dir.stat().st_mode) == 0o700
