# Two entry points: `make run` (the quick start) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install install-dev run test test-sqlite test-postgres browsers axe lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, from the CPU wheel: a range resolved later must not pull CUDA builds.
install: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'

# Quick start: SQLite in instance/, in-process rate limits, the bundled model.
run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi moderation seed-demo
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests; test tools may not download browsers here.
browsers:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	    echo "install Debian's chromium and chromium-driver for the browser tests"; }

# axe-core (accessibility checks inside the browser tests) comes from npm, pinned by its lock file.
axe:
	@command -v npm >/dev/null && npm ci --prefix tests/browser/axe --no-audit --no-fund --silent || \
	  echo "install Node.js and npm for the accessibility checks (npm ci --prefix tests/browser/axe)"

# The whole suite on SQLite (even where MODERATION_TEST_DATABASE_URL is set, as in CI) and,
# when it is set, at the same time on PostgreSQL the tests that use the database, less the
# browser and bundled-model ones, which exercise no database difference. The two runs share
# the two cores; the PostgreSQL run's report follows the SQLite run's.
PG_PASS_LOG := $(or $(TMPDIR),/tmp)/moderation-postgres-pass.log
test: install-dev browsers axe
	@status=0; pg=; \
	if [ -n "$$MODERATION_TEST_DATABASE_URL" ]; then \
	  $(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not model" \
	    --database-tests-only --basetemp="$(PG_PASS_LOG).tmp" > "$(PG_PASS_LOG)" 2>&1 & pg=$$!; \
	fi; \
	MODERATION_TEST_DATABASE_URL= $(BIN)/python -m pytest || status=1; \
	if [ -n "$$pg" ]; then \
	  wait $$pg || status=1; echo "== on PostgreSQL, the tests that use the database"; \
	  cat "$(PG_PASS_LOG)"; \
	fi; \
	exit $$status

lint:
	$(BIN)/ruff check .
