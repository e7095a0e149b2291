"""What is wrong with a seed: the file, the record, the field, and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphapi.errors import BadUserInput


@dataclass(frozen=True)
class SeedProblem:
    file: Path
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f": field '{self.field}'"
        return f"{where}: {self.message}"


class SeedInvalid(BadUserInput):
    """Problems of seed files (or of loading them), all of them; `outcome` says what came of it."""

    def __init__(self, problems: list[SeedProblem], outcome: str | None = None) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        said = f"; {outcome}" if outcome else ""
        super().__init__(f"{len(problems)} problem(s) in the seed{said}:\n{lines}")

    def having(self, outcome: str) -> SeedInvalid:
        return SeedInvalid(self.problems, outcome)
