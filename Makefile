# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test test-web lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[test,dev]"
	touch $@ $(VENV)/.installed-run

# Byte-compiled ahead: a start of the reader should not spend time compiling its own modules.
run: $(VENV)/.installed-run
	$(BIN)/python -m compileall -q reader
	$(BIN)/newsreader $(ARGS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The served reader in a real browser: Debian's chromium and chromium-driver, installed when
# missing (as root, as in CI), driven with selenium; `make test` skips these tests.
test-web: $(VENV)/.installed-test
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi
	$(BIN)/python -m pytest -q -m web tests/serve $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python -m compileall -q reader
	$(BIN)/python benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
