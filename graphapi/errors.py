"""The project's own exceptions. Each carries the GraphQL error code clients see in `extensions.code`."""

from __future__ import annotations


class GraphApiError(Exception):
    code = "INTERNAL"


class BadUserInput(GraphApiError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


class NotFound(GraphApiError):
    code = "NOT_FOUND"


class Unauthenticated(GraphApiError):
    """No credential, or one that is not valid."""

    code = "UNAUTHENTICATED"


class Forbidden(GraphApiError):
    """A valid credential without the scope the operation needs."""

    code = "FORBIDDEN"


class Unavailable(GraphApiError):
    """The database cannot be reached or did not answer in time."""

    code = "UNAVAILABLE"


class WriteConflict(Unavailable):
    """The graph changed while a load was being written next to it; the load wrote nothing and can be
    worked out again against the graph as it now is."""


class DiskFull(GraphApiError):
    """The disk holding the database is full (or within its reserve): writes are refused until space is
    freed; reads go on."""

    code = "DISK_FULL"


class LimitReached(GraphApiError):
    """The service holds as many open connections or subscriptions as it allows: try again later."""

    code = "TOO_MANY_REQUESTS"


class Conflict(GraphApiError):
    """Concurrent changes kept coming between a write's checks and the write, each time it was tried: the
    database is fine, and trying again later may succeed."""

    code = "CONFLICT"


class StoreError(GraphApiError):
    """The database refused a statement (a bug on our side, or data that breaks a constraint)."""

    code = "INTERNAL"


class DeclinedWrite(StoreError):
    """A checked write that did not write, though its diagnosis found no reason (no check failed, the node
    does not already say this): the statement and its diagnosis disagree, a bug of ours. The database
    answered, so this is never `UNAVAILABLE`; the client sees INTERNAL and the log has the details."""


class InvalidRecord(BadUserInput):
    """A record that cannot be written as it is. Each problem names the record's field (`speaker`,
    `evidence[0]`), which the API turns into its argument and the seed loader into the file's field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__(
            "; ".join(f"`{field}`: {message}" for field, message in problems), argument=problems[0][0]
        )
