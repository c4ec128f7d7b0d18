# Atelier IA — the two commands of the README, and a few helpers.
#   make lab    create .venv if missing, install, open the trainer's lab (a workspace outside
#               the repository, ~/atelier-ia/<version>/animateur/)
#   make lab-participant   the same with the participant's edition
#   make test   create .venv if missing, install with the dev extras, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.atelier-installed
DEV_STAMP := $(VENV)/.atelier-dev-installed
PYTEST_ARGS ?=

.PHONY: lab lab-participant test install install-dev lint sync-headers check-headers bench clean help

help:
	@echo "make lab    ouvre l'édition animateur dans JupyterLab (installe au premier lancement)"
	@echo "make lab-participant   ouvre l'édition participant"
	@echo "make test   installe les outils de test et lance tous les tests"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 ou plus récent est nécessaire (trouvé : " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

lab: $(STAMP)
	$(BIN)/atelier lab

lab-participant: $(STAMP)
	$(BIN)/atelier lab --participant

test: $(DEV_STAMP)
	bash tools/system-deps.sh
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check toolkit tests benchmarks

sync-headers: $(STAMP)
	$(BIN)/atelier notebooks sync

bench: $(DEV_STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf build dist .pytest_cache
