# Two commands on a fresh machine with Python 3.11 (README.md):
#   make run    serve the HTTP API on the embedded engine at 127.0.0.1:8000
#   make test   run every test: pytest, then the Rego policy tests
# Each installs what it needs into .venv from the hashed lock files first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test pytest policy-test lint audit audit-ci lock clean bench bench-cli wheel-check

# The tests run on every core, at most four workers, each taking whole test files (a file's
# fixtures and order stay together): `make pytest PYTEST_WORKERS=0` runs them in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile

run: $(VENV)/.runtime
	$(BIN)/ictgate serve --dev --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	$(PYTEST)
	$(BIN)/ictgate policy-test

pytest: $(VENV)/.dev
	$(PYTEST)

policy-test: $(VENV)/.runtime
	$(BIN)/ictgate policy-test

lint: $(VENV)/.dev
	$(BIN)/ruff check service tests tools bench setup.py
	$(BIN)/ruff format --check service tests tools bench setup.py
	$(BIN)/mypy

# Build the wheel, install it with the locked dependencies in a fresh virtual environment
# outside the checkout, serve from it and get a verdict (tools/wheel_check.py). CI runs it.
wheel-check: $(VENV)/.runtime
	$(BIN)/python tools/wheel_check.py

# Known vulnerabilities in the pinned set (pip-audit --strict on both lock files; it installs
# nothing). tools/audit_pins.py first asks PyPI's per-release JSON and OSV whether they answer:
# `make audit` fails when neither does (an audit that could not run never passes); CI runs
# `make audit-ci`, which says loudly that it did not run and goes on, unless
# ICTGATE_REQUIRE_AUDIT=1 (set it wherever CI has the internet).
audit: $(VENV)/.dev
	$(BIN)/python tools/audit_pins.py --require

audit-ci: $(VENV)/.dev
	$(BIN)/python tools/audit_pins.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements/runtime.lock requirements/opa-engine.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps --ignore-requires-python \
		-r requirements/opa-engine.lock
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

# Every performance figure of issue 18 in one run (about 3 minutes; docs/performance.md), for
# both embedded engines (OPA, regorus): engine only, the engine's capacity on 2 processes, growth
# with sharing arrangements and committee-order size, HTTP on --workers 2 with the decision log
# on (sequential, 200/s, 500/s and 1,000/s open loop, saturation), where a request's time goes,
# the CLI, and an OPA server when OPA_URL is set; each beside its target, MET or MISSED. Also
# written to bench/results/latest.json. No assertions.
bench: $(VENV)/.runtime
	$(BIN)/python bench/run.py

# How engine time grows with submission size, rule count and decision-log history (about a minute).
.PHONY: bench-scaling
bench-scaling: $(VENV)/.runtime
	$(BIN)/python bench/scaling.py

# Where the policy time goes (about a minute): each package's findings alone on both engines,
# rule by rule in the costliest packages, OPA's trace per rule, coverage. bench/results/profile.json.
.PHONY: bench-profile
bench-profile: $(VENV)/.runtime
	$(BIN)/python bench/profile_policy.py

# Prints the wall time of `ictgate check` on 1 file and on 1,000 generated files. No assertions.
bench-cli: $(VENV)/.runtime
	$(BIN)/python bench/cli_bench.py
