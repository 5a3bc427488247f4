# The two commands of the README: `make site` builds the example handbook,
# `make test` runs the test suite. Both install what they need first: the site
# needs Graphviz and the .venv; only the tests need Chromium and npm (axe-core;
# not with PARTNERBOOK_BROWSER_TESTS=0) and the other hosts (ProperDocs, Zensical).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site serve test test-fast test-lowest setup bench bench-routes clean lint

# Two workers (the machine's two cores). With loadgroup, tests/conftest.py's scheduler keeps a module with a
# build of its own in one worker; the example and the 1,000-partner handbook are built once per run.
XDIST := -n 2 --dist loadgroup

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

# Compiled modules kept in __pycache__ even where PYTHONDONTWRITEBYTECODE is set: otherwise each worker
# rewrites the assertions of every test module again as it collects (2.5 s of CPU each), and each process
# a test starts compiles partnerbook again.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

test: $(VENV)/.installed-test
	$(PYTEST) $(XDIST)

# The fast tier: everything but the browser, print, hosts, scale and serve tests (marked `slow`).
test-fast: $(VENV)/.installed-test
	$(PYTEST) $(XDIST) -m "not slow"

# The fast tier (browser, print, hosts, scale and serve aside) on the lowest dependency versions we declare.
test-lowest:
	test -x .venv-lowest/bin/python || python3 -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install -q --disable-pip-version-check -r tests/lowest-versions.txt
	.venv-lowest/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
	PARTNERBOOK_BROWSER_TESTS=0 .venv-lowest/bin/python -m pytest -q $(XDIST) --ignore=tests/browser -m "not slow" -k "not wheel"

# The import rule (pyproject.toml's [tool.importlinter]): each package imports only those below it;
# then ruff and mypy with the settings of pyproject.toml ([tool.ruff], [tool.mypy]).
lint: $(VENV)/.installed-lint
	$(BIN)/lint-imports
	$(BIN)/ruff check
	$(BIN)/mypy

$(VENV)/.installed-lint: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[lint]'
	touch $@

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

# Issue 28's rows against the floor: cold, warm, rename + build, Zensical, serve (needs Zensical: make setup).
bench-routes: $(VENV)/.installed
	$(BIN)/python benchmarks/routes.py

$(VENV)/.installed: pyproject.toml scripts/setup
	VENV=$(VENV) PARTNERBOOK_BROWSER_TESTS=0 PARTNERBOOK_HOSTS=0 scripts/setup

$(VENV)/.installed-test: $(VENV)/.installed package-lock.json
	VENV=$(VENV) scripts/setup
	touch $@

setup: $(VENV)/.installed-test

clean:
	rm -rf site .cache .partnerbook
