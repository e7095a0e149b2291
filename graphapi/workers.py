"""`graphapi serve --workers N`: N uvicorn processes, each listening on a socket of its own bound to the
same port (SO_REUSEPORT), so the kernel spreads connections evenly over them.

uvicorn's own supervisor shares one listening socket between its workers. Each asyncio worker that
wakes for a new connection accepts every connection waiting, so a burst of keep-alive connections (a
client's pool, a proxy's) lands on one worker: measured with wrk and 16 connections, 14,971 requests
went to one worker and 1,010 to the other, and two workers served no more than one. That socket also
left Nagle's algorithm on (uvicorn binds it with protocol 0, so asyncio skips TCP_NODELAY): each
keep-alive request after the first waited ~40 ms for a delayed ACK (uvicorn issue #3149).

The parent only starts, watches and stops the workers: a worker that dies is replaced, and one that
cannot start stops the service. Each worker's metrics stay in the multiprocess directory after it
exits (totals never go back); its live-only values are dropped (mark_process_dead).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger(__name__)

APP = "graphapi.cli:worker_app"
RESTART_WAIT_S = 1.0  # between a worker's death and its replacement: a crash loop must not spin
STOP_WAIT_S = 30.0  # for a worker to finish its requests and close the database before it is killed


def listening_socket(host: str, port: int, *, shared: bool = True) -> socket.socket:
    """A TCP socket bound to host:port, with its protocol set (asyncio then turns Nagle off on each
    connection); `shared`: others may bind the same port too (SO_REUSEPORT), each taking its share."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:  # pragma: no cover - in a child
    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, **options)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


def run(workers: int, host: str, port: int, options: dict[str, Any]) -> int:
    """Serve with `workers` processes until SIGINT or SIGTERM; the exit code for `serve`."""
    # The port must be free: a socket bound without SO_REUSEPORT fails if anything listens there, even
    # another service that would otherwise silently share it.
    try:
        listening_socket(host, port, shared=False).close()
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", host, port, exc.strerror or exc)
        return STARTUP_FAILURE
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        received.append(signum)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)

    def start() -> BaseProcess:
        process = context.Process(target=_worker, args=(host, port, options), name="graphapi worker")
        process.start()
        log.info("started worker process", extra={"worker_pid": process.pid})
        return process

    processes = [start() for _ in range(workers)]
    log.info("serving on http://%s:%d with %d worker processes", host, port, workers)
    code = 0
    while not stop.wait(0.2):
        for i, process in enumerate(processes):
            if process.is_alive():
                continue
            _exited(process)
            if process.exitcode == STARTUP_FAILURE:
                log.error("a worker could not start; stopping", extra={"worker_pid": process.pid})
                code = STARTUP_FAILURE
                stop.set()
                break
            log.warning(
                "a worker died; starting another",
                extra={"worker_pid": process.pid, "exit_code": process.exitcode},
            )
            time.sleep(RESTART_WAIT_S)
            processes[i] = start()
    log.info("stopping %d worker processes", len(processes))
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes its requests and runs the app's shutdown
    for process in processes:
        process.join(STOP_WAIT_S)
        if process.is_alive():
            log.error("a worker did not stop in time; killing it", extra={"worker_pid": process.pid})
            process.kill()
            process.join()
        _exited(process)
    return code


def _exited(process: BaseProcess) -> None:
    from graphapi.api.transport.observability import multiprocess_dir

    path = multiprocess_dir()
    if path is not None and process.pid is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(process.pid, path)  # type: ignore[no-untyped-call]
