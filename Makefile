# Two commands for a fresh machine: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1

.PHONY: install redis run test lint bench fuzz clean-data

install: $(STAMP)

$(STAMP): pyproject.toml scripts/install.sh
	@bash scripts/install.sh
	@touch $(STAMP)

redis:
	@bash scripts/ensure-redis.sh

run: install redis
	$(VENV)/bin/influency up

test: install redis
	$(VENV)/bin/ruff check .
	@bash scripts/ensure-chromium.sh  # the browser tests (tests/browser/) drive Debian's Chromium
	$(VENV)/bin/pytest -q
	$(VENV)/bin/pytest -q -m eval tests/evals

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

bench: install redis
	$(PY) -m bench.run_all

fuzz: install redis  # schemathesis, 50 examples per operation, manager and creator (a few minutes)
	$(PY) -m bench.fuzz --max-examples 50

clean-data:
	rm -rf .influency
