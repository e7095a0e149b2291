"""python -m bench.hostile URL: hostile documents that the limits refuse, sent by 3 senders per class at once
while another client probes /health, to tell whether the event loop stays free: /health's p50, p99 and
slowest answer for each class, and how each document was answered.

    python -m bench.hostile http://127.0.0.1:8000 --seconds 10 --senders 3

The classes are those of a round of hostile testing: 20-50 KB documents of 1,000 and 3,000 aliases, 400
overlapping fields, 2,000 variable definitions. tests/api/policy/test_loop_free.py runs it briefly with
generous margins; run it here for the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def overlapping(count: int) -> str:
    return "{ " + " ".join(["measures(first: 1) { nodes { id name } }"] * count) + " }"


def variables(count: int) -> str:
    definitions = ", ".join(f"$v{i}: Int" for i in range(count))
    return f"query Q({definitions}) {{ __typename }}"


CLASSES: dict[str, str] = {
    "1,000 aliases": aliases(1_000),
    "3,000 aliases": aliases(3_000),
    "400 overlapping fields": overlapping(400),
    "2,000 variable definitions": variables(2_000),
}


@dataclass
class Probe:
    """GET /health as often as it answers (20 ms apart), on a thread of its own."""

    url: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    if client.get(f"{self.url}/health").status_code != 200:
                        self.failures.append("not 200")
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.02)


@dataclass
class Result:
    name: str
    bytes: int
    sent: int
    outcomes: Counter[str]
    p50_ms: float
    p99_ms: float
    max_ms: float
    failures: list[str]

    def line(self) -> str:
        answered = ", ".join(f"{n} {k}" for k, n in self.outcomes.most_common())
        return (
            f"{self.name} ({self.bytes:,} bytes): {self.sent} sent ({answered}); "
            f"/health p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, slowest {self.max_ms:.1f} ms"
        )


async def _sender(url: str, document: str, until: float, outcomes: Counter[str], limit: int) -> int:
    sent = 0
    async with httpx.AsyncClient(timeout=60) as client:
        while time.monotonic() < until and sent < limit:
            response = await client.post(f"{url}/graphql", json={"query": document})
            body = response.json()
            codes = sorted({e.get("extensions", {}).get("code", "?") for e in body.get("errors") or []})
            outcomes[",".join(codes) or "answered"] += 1
            sent += 1
    return sent


def measure(url: str, name: str, document: str, *, seconds: float, senders: int, limit: int = 500) -> Result:
    """`senders` clients sending `document` for `seconds` (at most `limit` each) while /health is probed."""
    probe = Probe(url)
    thread = threading.Thread(target=probe.run, daemon=True)
    outcomes: Counter[str] = Counter()
    thread.start()
    time.sleep(0.2)
    until = time.monotonic() + seconds

    async def all_senders() -> list[int]:
        return await asyncio.gather(*(_sender(url, document, until, outcomes, limit) for _ in range(senders)))

    sent = sum(asyncio.run(all_senders()))
    probe.stop.set()
    thread.join(60)
    ordered = sorted(probe.latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(
        name,
        len(document.encode()),
        sent,
        outcomes,
        statistics.median(ordered) * 1000,
        p99 * 1000,
        ordered[-1] * 1000,
        probe.failures,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--senders", type=int, default=3)
    args = parser.parse_args()
    for name, document in CLASSES.items():
        result = measure(args.url, name, document, seconds=args.seconds, senders=args.senders)
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
