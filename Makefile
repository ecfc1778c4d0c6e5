# Aid Ledger. `make run` sets everything up and opens the app; `make test` sets up and runs the whole test suite.

# The first Python 3.11+ that actually runs (a pyenv shim may name a version that is not active).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYSTEM_OK := $(VENV)/.system-libs-ok
TEST_TOOLS_OK := $(VENV)/.test-tools-ok

# The Debian packages whose libraries Qt's xcb and offscreen platforms load (PySide6 ships Qt, not these).
QT_DEBS := libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 \
	libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 \
	libxrender1 fonts-dejavu-core

.PHONY: run test test-all bench fuzz lint setup system-libs clean

run: setup
	$(BIN)/python main.py $(ARGS)

test: setup $(TEST_TOOLS_OK)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-all: setup $(TEST_TOOLS_OK)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	AID_LEDGER_FULL=1 $(BIN)/python -m pytest -q

# The property-based tests at length: parsers of dates, money and cells must raise nothing but the user-error type.
fuzz: setup
	AID_LEDGER_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -q -k "raise_nothing or any_cell" tests

bench: setup
	$(BIN)/python -m tests.bench.run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(INSTALLED) $(SYSTEM_OK)

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Aid Ledger needs Python 3.11 or newer (python3.11 or later on the PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Installs the Debian packages Qt needs, only those missing; as root it installs them, otherwise it says how.
$(SYSTEM_OK): Makefile
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "Not a Debian-based system: make sure Qt's libraries (xcb, EGL, fontconfig) are installed."; \
	else \
		missing=""; for p in $(QT_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			if [ "$$(id -u)" = 0 ]; then \
				echo "Installing the libraries Qt needs:$$missing"; \
				apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
					|| { echo "Could not install:$$missing"; exit 1; }; \
			else \
				echo "Qt needs these Debian packages, which are missing. Run:"; \
				echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
				echo "then run make again."; exit 1; \
			fi; \
		fi; \
	fi
	@mkdir -p $(VENV) && touch $@

# The round-trip test re-saves a workbook with LibreOffice, as a colleague's spreadsheet program would. Installed
# when missing (as root); without it that one test is skipped, and says so.
$(TEST_TOOLS_OK): Makefile
	@if ! command -v soffice >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing LibreOffice (headless) for the round-trip test"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				libreoffice-calc-nogui >/dev/null || echo "Could not install LibreOffice: its round-trip test is skipped"; \
		else \
			echo "LibreOffice is missing: its round-trip test is skipped (sudo apt-get install libreoffice-calc-nogui)"; \
		fi; \
	fi
	@mkdir -p $(VENV) && touch $@

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis *.egg-info
