# The API image. It serves with the embedded FalkorDB by default (data in /data), or with the database that
# NEO4J_URI or GRAPHAPI_FALKORDB_URL names (docker-compose.yml runs both ways).
#
# The base image is pinned to a patch release; pin its digest too (`docker buildx imagetools inspect
# python:3.11.14-slim-bookworm`) where your registry policy asks for it.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GRAPHAPI_DATA_DIR=/data
WORKDIR /app

# Exactly what the lock names (versions and hashes), before the code, so a code change reuses this layer.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes --no-deps -r requirements/runtime.txt

COPY pyproject.toml README.md ./
COPY graphapi ./graphapi
COPY schema ./schema
COPY seed ./seed
# The package itself (its dependencies are all installed above), not an editable checkout: the graph
# schema and the bundled seed travel inside it. Then a user without a login shell owns only /data.
RUN pip install --no-deps . \
    && pip check \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin graphapi \
    && mkdir -p /data && chown graphapi /data && chmod 0700 /data
USER graphapi
VOLUME ["/data"]

EXPOSE 8000
# Liveness: /health fails when the service has given up on its database (see README, Storage).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
# `serve` applies schema/graph.toml and loads the bundled seed when the graph is empty.
CMD ["graphapi", "serve", "--host", "0.0.0.0", "--port", "8000"]
