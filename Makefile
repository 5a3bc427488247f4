# The two commands of the README: `make site` builds the example handbook,
# `make test` runs the test suite. Both install what they need first.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site serve test test-lowest setup bench clean

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

test: $(VENV)/.installed
	$(BIN)/pytest

# The suite (browser tests aside) on the lowest dependency versions we declare.
test-lowest:
	test -x .venv-lowest/bin/python || python3 -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install -q --disable-pip-version-check -r tests/lowest-versions.txt
	.venv-lowest/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
	PARTNERBOOK_BROWSER_TESTS=0 .venv-lowest/bin/python -m pytest -q --ignore=tests/test_browser.py -k "not wheel"

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

setup $(VENV)/.installed: pyproject.toml package-lock.json scripts/setup
	VENV=$(VENV) scripts/setup

clean:
	rm -rf site .cache .partnerbook
