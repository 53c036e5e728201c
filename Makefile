# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# What is installed is what was tested: every package pinned with its hashes (`make lock`).
LOCK_RUN := requirements/run.txt
LOCK_TEST := requirements/test.txt
# The newest versions pyproject.toml's ranges allow, for `make test-latest`.
LATEST := .venv-latest
# The tool that writes the lock files, itself pinned with hashes.
LOCKER := .venv-lock
UV := $(LOCKER)/bin/uv
COMPILE := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

.PHONY: run test test-latest test-web lint bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when the lock or pyproject.toml changes. The locked packages
# first (hashes checked, nothing else resolved), then newsreader itself, built with the
# locked hatchling.
$(VENV)/.installed-run: $(LOCK_RUN) pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes --no-deps -r $(LOCK_RUN)
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check -q
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes --no-deps -r $(LOCK_TEST)
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check -q
	touch $@ $(VENV)/.installed-run

# Byte-compiled ahead: a start of the reader should not spend time compiling its own modules.
run: $(VENV)/.installed-run
	$(BIN)/python -m compileall -q reader
	$(BIN)/newsreader $(ARGS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The suite against the newest releases the ranges in pyproject.toml allow, in a venv of its
# own made anew each time: what `pip install newsreader` would get today.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip --disable-pip-version-check -q install --upgrade -e ".[test,dev]"
	$(LATEST)/bin/python -m pip list --format=freeze | grep -iE '^(textual|rich|pytest)=='
	$(LATEST)/bin/python -m pytest -q $(PYTEST_ARGS)

# Renew the lock files: the newest versions pyproject.toml's ranges allow, with their hashes.
# Then `make test` (and `make test-latest` agrees until the next release).
$(UV): requirements/tools.txt
	$(PYTHON) -m venv $(LOCKER)
	$(LOCKER)/bin/python -m pip --disable-pip-version-check -q install --require-hashes \
		-r requirements/tools.txt
	touch $@

lock: $(UV)
	$(COMPILE) --upgrade pyproject.toml requirements/build.in --extra test --extra dev \
		-o $(LOCK_TEST)
	$(COMPILE) pyproject.toml requirements/build.in --constraint $(LOCK_TEST) -o $(LOCK_RUN)

# The served reader in a real browser: Debian's chromium and chromium-driver, installed when
# missing (as root, as in CI), driven with selenium; `make test` skips these tests.
test-web: $(VENV)/.installed-test
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi
	$(BIN)/python -m pytest -q -m web tests/serve $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check reader tests benchmarks tools
	$(BIN)/ruff format --check reader tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python tools/limits.py

bench: $(VENV)/.installed-test
	$(BIN)/python -m compileall -q reader
	$(BIN)/python benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) $(LATEST) $(LOCKER) dist build .pytest_cache .mypy_cache .ruff_cache
