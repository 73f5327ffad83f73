# Thin wrapper over the portal's command line (scripts/portal/commands/cli.py). On a fresh machine with
# Python 3.11+ and make: `make site` builds the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORTAL := PYTHONPATH=scripts $(PY) -m portal
# Arguments reach the command as they were typed, never interpreted by make or the shell:
# $(value X) is X's text before make expands it (`SLUG='$(y)x'` stays `$(y)x`), and quote wraps it
# in single quotes with each ' written as '\'' (`SLUG='x";touch /tmp/p;"'` is one argument).
quote = '$(subst ','\'',$(1))'
arg = $(call quote,$(value $(1)))

.PHONY: site test check serve validate generate schemas venv test-deps browser-deps html-checker lighthouse clean \
	properdocs-venv compare-engines

# The virtualenv is rebuilt whenever the pins change.
$(VENV)/.site-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

venv: $(VENV)/.site-installed

## properdocs-venv: a second virtualenv, .venv-properdocs, with ProperDocs in place of MkDocs
## (requirements-properdocs.txt, exact pins, --no-deps: see the file) and the test tools;
## `PORTAL_ENGINE=properdocs` or `portal build --engine properdocs` builds with it
PROPERDOCS_VENV := .venv-properdocs
$(PROPERDOCS_VENV)/.installed: requirements-properdocs.txt requirements-test.txt
	$(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		-r requirements-properdocs.txt -r requirements-test.txt
	touch $@
properdocs-venv: $(PROPERDOCS_VENV)/.installed

## compare-engines: build HEAD with MkDocs and with ProperDocs and compare every file of the two
## sites (scripts/compare_builds.py): the same but for the generator line, or exit 1
compare-engines: venv properdocs-venv
	$(PY) scripts/compare_builds.py --properdocs-python $(PROPERDOCS_VENV)/bin/python

## site: create the virtualenv, install the pinned packages, validate, generate, build site/
site: venv
	$(PORTAL) build

## validate: check every record (for editors); file:line:col messages. The command exits 1 on any
## problem; make itself then ends with "Error 1" and exit code 2, as for any failed recipe.
validate: venv
	$(PORTAL) validate

## generate: validate, then write the generated pages under docs/<lang>/
generate: venv
	$(PORTAL) generate

## schemas: export the JSON Schema files in schemas/ from scripts/portal/model/schema.py
schemas: venv
	$(PORTAL) schemas

## serve: live preview on http://127.0.0.1:8000; saving a record updates the page
serve: venv
	$(PORTAL) serve

test-deps: $(VENV)/.test-installed browser-deps html-checker

## html-checker: the Nu HTML Checker for tests/site/test_nu_html_checker.py: npm's vnu-jar at the
## version pinned in tests/html/package-lock.json, run with the system's Java 17+ (no install
## scripts: the package's own would download a Java runtime)
HTML_CHECKER := tests/html/node_modules/vnu-jar/build/dist/vnu.jar
html-checker: $(HTML_CHECKER)
$(HTML_CHECKER): tests/html/package.json tests/html/package-lock.json
	npm ci --prefix tests/html --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

## lighthouse: Lighthouse for benchmarks/lighthouse.py, the npm version pinned in
## benchmarks/lighthouse/package-lock.json (no install scripts; Chrome is Debian's Chromium)
LIGHTHOUSE := benchmarks/lighthouse/node_modules/lighthouse/cli/index.js
lighthouse: $(LIGHTHOUSE)
$(LIGHTHOUSE): benchmarks/lighthouse/package.json benchmarks/lighthouse/package-lock.json
	npm ci --prefix benchmarks/lighthouse --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

## browser-deps: Debian's Chromium for the browser tests (tests/browser), installed when missing
browser-deps:
	bash scripts/install_browser.sh

## test: the same set-up, then the whole test suite; with PORTAL_SITE_DIR=DIR set, the tests read
## that build of this commit instead of a new one (CI's test job: the site job's build)
test: test-deps
ifdef PORTAL_SITE_DIR
	$(PORTAL) generate  # the pages beside the given site (its stamp must match them: tests/portal_testing.py)
	$(PY) -m pytest
else
	$(PORTAL) build  # the real site, built once: the site and browser tests read this one
	PORTAL_SITE_DIR=site $(PY) -m pytest
endif

## check: the fast tests (loader, validation, rendering, exports, editors' tools): under a minute, no
## browser, no site build; `make test` runs everything
CHECK_PATHS := tests/pipeline tests/export tests/editors
# Two halves side by side (the test files dealt out in turn: tests/conftest.py --shard), one per core.
check: $(VENV)/.test-installed
	@log=$$(mktemp); \
	$(PY) -m pytest -q -m "not slow" --shard=2/2 $(CHECK_PATHS) >"$$log" 2>&1 & other=$$!; \
	$(PY) -m pytest -q -m "not slow" --shard=1/2 $(CHECK_PATHS); status=$$?; \
	wait $$other || status=1; echo "--- the other half:"; cat "$$log"; rm -f "$$log"; exit $$status

clean:
	rm -rf site $(VENV) $(PROPERDOCS_VENV) docs/.generated-manifest.json tests/html/node_modules

# --- editors' workflow (issue 4) ---------------------------------------------------------------
.PHONY: new status check-links

## new: write a commented template for a new record: make new KIND=project SLUG=my-project
new: venv
	$(PORTAL) new $(call arg,KIND) $(call arg,SLUG)

## status: translation status per language (ru, fi) and the record fields that fall back to English
status: venv
	$(PORTAL) status

## check-links: internal links and anchors of the built site/ in all languages (after make site);
## ARGS="--external --report r.md" adds options: split at spaces, each word passed as it is
check-links: venv
	$(PORTAL) check-links $(foreach word,$(value ARGS),$(call quote,$(word)))
