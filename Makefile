# Two commands do everything on a fresh machine with Python 3.11, pip and make:
#   make run    set up, then materialise every asset for every year on the bundled sample data
#   make test   set up, then run the whole test suite
# The environment (.venv) is created by uv from uv.lock; uv itself is bootstrapped through pip
# into .tools/. Nothing is installed outside the repository.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
MANIFEST := transforms/target/manifest.json
DBT_SOURCES := $(shell find transforms/models transforms/macros transforms/seeds transforms/tests -type f 2>/dev/null) transforms/dbt_project.yml transforms/profiles.yml

# Embedded defaults; each may be overridden from the environment.
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export BAYANNUR_WAREHOUSE ?= $(CURDIR)/warehouse/bayannur.duckdb
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
# Compiled bytecode at install: without it every Dagster step process starts about twice as slowly.
export UV_COMPILE_BYTECODE := 1

.PHONY: run test dev sql manifest install summary clean help
.DEFAULT_GOAL := help

help:
	@echo "make run      materialise every asset for every year on the bundled sample data"
	@echo "make test     run the test suite"
	@echo "make dev      open the Dagster UI (http://127.0.0.1:3000)"
	@echo "make summary  print what the warehouse holds (read-only)"
	@echo "make sql      a read-only SQL session on the warehouse"
	@echo "make clean    remove the warehouse, the Dagster instance and dbt's target/"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

# dbt's manifest, which the Dagster definitions read; rebuilt when the dbt project changes.
$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd transforms && ../$(BIN)/bayannur-dbt parse --profiles-dir . --quiet
	@touch $@

manifest: $(MANIFEST)

run: install $(MANIFEST)
	$(BIN)/bayannur run

summary: install
	$(BIN)/bayannur summary

sql: install
	$(BIN)/bayannur sql

# Two or more workers (one per core), a test file per worker at a time in collection order (the longest first:
# tests/conftest.py), the 15 slowest tests listed at the end; the sample warehouse is
# built once and shared (tests/conftest.py). PYTEST_ARGS adds options, e.g. PYTEST_ARGS="-n 0 -x".
test: install $(MANIFEST)
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

# `env --default-signal`: dagster dev started from make otherwise ignores Ctrl-C.
dev: install $(MANIFEST)
	env --default-signal=INT,TERM $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

clean:
	rm -rf warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/.work warehouse/.dbt warehouse/exports warehouse/docs warehouse/reports warehouse/logs $(DAGSTER_HOME) transforms/target transforms/logs
