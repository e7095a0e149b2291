"""Logging for the service: one JSON object per line by default (fields such as `request_id` included,
and the `pid` of the process, which tells `serve --workers` processes apart), or plain text for a person
at a terminal. Each worker process sets it up for itself (see `graphapi.cli.worker_app`)."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


def configure_logging(fmt: str = "json", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            )
        )
    else:
        text = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"
        handler.setFormatter(logging.Formatter(text))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
