"""Who may use an embedded server, and who does.

May: its owner alone. Its files live in directories of mode 0700 that belong to the user who runs it.

Does: every attached instance holds a shared `flock` on the data directory's `users.lock`, and only one
that can take it exclusively may stop the server. A lock, not a look at the server's clients: a process
between two connections has none open, and a crashed one's lock goes with it (the kernel lets it go
however the process ends). `flock` locks belong to an open file, so two instances in one process count
as two users."""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
from pathlib import Path

from graphapi.errors import Unavailable


class ServerUsers:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "users.lock"
        self._held: int | None = None  # the descriptor holding our lock

    def join(self) -> None:
        """Count as a user (at once, unless a stopper holds the lock exclusively: callers join under the
        start lock, which a stopper holds throughout)."""
        if self._held is None:
            held = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            fcntl.flock(held, fcntl.LOCK_SH)
            self._held = held

    def leave(self) -> None:
        if self._held is not None:
            os.close(self._held)  # (closing the descriptor lets its lock go)
            self._held = None

    def alone(self) -> bool:
        """Whether no one else is a user. When so, the lock is kept exclusively until `leave`, so anyone
        joining meanwhile waits; when not, this one has stopped counting."""
        self.join()
        assert self._held is not None
        fcntl.flock(self._held, fcntl.LOCK_UN)
        try:
            fcntl.flock(self._held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.leave()
            return False
        return True

    def __del__(self) -> None:
        self.leave()


def private_directory(path: Path) -> None:
    """Create `path` (mode 0700) or check it: it must be the current user's, and no one else's to write to
    or read from (it is made 0700 when it is ours but open)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = path.stat()
    if info.st_uid != os.getuid():
        raise Unavailable(f"the data directory {path} belongs to another user; choose one of your own")
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(0o700)


def is_private_directory(path: Path) -> bool:
    """A real directory (not a link), the current user's, that no one else may enter, read or write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not stat.S_IMODE(info.st_mode) & 0o077
    )


def runtime_base() -> Path:
    """Where private runtime directories go: `$XDG_RUNTIME_DIR` when it is the user's own private
    directory (as systemd makes it), the temporary directory otherwise."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute() and is_private_directory(Path(runtime)):
        return Path(runtime)
    return Path(tempfile.gettempdir())
