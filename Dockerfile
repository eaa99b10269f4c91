# The ictgate service. With OPA_URL set (docker-compose.yml) it asks that OPA
# server; without it, it evaluates in process with the embedded regorus engine.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.lock

COPY pyproject.toml README.md ./
COPY service ./service
COPY policies ./policies
COPY schemas ./schemas
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
    && useradd --system --no-create-home ictgate \
    && mkdir -p /app/var && chown ictgate /app/var

# The installed package finds policies/ and schemas/ beside the source tree.
ENV ICTGATE_POLICY_DIR=/app/policies ICTGATE_SCHEMA_DIR=/app/schemas \
    ICTGATE_DECISION_LOG=/app/var/decisions.sqlite3
# Without DATABASE_URL the decision log is this SQLite file: mount a volume on /app/var to keep it.
VOLUME ["/app/var"]
USER ictgate
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz').status == 200 else 1)"
CMD ["ictgate", "serve", "--host", "0.0.0.0", "--port", "8000"]
