"""The pure parts, without a database: dates, cursors, text checks, records, the mapping to the graph, and
the joining of a two-sided walk."""

from __future__ import annotations

import base64
import json
import logging
import socket
import time
from pathlib import Path

import pytest

from graphapi.api.queries.walks import Hop, _join
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.list_inputs import _parse_day
from graphapi.errors import BadUserInput, Unavailable
from graphapi.graph import records as r
from graphapi.graph.dates import DateInterval
from graphapi.graph.mapping import node_write, tenure_write
from graphapi.graph.model import DatePrecision, Rel
from graphapi.graph.text import check_line, check_text
from graphapi.store import falkor_server
from graphapi.store.falkor_server import EmbeddedServer, ServerAddress

# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2025-04-02", DatePrecision.DAY, "2025-04-02", "2025-04-02"),
        ("2025-05", DatePrecision.MONTH, "2025-05-01", "2025-05-31"),
        ("2024-02", DatePrecision.MONTH, "2024-02-01", "2024-02-29"),
        ("2025", DatePrecision.YEAR, "2025-01-01", "2025-12-31"),
        ("9999-12", DatePrecision.MONTH, "9999-12-01", "9999-12-31"),
        ("0001", DatePrecision.YEAR, "0001-01-01", "0001-12-31"),
    ],
)
def test_dates_keep_their_precision_and_bounds(
    text: str, precision: DatePrecision, first: str, last: str
) -> None:
    date = DateInterval.parse(text)
    assert (date.precision, date.first_day.isoformat(), date.last_day.isoformat()) == (precision, first, last)
    assert DateInterval.from_props(date.to_props("on"), "on") == date


@pytest.mark.parametrize(
    "text",
    ["0000", "0000-05", "2025-13", "2025-00", "2025-02-30", "\u0662\u0660\u0662\u0665-\u0660\u0664-\u0660\u0662", "\uff12\uff10\uff12\uff15", " 2025", "2025\n",
     "2025-4-2", "20250402", "", "2025-04-02T00:00", "x" * 5000],
)  # fmt: skip
def test_dates_refuse_what_is_not_a_calendar_date(text: str) -> None:
    with pytest.raises(ValueError):
        DateInterval.parse(text)
    with pytest.raises(ValueError):
        _parse_day(text)


def test_a_day_is_a_whole_day() -> None:
    assert _parse_day("2025-04-03") == "2025-04-03"
    for value in ("2025-04", "2025", 20250403, None):
        with pytest.raises(ValueError):
            _parse_day(value)


# --- cursors ---------------------------------------------------------------------------------------

SCOPE = CursorScope.of("measures", "RATE:DESC", {"status": None, "kind": "TARIFF"})


def _raw(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def test_a_cursor_comes_back_to_its_list() -> None:
    cursor = SCOPE.encode([25.0, "measure:a"])
    assert SCOPE.decode(cursor, (object, str)) == [25.0, "measure:a"]
    assert SCOPE.decode(None, (object, str)) is None


@pytest.mark.parametrize(
    ("other", "words"),
    [
        (
            CursorScope.of("statements", "RATE:DESC", {"status": None, "kind": "TARIFF"}),
            "comes from `measures`",
        ),
        (CursorScope.of("measures", "RATE:ASC", {"status": None, "kind": "TARIFF"}), "in this order"),
        (CursorScope.of("measures", "RATE:DESC", {"status": None, "kind": "DUTY"}), "with these filters"),
    ],
)
def test_a_cursor_used_elsewhere_is_refused_naming_after(other: CursorScope, words: str) -> None:
    with pytest.raises(BadUserInput, match=words) as caught:
        other.decode(SCOPE.encode([25.0, "measure:a"]), (object, str))
    assert caught.value.argument == "after"


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        _raw([1]),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [float("nan"), "m:a"]}).replace(
            "NaN", "NaN"
        ),
        base64.urlsafe_b64encode(
            ('{"l":"measures","o":"RATE:DESC","f":"' + SCOPE.filters + '","p":[NaN,"m:a"]}').encode()
        ).decode(),
        base64.urlsafe_b64encode(
            ('{"l":"measures","o":"RATE:DESC","f":"' + SCOPE.filters + '","p":[Infinity,"m:a"]}').encode()
        ).decode(),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [1, "m:\u0000"]}),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [True, "m:a"]}),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [[1], "m:a"]}),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [2**80, "m:a"]}),
        _raw({"l": "measures", "o": "RATE:DESC", "f": SCOPE.filters, "p": [1, "m:a", "extra"]}),
        base64.urlsafe_b64encode(b"[" * 10_000 + b"]" * 10_000).decode(),
        "A" * 5000,
        "\u0000",
    ],
)
def test_malformed_cursors_are_bad_input(cursor: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        SCOPE.decode(cursor, (object, str))
    assert caught.value.argument == "after"


# --- text ------------------------------------------------------------------------------------------


def test_names_are_one_line_and_text_may_break_lines() -> None:
    assert check_line("Mark Carney") == "Mark Carney"
    assert check_text("line one\nline two\ttab\r\n") == "line one\nline two\ttab\r\n"
    for bad in ("x\n", "a\u0000b", "\u0085", "\x7f", "\ud800"):
        with pytest.raises(ValueError):
            check_line(bad)
    for bad in ("a\u0000b", "\x1b[31m", "\ud800"):
        with pytest.raises(ValueError):
            check_text(bad)
    with pytest.raises(ValueError, match="at most"):
        check_line("x" * 501)


def test_records_refuse_ids_with_a_trailing_newline_and_control_characters() -> None:
    with pytest.raises(ValueError, match="is not an id"):
        r.Person.model_validate({"id": "person:x\n", "name": "X"})
    with pytest.raises(ValueError, match="control character"):
        r.Person.model_validate({"id": "person:x", "name": "X\u0000"})
    with pytest.raises(ValueError):
        r.Country.model_validate({"id": "country:CA", "name": "Canada", "iso_code": "CA\n"})


# --- from records to the graph ---------------------------------------------------------------------


def test_a_statement_maps_to_properties_links_and_its_quote_span() -> None:
    statement = r.Statement.model_validate(
        {"id": "statement:s", "speaker": "person:p", "quote": "betrayal", "start": 10, "end": 18,
         "direct": True, "said_on": {"on": "2025-03", "as_written": "in March"}, "about": ["measure:m", "measure:m"]}
    )  # fmt: skip
    write = node_write(statement, "source:a")
    assert write.props["spanStart"] == 10 and write.props["spanEnd"] == 18
    assert write.props["saidOnPrecision"] == "MONTH" and write.props["saidOnEnd"] == "2025-03-31"
    assert write.props["searchText"] == "betray"  # stemmed (graphapi/graph/words.py)
    assert [(link.rel, link.dst) for link in write.links] == [
        (Rel.SAID_BY, "person:p"),
        (Rel.ABOUT, "measure:m"),  # named twice, one relationship
        (Rel.QUOTED_IN, "source:a"),
    ]
    assert [(s.field, s.start, s.end) for s in write.spans] == [("quote", 10, 18)]


def test_a_measure_flattens_money_effects_and_evidence() -> None:
    measure = r.Measure.model_validate(
        {"id": "measure:m", "name": "Tariff", "kind": "TARIFF", "status": "IN_FORCE", "imposed_by": ["country:US"],
         "value": [{"amount": 60e9, "currency": "CAD", "approximate": True}],
         "effects": [{"description": "jobs", "amount": 500000, "evidence": {"quote": "jobs", "start": 5, "end": 9}}],
         "evidence": [{"quote": "tariff", "start": 0, "end": 6}]}
    )  # fmt: skip
    write = node_write(measure, "source:a")
    assert write.props["valueCurrencies"] == ["CAD"] and write.props["valueApproximate"] == [True]
    assert json.loads(write.props["effects"])[0]["source"] == "source:a"
    assert write.props["evidenceQuotes"] == ["tariff"] and write.props["evidenceSource"] == "source:a"
    assert {(link.rel, link.dst) for link in write.links} == {
        (Rel.IMPOSED_BY, "country:US"),
        (Rel.EVIDENCE_IN, "source:a"),
    }
    assert [s.field for s in write.spans] == ["effects[0].evidence", "evidence[0]"]
    assert "rate" not in write.props  # nulls are not stored


def test_a_tenure_maps_to_its_relationship_properties() -> None:
    tenure = r.Tenure.model_validate(
        {"holder": "person:p", "office": "office:o", "from": {"on": "2025-03-14"},
         "evidence": [{"quote": "PM", "start": 1, "end": 3}]}
    )  # fmt: skip
    write = tenure_write(tenure, "source:a")
    assert write.props["fromEnd"] == "2025-03-14" and "toStart" not in write.props
    assert write.spans[0].field == "evidence[0]"


# --- walks -----------------------------------------------------------------------------------------


def test_a_two_sided_walk_joins_into_one_path() -> None:
    """a -> b found from the start, c <- d found from the goal, meeting at c: the path is a, b, c, d."""
    came: list[dict[str, Hop | None]] = [
        {"a": None, "b": Hop(Rel.ABOUT, "a", "b", "a"), "c": Hop(Rel.SAID_BY, "c", "b", "b")},
        {"d": None, "c": Hop(Rel.HELD_BY, "d", "c", "d")},
    ]
    path = _join(came, "c")
    assert path.node_ids == ["a", "b", "c", "d"]
    assert [(e.type, e.source, e.target) for e in path.edges] == [
        (Rel.ABOUT, "a", "b"),
        (Rel.SAID_BY, "c", "b"),
        (Rel.HELD_BY, "d", "c"),
    ]


# --- waiting for the embedded server -----------------------------------------------------------


def test_start_up_waits_while_the_server_loads_and_no_longer_when_it_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Loading (a long append-only file) is waited for however long it takes; silence is not, past
    `start_timeout`."""
    server = EmbeddedServer(tmp_path, start_timeout=0.1)
    address = ServerAddress(tmp_path / "s.sock")
    states = iter(["down"] * 2 + ["loading"] * 8 + ["ready"])
    monkeypatch.setattr(falkor_server, "probe", lambda _: next(states))
    monkeypatch.setattr(falkor_server, "loading_progress", lambda _: "40% of 50 MB")
    with caplog.at_level(logging.INFO):
        server._wait_until_ready(address, lambda: True)  # 0.4 s of loading, past the 0.1 s limit
    assert any("loading its data (40% of 50 MB)" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(falkor_server, "probe", lambda _: "down")
    with pytest.raises(Unavailable, match="did not answer within"):
        server._wait_until_ready(address, lambda: True)
    with pytest.raises(Unavailable, match="did not start"):
        server._wait_until_ready(address, lambda: False)


def test_start_up_waits_while_the_server_is_busy_but_not_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that took the connection and does not answer is building a large graph's indexes (it
    says nothing, not even LOADING, meanwhile): waited for, past `start_timeout`, up to BUSY_LIMIT_S."""
    server = EmbeddedServer(tmp_path, start_timeout=0.1)
    address = ServerAddress(tmp_path / "s.sock")
    states = iter(["down"] + ["busy"] * 8 + ["ready"])
    monkeypatch.setattr(falkor_server, "probe", lambda _: next(states))
    server._wait_until_ready(address, lambda: True)  # 0.4 s busy, past the 0.1 s limit
    monkeypatch.setattr(falkor_server, "BUSY_LIMIT_S", 0.2)
    monkeypatch.setattr(falkor_server, "probe", lambda _: "busy")
    started = time.monotonic()
    with pytest.raises(Unavailable, match="did not answer within"):
        server._wait_until_ready(address, lambda: True)
    assert time.monotonic() - started < 5


def test_a_server_that_takes_the_connection_and_says_nothing_is_busy(tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "s.sock"))
    listener.listen()
    try:
        assert falkor_server.probe(ServerAddress(tmp_path / "s.sock")) == "busy"
    finally:
        listener.close()
    assert falkor_server.probe(ServerAddress(tmp_path / "s.sock")) == "down"
