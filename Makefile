# Two commands on a fresh machine with Python 3.11 (README.md):
#   make run    serve the HTTP API on the embedded engine at 127.0.0.1:8000
#   make test   run every test: pytest, then the Rego policy tests
# Each installs what it needs into .venv from the hashed lock files first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test pytest policy-test lint lock clean bench bench-cli

run: $(VENV)/.runtime
	$(BIN)/ictgate serve --dev --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	$(BIN)/pytest
	$(BIN)/ictgate policy-test

pytest: $(VENV)/.dev
	$(BIN)/pytest

policy-test: $(VENV)/.runtime
	$(BIN)/ictgate policy-test

lint: $(VENV)/.dev
	$(BIN)/ruff check service tests tools
	$(BIN)/ruff format --check service tests tools
	$(BIN)/mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements/runtime.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements/dev.lock $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@

# Re-pin after editing requirements/*.in (needs uv: pip install uv).
lock:
	uv pip compile --quiet --python-version 3.11 --generate-hashes requirements/runtime.in -o requirements/runtime.lock
	uv pip compile --quiet --python-version 3.11 --generate-hashes requirements/dev.in -o requirements/dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Prints what one pre-check costs here (engine only, pre-check, HTTP). No assertions.
bench: $(VENV)/.runtime
	$(BIN)/python bench/precheck_bench.py

# Prints the wall time of `ictgate check` on 1 file and on 1,000 generated files. No assertions.
bench-cli: $(VENV)/.runtime
	$(BIN)/python bench/cli_bench.py
