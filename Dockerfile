# The API image for the Neo4j path (docker-compose.yml). It is not used for the embedded FalkorDB path.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY graphapi ./graphapi
COPY schema ./schema
COPY seed ./seed
# The package itself, not an editable checkout: graph schema and bundled seed travel inside it.
RUN pip install . && useradd --create-home graphapi
USER graphapi

EXPOSE 8000
# `serve` applies schema/graph.toml and loads the bundled seed when the graph is empty.
CMD ["graphapi", "serve", "--host", "0.0.0.0", "--port", "8000"]
