"""What is known, and what is only possible, on a day: the rules of the temporal questions (in force on,
held on, in a range), each written twice, once as Cypher filters for the lists and once in Python to say
why an answer is what it is; tests/graph/test_temporal.py holds the two to the same answers.

A date is the interval of days its source allows (graphapi/graph/dates.py). Something is KNOWN to hold on
a day when every day its start can be is on or before it and every day its end can be is after it;
POSSIBLE when some of them are; NO otherwise. An end the sources do not give is open: what they report in
force stays so until they report its end. A start they do not give is unknown: nothing is known to hold
from an unknown start. A measure the sources report only as announced (planned) is never KNOWN to be in
force: its start is a plan. Nothing is known past what the sources say: what a source reports as it
stands when written (a measure's status, a tenure) is KNOWN at most up to that source's own date
(`reportedUntil`, the last day it can have been written) and only POSSIBLE after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.graph.dates import DateInterval
from graphapi.graph.model import Certainty, MeasureStatus

# --- measures in force on a day ($inForceOn) ------------------------------------------------------

# Reported in force (or removed later), started by the day for sure, sure not to have ended before it,
# and the day no later than its source could see.
KNOWN_IN_FORCE = (
    "n.status IN ['IN_FORCE', 'REMOVED'] AND n.effectiveFromEnd <= $inForceOn "
    "AND ((n.effectiveToStart IS NULL AND n.status = 'IN_FORCE') OR n.effectiveToStart >= $inForceOn) "
    "AND (n.reportedUntil IS NULL OR $inForceOn <= n.reportedUntil)"
)
# Not a threat or paused; its start can be on or before the day (a start not given counts for a measure
# reported in force or removed, not for one only announced); its end can be on or after it.
POSSIBLY_IN_FORCE = (
    "n.status IN ['IN_FORCE', 'REMOVED', 'ANNOUNCED'] "
    "AND (n.effectiveFromStart <= $inForceOn OR (n.effectiveFromStart IS NULL AND n.status <> 'ANNOUNCED')) "
    "AND (n.effectiveToEnd IS NULL OR n.effectiveToEnd >= $inForceOn)"
)
# $possible: include what is only possible.
IN_FORCE_ON = f"(({KNOWN_IN_FORCE}) OR ($possible AND {POSSIBLY_IN_FORCE}))"


@dataclass(frozen=True)
class Answer:
    certainty: Certainty
    why: str


def included(answer: Answer, least: Certainty) -> bool:
    """Whether an answer is as sure as asked: KNOWN keeps what is known, POSSIBLE also what may be."""
    if least is Certainty.KNOWN:
        return answer.certainty is Certainty.KNOWN
    return answer.certainty is not Certainty.NO


def in_force(props: dict[str, Any], day: str) -> Answer:
    """Whether a measure (its stored properties) is in force on `day` (YYYY-MM-DD), and why."""
    status = str(props.get("status"))
    start = DateInterval.from_props(props, "effectiveFrom")
    end = DateInterval.from_props(props, "effectiveTo")
    if status == MeasureStatus.THREATENED:
        return Answer(Certainty.NO, "threatened: not imposed, as far as the sources say")
    if status == MeasureStatus.PAUSED:
        return Answer(Certainty.NO, "paused, as the sources last report it")
    if status == MeasureStatus.ANNOUNCED and start is None:
        return Answer(Certainty.NO, "announced without a start date; the sources do not report it in force")
    reported = status in (MeasureStatus.IN_FORCE, MeasureStatus.REMOVED)
    said = "reported in force" if status == MeasureStatus.IN_FORCE else "reported removed"
    # the start
    if start is None:
        started, start_words = Certainty.POSSIBLE, f"{said}; the sources give no start"
    elif start.end_key <= day:
        started = Certainty.KNOWN if reported else Certainty.POSSIBLE
        start_words = f"{said}, starting {start.describe()}" if reported else _planned(start)
    elif start.start_key <= day:
        started = Certainty.POSSIBLE
        start_words = (
            f"{said}, starting {start.describe()}: possibly after {day}" if reported else _planned(start)
        )
    else:
        return Answer(Certainty.NO, f"it starts {start.describe()}, after {day}")
    # the end
    if end is None and status == MeasureStatus.REMOVED:
        ended, end_words = Certainty.POSSIBLE, "removed on a day the sources do not give"
    elif end is None:
        ended, end_words = Certainty.KNOWN, "no end reported"
    elif end.start_key >= day:
        ended, end_words = Certainty.KNOWN, f"ending {end.describe()}"
    elif end.end_key >= day:
        ended, end_words = Certainty.POSSIBLE, f"ending {end.describe()}: possibly before {day}"
    else:
        return Answer(Certainty.NO, f"it ended {end.describe()}, before {day}")
    return _as_far_as_reported(
        Answer(_weakest(started, ended), f"{start_words}; {end_words}"), props, day, "in force"
    )


def _as_far_as_reported(answer: Answer, props: dict[str, Any], day: str, what: str) -> Answer:
    """A KNOWN answer about a day after the source's own date becomes POSSIBLE: the source could not see
    that far (`reportedUntil` is the last day it can have been written)."""
    until = props.get("reportedUntil")
    if answer.certainty is not Certainty.KNOWN or not isinstance(until, str) or day <= until:
        return answer
    source = props.get("evidenceSource") or "its source"
    why = f"{answer.why}; last reported {what} by {source}, written by {until}: later is not known"
    return Answer(Certainty.POSSIBLE, why)


def _planned(start: DateInterval) -> str:
    return f"announced to take effect {start.describe()}; the sources do not report it in force"


def held_on(props: dict[str, Any], day: str) -> Answer:
    """Whether a tenure (its relationship's properties) covers `day`: from its start, up to the day
    before its end (a successor takes office on the day the predecessor leaves)."""
    start, end = DateInterval.from_props(props, "from"), DateInterval.from_props(props, "to")
    if start is None:
        started, start_words = Certainty.POSSIBLE, "the sources give no start"
    elif start.end_key <= day:
        started, start_words = Certainty.KNOWN, f"starting {start.describe()}"
    elif start.start_key <= day:
        started, start_words = Certainty.POSSIBLE, f"starting {start.describe()}: possibly after {day}"
    else:
        return Answer(Certainty.NO, f"it starts {start.describe()}, after {day}")
    if end is None:
        ended, end_words = Certainty.KNOWN, "no end reported"
    elif day < end.start_key:
        ended, end_words = Certainty.KNOWN, f"ending {end.describe()}"
    elif day < end.end_key:
        ended, end_words = Certainty.POSSIBLE, f"ending {end.describe()}: possibly by {day}"
    else:
        return Answer(Certainty.NO, f"it ended {end.describe()}, by {day}")
    return _as_far_as_reported(
        Answer(_weakest(started, ended), f"{start_words}; {end_words}"), props, day, "held"
    )


# --- dates in a range ($from, $to) -----------------------------------------------------------------

# Over firstDay and lastDay, a date's stored first and last possible day.
KNOWN_IN_RANGE = "($from IS NULL OR firstDay >= $from) AND ($to IS NULL OR lastDay <= $to)"
POSSIBLY_IN_RANGE = "($to IS NULL OR firstDay <= $to) AND ($from IS NULL OR lastDay >= $from)"


def in_range(date: DateInterval, start: str | None, end: str | None) -> Answer:
    """Whether a date falls between two days (inclusive; either may be open)."""
    if (start is None or date.start_key >= start) and (end is None or date.end_key <= end):
        return Answer(Certainty.KNOWN, f"{date.describe()} falls in the range")
    if (end is None or date.start_key <= end) and (start is None or date.end_key >= start):
        return Answer(Certainty.POSSIBLE, f"{date.describe()} may fall in the range or outside it")
    return Answer(Certainty.NO, f"{date.describe()} falls outside the range")


def _weakest(*certainties: Certainty) -> Certainty:
    order = [Certainty.NO, Certainty.POSSIBLE, Certainty.KNOWN]
    return min(certainties, key=order.index)
