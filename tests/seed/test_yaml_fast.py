"""The fast YAML reader reads what PyYAML's seed loader reads, or leaves the text to it: on the real seed
files, the synthetic generator's output, and every form in which the two readers differ."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import write_synthetic_seed
from graphapi.seed.files import BUNDLED_SEED_DIR, SEED_SUFFIXES
from graphapi.seed.yaml_fast import read_fast
from graphapi.seed.yaml_loader import load_yaml, load_yaml_slow

FIXTURES = Path(__file__).parents[1] / "fixtures"


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1, 1.0 is not 1, a date not text)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return same(list(a.items()), list(b.items()))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def seed_texts() -> list[Path]:
    return sorted(
        p for root in (BUNDLED_SEED_DIR, FIXTURES) for p in root.rglob("*") if p.suffix in SEED_SUFFIXES
    )


@pytest.mark.parametrize("path", seed_texts(), ids=lambda p: p.name)
def test_every_seed_and_fixture_file_reads_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        slow = load_yaml_slow(text)
    except Exception as exc:  # a fixture of bad YAML: left to PyYAML
        assert read_fast(text) is None, exc
        with pytest.raises(type(exc)):
            load_yaml(text)
        return
    fast = read_fast(text)
    assert fast is None or same(fast, slow)
    assert same(load_yaml(text), slow)


def test_the_synthetic_corpus_is_read_fast_and_alike(tmp_path: Path) -> None:
    root = write_synthetic_seed(tmp_path, statements=2_000)
    for path in [root] if root.is_file() else sorted(root.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = read_fast(text)
        assert fast is not None, "the generator's files take the fast path"
        assert same(fast, load_yaml_slow(text))


# Scalars of every kind, plain and quoted: those the two readers read alike take the fast path, the
# others are left to PyYAML (YAML 1.1's numbers and dates, merges, tags, control characters...).
SCALARS = [
    *(
        [
            "0",
            "7",
            "-5",
            "+5",
            "-0",
            "12",
            "21484",
            "99999999999999999999",
            "0.5",
            "-0.0",
            "5.0",
            "0.10",
            "1.",
            "1.0e+3",
            "1e3",
            "12e03",
            ".5",
            "-.5",
            "+0.5",
        ]
    ),
    *(["017", "00", "0o17", "0x1F", "0b101", "1_000", "1__0", "1:20", "190:20:30.15", "-1:20"]),
    *(
        [
            ".inf",
            ".Inf",
            ".INF",
            "-.inf",
            "+.inf",
            ".nan",
            ".NaN",
            ".NAN",
            ".infinity",
            "inf",
            "nan",
            "NaN",
            "+.INF",
            "-.NaN",
        ]
    ),
    *(
        [
            "~",
            "null",
            "Null",
            "NULL",
            "nUll",
            "true",
            "True",
            "TRUE",
            "tRue",
            "false",
            "False",
            "FALSE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "Y",
            "N",
            "NO",
            "Off",
        ]
    ),
    *(["2025-01-01", "2025-1-1", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2025-01"]),
    "2001-12-14 21:59:43.10 -5",
    "2025-04-03 was the day",
    "12 apples",
    "25% tariffs",
    "at 10:30",
    "<<",
    "=",
    "!!binary aGk=",
    "!!str 12",
    "!!int '3'",
    "&x 1",
    "'2025-01-01'",
    '"017"',
    "'1e3'",
    "'on'",
    "x #c",
    "a:b",
    "measure:m38",
    "Person 0 is Minister 0",
    '"\\x41\\u00e9\\N\\_"',
    "'it''s'",
    "",
]


@pytest.mark.parametrize("scalar", SCALARS)
@pytest.mark.parametrize("form", ["k: {}\n", "- {}\n", "k: [{}, 1]\n", "{}: v\n", "k:\n  - {}\n"])
def test_scalars_read_alike(scalar: str, form: str) -> None:
    text = form.format(scalar)
    assert_alike(text)


# Whole texts: documents, keys, block scalars, line ends, a byte order mark, control characters.
TEXTS = [
    "a: 1\na: 2\n",
    "{a: 1, a: 2}\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a:\tb\n",
    "a: x\n  y\n\n  z\n",
    "a: |2\n   x\n",
    "a: |+\n x\n\n",
    "a: >-\n  x\n  017\n  y\n",
    "a: |\n  1e3\n",
    "a: &x [1]\nb: *x\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "? [a, b]\n: c\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: b\x01c\n",
    "a: 'b\x7fc'\n",
    'a: "\\u0001"\n',
    "a: 'x\n  y'\n",
    'a: "x\n\n  y"\n',
    "- a\n- b\n",
    "a",
    "",
    "# only\n",
    "a: b: c\n",
    "[1, 2",
    "k: - x\n",
    "Ä: 1\n",
    "a:\n  b:\n    c: [1, {d: 2025-01-01}]\n",
    "a: {b: 1e3}\n",
    "a: [1,1e3]\n",
    "{a:1e3}\n",
    "[a:017]\n",
    "[a, !!str 1]\n",
    "[&a 1, *a]\n",
    "k: x\n  ? y\n",
    "k: 1:20\n",
    "k: [1:20]\n",
    "k: {1:20}\n",
    "k: 2025:\n",
    "2025-01-01: x\n",
    "k: '25%' 017\n",
    "k: x # 1e3\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_texts_read_alike(text: str) -> None:
    assert_alike(text)


def assert_alike(text: str) -> None:
    """Both readers give the same value, or both refuse the text with the same error."""
    try:
        slow = load_yaml_slow(text)
    except Exception as exc:
        assert read_fast(text) is None
        with pytest.raises(type(exc)) as raised:
            load_yaml(text)
        assert str(raised.value) == str(exc)
        return
    fast = read_fast(text)
    assert fast is None or same(fast, slow), (fast, slow)
    assert same(load_yaml(text), slow)
