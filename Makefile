# The two commands of the README:  `make run` (install, build, serve)  and  `make test` (install, test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: help install system-deps run build serve test lint check clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# The query page's editor and charts: npm packages bundled locally (served by Flask, no CDN).
UI_ASSETS := server/static/vendor/README.txt
$(UI_ASSETS): package.json package-lock.json server/static/src/build.mjs server/static/src/editor.js server/static/src/charts.js
	npm ci --no-audit --no-fund
	npm run build

install: $(STAMP) $(UI_ASSETS)  ## create .venv, install the project and bundle the UI assets

system-deps:  ## Debian packages the tests start for real: Java 17 (HermiT), Virtuoso, Chromium
	@if ! command -v java >/dev/null || ! command -v virtuoso-t >/dev/null || ! command -v chromedriver >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    openjdk-17-jre-headless virtuoso-opensource chromium chromium-driver >/dev/null; \
	fi

build: install  ## build the graph from ../shared/data into var/
	$(BIN)/hres build

serve: install  ## serve the current store at http://$(HOST):$(PORT)/sparql
	$(BIN)/hres serve --host $(HOST) --port $(PORT)

run: build serve  ## install, build the graph and serve it

test: install system-deps lint  ## install, lint and run the whole test suite
	$(BIN)/python -m pytest

lint: install  ## ruff: lint and formatting (pyproject.toml), as CI runs them before the tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install  ## ontology QC and reasoner
	$(BIN)/hres check

clean:  ## remove built stores (not the virtualenv)
	rm -rf var
