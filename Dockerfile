# The ictgate service, installed from its own wheel (the one `make wheel-check` tests).
# Without OPA_URL it evaluates in process with embedded OPA (ICTGATE_ENGINE=regorus for the
# alternative); with OPA_URL set (docker-compose.yml) it asks that OPA server.

# -- build: the wheel, with policies/ and schemas/ bundled inside it (setup.py) -----------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.lock
COPY pyproject.toml setup.py README.md LICENSE ./
COPY service ./service
COPY policies ./policies
COPY schemas ./schemas
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation -w /dist .

# -- run ------------------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements/runtime.lock requirements/opa-engine.lock requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.lock \
    && pip install --no-cache-dir --require-hashes --no-deps --ignore-requires-python \
        -r requirements/opa-engine.lock
COPY --from=build /dist/ /dist/
RUN pip install --no-cache-dir --no-deps /dist/ictgate-*.whl \
    && useradd --system --no-create-home ictgate \
    && mkdir -p /app/var && chown ictgate /app/var

# The wheel carries its policies and schemas; the decision log defaults to this SQLite file
# unless DATABASE_URL is set: mount a volume on /app/var to keep it.
ENV ICTGATE_DECISION_LOG=/app/var/decisions.sqlite3
VOLUME ["/app/var"]
USER ictgate
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz').status == 200 else 1)"
CMD ["ictgate", "serve", "--host", "0.0.0.0", "--port", "8000"]
