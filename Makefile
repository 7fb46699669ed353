# The two commands of the README, and what they need. Each sets up .venv by itself.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
ASSETS = src/khabar/dashboard/static/vendor/VERSIONS.json

.PHONY: demo test lint typecheck unit bench browser assets

$(BIN)/khabar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# pip compiles the packages it installs, not an editable project's own modules; where
	@# PYTHONDONTWRITEBYTECODE is set, every process (each worker too) would compile khabar
	@# again, a quarter of a second each
	$(BIN)/python -m compileall -q src/khabar > /dev/null
	touch $@

# The dashboard's map: Leaflet and Natural Earth's shapes from npm, copied into the package
# (nothing is fetched from a CDN when it runs).
$(ASSETS): web/package.json web/package-lock.json web/build.mjs
	cd web && npm ci --no-audit --no-fund --loglevel=error
	node web/build.mjs

assets: $(ASSETS)

# Headless Chromium for the browser tests, from Debian's packages, installed when we may (as
# root); elsewhere the browser tests are skipped and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }; \
	  else echo "chromium is not installed: the browser tests will be skipped"; fi; }

demo: $(BIN)/khabar $(ASSETS)
	$(BIN)/khabar demo

test: lint typecheck unit

lint: $(BIN)/khabar
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(BIN)/khabar
	$(BIN)/mypy

unit: $(BIN)/khabar $(ASSETS) browser
	$(BIN)/pytest -W error

bench: $(BIN)/khabar
	$(BIN)/khabar bench
