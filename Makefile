# The README's two commands: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: setup demo test lint bench serve clean

$(BIN)/newstrace: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,synth,postgres,web-test]'
	touch $@

setup: $(BIN)/newstrace

demo: setup
	$(BIN)/newstrace --db demo/newstrace.db demo --out demo

test: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests bench

serve: setup
	$(BIN)/newstrace --db demo/newstrace.db serve

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
