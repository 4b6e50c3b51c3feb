# Two commands: `make graph` builds output/, `make test` runs the whole suite.
# Both create .venv and install the pinned dependencies from requirements.lock.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: graph test lint venv lock clean browser bench bench-full bench-serve bench-draft \
	bench-draft-real readme \
	screenshots bench-remote virtuoso

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PY) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

graph: $(STAMP)
	$(BIN)/kg build

# The browser tests drive Debian's chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The store tests start Debian's virtuoso-opensource on 127.0.0.1 (never the system's instance);
# where it cannot be installed (no apt, no root) they skip and say why.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  echo "installing Debian's virtuoso-opensource for the store tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    virtuoso-opensource >/dev/null; } || \
	  echo "virtuoso-opensource could not be installed: the Virtuoso tests will skip"; }

test: $(STAMP) browser virtuoso
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Benchmarks (not timed tests): quick profile up to 100x, full adds 1,000x.
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks.run --profile quick

bench-full: $(STAMP) browser
	$(BIN)/python -m benchmarks.run --profile full

# kg serve under 64 clients and 10,000 requests: worker pool vs fork per query (a few minutes).
bench-serve: $(STAMP)
	$(BIN)/python -m benchmarks.serve

# kg draft on the 28 development documents, scored against their gold files (under a minute).
bench-draft: $(STAMP)
	$(BIN)/python -m benchmarks.draft

# kg draft on real abstracts: ../shared/corpora/pico's scorer on this checkout (LIMIT=0: all).
LIMIT ?= 100
bench-draft-real: $(STAMP)
	$(BIN)/python -m benchmarks.draft_real --limit $(LIMIT)

# kg push and every named query: local files against Oxigraph and Virtuoso on 127.0.0.1.
bench-remote: $(STAMP) virtuoso
	$(BIN)/python -m benchmarks.remote

# The README's counts block, from the shipped sources, and its performance section (and
# docs/performance.md's table) from benchmarks/results/full.json; a test fails when either is stale.
readme: $(STAMP)
	$(BIN)/python -m kg.render.readme
	$(BIN)/python -m benchmarks.summary

# The README's screenshots from a fresh build (docs/screenshots/; a test fails when stale).
screenshots: graph browser
	$(BIN)/python -m kg.render.screenshots output

lint: $(STAMP)
	$(BIN)/ruff check .

lock:
	rm -rf /tmp/dti-kg-lock && $(PY) -m venv /tmp/dti-kg-lock
	/tmp/dti-kg-lock/bin/pip install --quiet -e '.[test]'
	{ echo "# Pinned runtime + test dependencies (Python 3.11+), the full resolved set. Regenerate with 'make lock'."; \
	  /tmp/dti-kg-lock/bin/pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
