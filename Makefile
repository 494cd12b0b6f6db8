# The two commands of the README: `make run` (the site with demo data) and
# `make test` (the whole suite). Everything else here serves those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HTMX := static/vendor/htmx.min.js
export FLASK_APP := wsgi

.PHONY: run serve test install install-dev assets db demo clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

$(HTMX): node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

assets: $(HTMX)

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo --if-empty

run: install assets demo
	@echo "Cocreate runs on http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Production profile: gunicorn with several workers on DATABASE_URL (PostgreSQL) and REDIS_URL.
serve: install assets
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL (PostgreSQL) and SECRET_KEY for the production profile." && exit 1)
	COCREATE_CONFIG=production $(BIN)/flask db upgrade
	@# The mail worker runs beside gunicorn and stops with it (see docs/DEPLOY.md).
	COCREATE_CONFIG=production $(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	COCREATE_CONFIG=production $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# SQLite always, with the browser tests; PostgreSQL too when TEST_DATABASE_URL is set.
# REQUIRE_POSTGRES=1 (CI) makes a missing TEST_DATABASE_URL an error, and
# REQUIRE_BROWSER=1 makes skipped browser tests one (see tests/browser/conftest.py).
test: install-dev assets
	@if [ "$$REQUIRE_POSTGRES" = 1 ] && [ -z "$$TEST_DATABASE_URL" ]; then \
		echo "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is empty: the PostgreSQL pass would not run." >&2; \
		exit 1; \
	fi
	@# The two passes run side by side (each is one process, the machine has two cores or more);
	@# the PostgreSQL pass gets its own Redis database and prints its output when both are done.
	@pg_log=$$(mktemp); pg_pid=; \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== The suite on $$TEST_DATABASE_URL, without the browser tests, runs in the background =="; \
		REQUIRE_BROWSER= TEST_REDIS_URL="$${TEST_REDIS_URL_PG:-$$TEST_REDIS_URL}" \
			$(BIN)/python -m pytest -m "not browser" -p no:cacheprovider >"$$pg_log" 2>&1 & pg_pid=$$!; \
	fi; \
	echo "== The suite on SQLite, with the browser tests =="; \
	TEST_DATABASE_URL= $(BIN)/python -m pytest; sqlite_status=$$?; pg_status=0; \
	if [ -n "$$pg_pid" ]; then \
		wait $$pg_pid; pg_status=$$?; \
		echo "== The suite on $$TEST_DATABASE_URL, without the browser tests =="; cat "$$pg_log"; \
	fi; \
	rm -f "$$pg_log"; \
	test $$sqlite_status = 0 -a $$pg_status = 0

# Benchmark at realistic size on PostgreSQL (docs/PERFORMANCE.md); BENCH_SCALE=0.05 for a quick run.
bench: install assets
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/vendor
