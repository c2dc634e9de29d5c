# portevoix: two commands on a fresh machine.
#   make demo   installs what is needed, then builds site/ from the bundled episodes
#   make test   installs what is needed, then runs the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages, as "command:package" (or "/path/of/a/file:package"): installed only when it is missing.
# The font draws the cover `portevoix init` makes (every letter of French).
RUNTIME_DEBS := ffmpeg:ffmpeg ffprobe:ffmpeg rsync:rsync ssh:openssh-client /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:fonts-dejavu-core
TEST_DEBS := espeak-ng:espeak-ng chromium:chromium sshd:openssh-server ssh-keygen:openssh-client nginx:nginx fincore:util-linux-extra

.PHONY: demo test lint serve venv node-deps runtime-deps test-deps clean vendor bench-audio bench-stats bench-site

demo: runtime-deps venv
	$(BIN)/portevoix build
	@echo "The demo site is in $(CURDIR)/site/ ; preview it with: $(BIN)/portevoix serve  (then open http://127.0.0.1:8000/)"

test: runtime-deps test-deps venv node-deps lint
	$(BIN)/python -m pytest

# ruff and mypy (configured in pyproject.toml); `make test` runs them before the tests.
lint: venv
	$(BIN)/ruff check pipeline tests
	$(BIN)/mypy

serve: venv
	$(BIN)/portevoix serve

define install_missing
	@missing=""; \
	for pair in $(1); do \
	  command -v "$${pair%%:*}" >/dev/null || [ -x "/usr/sbin/$${pair%%:*}" ] || [ -f "$${pair%%:*}" ] || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi
endef

runtime-deps:
	$(call install_missing,$(RUNTIME_DEBS))

test-deps:
	$(call install_missing,$(TEST_DEBS))

venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,transcribe]'
	touch $@

node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site site.new-* site.old-* .cache

# The studio's waveform component, copied from node_modules into the package (committed; see its README.md).
# After changing their versions in package.json: make vendor, then commit templates/studio/static/vendor/.
VENDOR := templates/studio/static/vendor
vendor: node-deps
	cp node_modules/peaks.js/dist/peaks.ext.min.js node_modules/peaks.js/COPYING $(VENDOR)/peaks.js/
	cp node_modules/konva/konva.min.js node_modules/konva/LICENSE $(VENDOR)/konva/
	cp node_modules/waveform-data/dist/waveform-data.min.js node_modules/waveform-data/LICENSE $(VENDOR)/waveform-data/

# Benchmark of the audio stage against ffmpeg-normalize (60 min and 3 h inputs; about 25 minutes).
bench-audio: runtime-deps venv
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_audio.py --minutes 60 180 --repairs --peer-minutes 60

# Benchmark of a build on a large archive (1,000 and 10,000 episodes, 20 recordings of 2 h, parallel audio) beside Hugo.
# Several GB in bench/out/ and about an hour; BENCH_SITE_ARGS="--sizes 1000 --long 4 --long-minutes 30" for a shorter run.
bench-site: runtime-deps test-deps venv
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_site.py $(BENCH_SITE_ARGS)

# Benchmark of portevoix stats on a generated 10-million-line log, beside GoAccess (25 minutes or more on 2 loaded cores).
BENCH_DEBS := goaccess:goaccess
bench-stats: runtime-deps venv
	$(call install_missing,$(BENCH_DEBS))
	$(BIN)/python bench/bench_stats.py
