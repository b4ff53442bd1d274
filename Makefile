# OnePlan — set-up and everyday commands. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := oneplan.settings

.PHONY: install run test test-sqlite test-postgres bench lint clean messages

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	cd src/oneplan && ../../$(BIN)/django-admin compilemessages -v 0 --ignore=.venv

run: install
	$(BIN)/oneplan migrate --noinput -v 0
	$(BIN)/oneplan load-reference
	$(BIN)/oneplan load-demo
	@# one task worker beside the web server (imports, open-data builds); it stops when the server does
	$(BIN)/oneplan worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/oneplan serve $(HOST):$(PORT)

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -m "not production"
	ONEPLAN_TEST_DB=postgres $(BIN)/pytest -m "not browser and not load"

test-sqlite: install
	$(BIN)/pytest -m "not production"

test-postgres: install
	ONEPLAN_TEST_DB=postgres $(BIN)/pytest -m "not browser and not load"

bench: install
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) db.sqlite3 build *.egg-info src/*.egg-info
