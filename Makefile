# The two commands of the README, and what they need. Each sets up .venv by itself.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint typecheck unit bench

$(BIN)/khabar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/khabar
	$(BIN)/khabar demo

test: lint typecheck unit

lint: $(BIN)/khabar
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(BIN)/khabar
	$(BIN)/mypy

unit: $(BIN)/khabar
	$(BIN)/pytest -W error

bench: $(BIN)/khabar
	$(BIN)/khabar bench
