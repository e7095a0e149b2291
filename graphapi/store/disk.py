"""The disk under the embedded database: how much is free, and whether that is enough to write.

FalkorDB appends every write to its append-only file and fsyncs it before answering; a write it cannot
append makes it exit ("Can't recover from AOF write error when the AOF fsync policy is 'always'"). So the
service keeps a reserve free: a write is refused with DISK_FULL, before it is sent, while less than
`reserve` bytes are free, and the server never meets a full disk through the service's own writes (nor a
compaction that would not fit). If the server dies of a full disk anyway (something else filled it), the
supervisor waits for space before starting it again (graphapi/store/supervisor.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graphapi.errors import DiskFull

MB = 1 << 20


@dataclass(frozen=True)
class Disk:
    path: Path  # the data directory
    reserve: int  # bytes that must stay free

    def free(self) -> int:
        try:
            info = os.statvfs(self.path)
        except OSError:
            return self.reserve  # cannot tell (the directory is being made): not full
        return info.f_bavail * info.f_frsize

    def full(self, extra: int = 0) -> bool:
        """Whether fewer than the reserve (plus `extra` bytes about to be written) are free."""
        return self.free() < self.reserve + extra

    def check(self, extra: int = 0) -> None:
        free = self.free()
        if free < self.reserve + extra:
            raise DiskFull(
                f"the disk holding the database is full ({free / MB:.1f} MB free, "
                f"{(self.reserve + extra) / MB:.0f} MB kept free for writes); "
                "writes resume when space is freed"
            )

    def report(self) -> dict[str, object]:
        return {"free_mb": round(self.free() / MB, 1), "reserve_mb": round(self.reserve / MB, 1)}
