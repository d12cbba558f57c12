# The two commands: `make run` and `make test`. Each sets up .venv from the requirements first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := DEBUG=1

.PHONY: run serve test bench install tools audit lint format clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# The checkers the tests run (vnu.jar: the Nu Html Checker; axe-core) and Lighthouse for `make audit`,
# from npm, without install scripts (vnu-jar's would download a Java: Debian's is used instead).
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

tools: node_modules/.installed
	command -v java >/dev/null || (apt-get update && apt-get install -y default-jre-headless)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

run: install
	mkdir -p staticfiles
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode: DEBUG off; SECRET_KEY and ALLOWED_HOSTS must come from the environment (README).
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# Worker class, threads, keep-alive, workers ($$WEB_CONCURRENCY) and the access log: gunicorn.conf.py.
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

test: install tools
	$(BIN)/python -m pytest

# Lighthouse (npm) in Debian's Chromium against `make serve`-like pages on the demo content: prints the
# accessibility, best-practices, SEO and performance scores of the home page and an article,
# mobile and desktop (targets 100/100/100 and at least 98). Not part of `make test`.
audit: install tools
	$(BIN)/python -m benchmarks.audit $(ARGS)

# Performance benchmark (never part of `make test`), served by gunicorn.conf.py as `make serve` is:
# ARGS="--articles 1000 --small 300 --middle 0 --engines sqlite --seconds 2" for a quick run.
bench: install
	(command -v wrk && command -v ss) >/dev/null || (apt-get update && apt-get install -y wrk iproute2)
	$(BIN)/python -m benchmarks.run $(ARGS)

# Content and uploaded media to backups/fibrosite-<time>.tar.gz; restore into a migrated, empty database.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/fibrosite-....tar.gz"; exit 2; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py restore "$(FILE)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
