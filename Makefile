# Passerelle — every target sets up what it needs on first use (virtual environment, packages).
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test test-fast lint format check i18n bench clean

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet
	touch $@

# Competitor libraries that only the benchmarks compare against.
$(VENV)/.bench: $(VENV)/.bench
	$(UV) sync --frozen --inexact --all-groups --quiet
	touch $@

## demo: start a French (8001) and a Belgian (8002) node with synthetic data; Ctrl-C stops them.
demo: $(VENV)/.synced
	$(VENV)/bin/passerelle demo

## test: lint, type-check and run the whole test suite (PostgreSQL and Chromium included).
test: lint $(VENV)/.synced
	$(PY) -m pytest

## test-fast: the suite without the PostgreSQL, browser and slow tests.
test-fast: $(VENV)/.synced
	$(PY) -m pytest -m "not postgres and not browser and not slow"

## lint: ruff (format check + lint) and mypy --strict.
lint: $(VENV)/.synced
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

format: $(VENV)/.synced
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

## i18n: extract console strings and merge them into the fr/nl/en catalogues.
i18n: $(VENV)/.synced
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -o /tmp/passerelle-messages.pot .
	$(VENV)/bin/pybabel update -i /tmp/passerelle-messages.pot -d src/passerelle/web/locales --no-fuzzy-matching

## bench: run every benchmark script (long; see docs/benchmarks.md).
bench: $(VENV)/.bench
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache
