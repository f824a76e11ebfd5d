# One command each for running, testing, linting and formatting; CI runs the same ones.
SHELL := /bin/bash
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run install test lint typecheck fmt pytest system assets demo browser clean bench-env distill-env

run: install var/.migrated
	$(BIN)/kith serve --port $(PORT)

install: $(VENV)/.installed node_modules/.installed kith/static/.built

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet uv==$(UV_VERSION); }
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

kith/static/.built: node_modules/.installed $(shell find kith/assets -type f 2>/dev/null)
	node kith/assets/build.mjs
	@touch $@

assets: node_modules/.installed
	node kith/assets/build.mjs

# Migrate and load the demo locality once; `make run` a second time only serves.
var/.migrated: $(VENV)/.installed $(wildcard kith/*/migrations/*.py)
	@mkdir -p var
	$(BIN)/kith migrate --no-input
	$(BIN)/kith demo
	@touch $@

demo: install
	$(BIN)/kith demo --reset

# Debian's Chromium for the browser journeys; Playwright never downloads a browser.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m kith.core.lint
	$(BIN)/lint-imports
	$(BIN)/kith makemigrations --check --dry-run

typecheck: install
	$(BIN)/mypy kith tests benchmarks

pytest: install browser
	node --test kith/assets/js/
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck pytest

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The relevance benchmark's anchors (benchmarks/relevance.py): BM25 (bm25s) and all-MiniLM-L6-v2
# under a CPU build of torch, in a Python 3.11 venv of their own so the project's stays light.
# Not used by `make test` or `make run`. PyPI's torch is a multi-GB CUDA build: install the CPU
# wheel (pip's find-links here hold torch 2.13.0+cpu for Python 3.11).
BENCH_PYTHON ?= python3.11
BENCH_VENV := .venv-bench

bench-env: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: benchmarks/bench-requirements.txt
	@test -x $(BENCH_VENV)/bin/python || $(BENCH_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -r benchmarks/bench-requirements.txt
	@touch $@

# Rebuilding the dense search's static embedding model (benchmarks/distill_embeddings.py):
# model2vec's distill extra needs transformers < 5.4, so it has a venv of its own beside
# .venv-bench. Dev only: Kith runs the model on numpy alone.
DISTILL_VENV := .venv-distill

distill-env: $(DISTILL_VENV)/.installed

$(DISTILL_VENV)/.installed: benchmarks/distill-requirements.txt
	@test -x $(DISTILL_VENV)/bin/python || $(BENCH_PYTHON) -m venv $(DISTILL_VENV)
	$(DISTILL_VENV)/bin/pip install --quiet -r benchmarks/distill-requirements.txt
	@touch $@

clean:
	rm -rf $(VENV) node_modules kith/static var
