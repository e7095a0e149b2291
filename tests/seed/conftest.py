"""Fixtures of the reload digests' tests (tests/seed/test_reload_digest.py and its red team's attacks)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from graphapi.seed import files
from helpers import SEED_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The bundled seed and the two fixtures, with their sources, in one directory a test may change."""
    directory = tmp_path / "corpus"
    shutil.copytree(SEED_DIR, directory)
    shutil.copytree(FIXTURES, directory, dirs_exist_ok=True)
    return directory


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every seed file read and parsed by the comparing loader (graphapi/seed/files.py), in order."""
    seen: list[Path] = []
    read_one, load_yaml = files.read_one, files.load_yaml

    def counted(path: Path) -> Any:
        seen.append(path)
        return read_one(path)

    def parse(text: str) -> Any:
        seen.append(Path("<a YAML text>"))
        return load_yaml(text)

    monkeypatch.setattr(files, "read_one", counted)
    monkeypatch.setattr(files, "load_yaml", parse)
    return seen
