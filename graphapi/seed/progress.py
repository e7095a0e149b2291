"""A long load's progress on a terminal: one bar per step (reading and checking the files, writing),
drawn by rich (graphapi/seed/streamed.py says what a step reports)."""

from __future__ import annotations

from rich.progress import Progress, TaskID


class BarProgress:
    """LoadProgress on rich bars: each phase a bar of its own, the one before it left complete."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def phase(self, description: str, total: int | None) -> None:
        if self.task is not None:
            done = self.progress.tasks[-1]
            self.progress.update(self.task, completed=done.total or done.completed)
        self.task = self.progress.add_task(description, total=total)

    def advance(self, units: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, units)


__all__ = ["BarProgress"]
