# portevoix: two commands on a fresh machine.
#   make demo   installs what is needed, then builds site/ from the bundled episodes
#   make test   installs what is needed, then runs the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := ffmpeg

.PHONY: demo test serve system-deps venv clean bench-audio

demo: system-deps venv
	$(BIN)/portevoix build
	@echo "The demo site is in $(CURDIR)/site/ ; preview it with: $(BIN)/portevoix serve  (then open http://127.0.0.1:8000/)"

test: system-deps venv
	$(BIN)/python -m pytest

serve: venv
	$(BIN)/portevoix serve

# Debian packages, installed only when a command is missing.
system-deps:
	@missing=""; \
	command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing="$$missing ffmpeg"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf site site.new-* site.old-* .cache
