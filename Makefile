# The two commands: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run preflight test watch bench fuzz lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# `jobtrail init --hooks` checks every precondition (core.hooksPath, a bare repository, hooks of
# another tool) before it writes anything, and says what to do.
# Before anything is written: git's core.hooksPath set by another tool (husky, say) would make
# pre-commit refuse to install and git skip jobtrail's hooks.
preflight:
	@if hooks=$$(git config --get core.hooksPath); then \
	    echo "make run: git's core.hooksPath is set to $$hooks (another tool manages the git hooks), so git would not run jobtrail's." >&2; \
	    echo "Unset it (\`git config --unset core.hooksPath\`, with --global if it is set there) and run \`make run\` again. Nothing was changed." >&2; \
	    exit 1; fi

run: preflight $(VENV)/.installed
	@$(BIN)/jobtrail init --hooks
	@$(BIN)/jobtrail index
	@echo "jobtrail is $(CURDIR)/$(BIN)/jobtrail: \`. $(BIN)/activate\` puts it on PATH in this shell."

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tools tests bench
	$(BIN)/ruff format --check tools tests bench
	$(BIN)/mypy

watch: $(VENV)/.installed
	$(BIN)/jobtrail watch

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/watch.py

fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest tests -k "property or differential or corpus or faults"

clean:
	rm -rf $(VENV)
