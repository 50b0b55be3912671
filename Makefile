# Two commands do everything on a fresh machine:
#   make up     install, start the local Elasticsearch and Prefect, index seeds/, watch the inbox
#   make test   install, start the local Elasticsearch, run the test suite
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STATE := $(or $(PRESSWATCH_HOME),.presswatch)

.PHONY: install up test es-start es-stop bench clean

$(BIN)/.installed: pyproject.toml
	@command -v java >/dev/null && command -v javac >/dev/null && command -v mvn >/dev/null || .ci/install-system-packages
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

es-start: install
	$(BIN)/presswatch es start

es-stop:
	$(BIN)/presswatch es stop

up: install
	mkdir -p $(STATE)/inbox
	cp -n seeds/* $(STATE)/inbox/ 2>/dev/null || true
	$(BIN)/presswatch up

test: es-start
	@command -v chromium >/dev/null || .ci/install-system-packages --browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info
