"""`graphapi serve` (one process, the graph already loaded) with uvicorn's event loop and HTTP parser
chosen, to measure what each is worth (bench/serving.py):

    python -m bench.serve_with --port 8193 --loop asyncio --http h11
"""

from __future__ import annotations

import argparse


def main() -> None:
    import uvicorn

    from graphapi.app import create_app
    from graphapi.config import Settings
    from graphapi.logs import configure_logging

    parser = argparse.ArgumentParser(prog="python -m bench.serve_with")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    parser.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    args = parser.parse_args()
    settings = Settings.from_env()
    configure_logging(settings.log_format, settings.log_level)
    app = create_app(settings)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop=args.loop,
        http=args.http,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
