"""The `graphapi` command's entry point. `graphapi serve` runs with the C library's allocator for Python's
objects (PYTHONMALLOC=malloc), set here before anything is imported, by running the same command again
with it. Why: Python's own allocator takes memory from the system in 1 MiB arenas and gives an arena back
only when every object in it is gone; after 1,000 WebSockets closed, a handful of long-lived objects made
while they were open kept 12-14% more memory with the process than before them (the README, Performance).
The C allocator gives free pages back (graphapi/heap.py's trim), and after the same connections the
process returns to its baseline. It costs CPU: about 10% more per request of the read mix (median of four
interleaved runs on a busy machine, from 3% less to 50% more).

GRAPHAPI_ALLOCATOR=pymalloc keeps Python's own; a PYTHONMALLOC already set is left as it is."""

from __future__ import annotations

import os
import signal
import sys

ALLOCATOR = "GRAPHAPI_ALLOCATOR"


CHOICES = ("malloc", "pymalloc")


def wanted(
    argv: list[str], environ: dict[str, str] | os._Environ[str], ignores_environment: bool = False
) -> bool:
    """Whether this process should run again with the C allocator: serving, and nothing chosen yet.
    A choice that is neither allocator is refused (SystemExit) rather than guessed."""
    if "serve" not in argv[1:2] or "PYTHONMALLOC" in environ:
        return False
    choice = environ.get(ALLOCATOR, "malloc").strip().lower()
    if choice not in CHOICES:
        raise SystemExit(f"{ALLOCATOR} is malloc or pymalloc, not {choice[:40]!r}")
    if choice == "malloc" and ignores_environment:
        # python -E or -I ignores PYTHONMALLOC: running again would change nothing
        print(
            "note: python -E/-I ignores PYTHONMALLOC, so serve keeps Python's own allocator",
            file=sys.stderr,
        )
        return False
    return choice == "malloc"


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    if wanted(sys.argv, os.environ, bool(sys.flags.ignore_environment)):
        os.environ["PYTHONMALLOC"] = "malloc"
        os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    if "serve" not in sys.argv[1:2]:
        # SIGTERM (a supervisor, `timeout`) stops a command as Ctrl-C does, so what it started is
        # stopped in turn: a load's readers and its spool, the embedded database when no one else uses it.
        # (`serve` has uvicorn's own handling.)
        signal.signal(signal.SIGTERM, _interrupted)
    from graphapi.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
