# The two commands of the README: `make site` builds the example handbook,
# `make test` runs the test suite. Both install what they need first.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site serve test setup bench clean

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

test: $(VENV)/.installed
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python tests/bench/bench_build.py

setup $(VENV)/.installed: pyproject.toml scripts/setup
	VENV=$(VENV) scripts/setup

clean:
	rm -rf site .cache
