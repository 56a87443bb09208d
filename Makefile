# tcplab — the two commands of the README: `make lab` and `make test` (and, for developers,
# `make check`; `make lab-zh` opens the Chinese edition).
# Needs only python3 (with venv and pip); everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
# Rewritten after each successful install: re-running is fast until pyproject.toml changes.
STAMP  := $(VENV)/.tcplab-installed
# The browser-only site is built in an environment of its own: JupyterLite's labextensions
# installed beside the workbook's JupyterLab would be loaded by it, and break it.
SITE_VENV  := .venv-site
SITE_STAMP := $(SITE_VENV)/.tcplab-installed
# The lecturer's environment (course/README.md step 0): nbgrader with Formgrader and its
# menus ON. `make install` switches them off in .venv for the students' `make lab`, so the
# lecturer never grades from .venv; nothing but `make course` touches .venv-course.
COURSE_VENV  := .venv-course
COURSE_STAMP := $(COURSE_VENV)/.tcplab-installed
# Extra arguments, e.g. make test PYTEST_ARGS="-x tests", make lab LAB_ARGS=--no-browser
PYTEST_ARGS ?=
# make test runs the tests in two processes (pytest-xdist), each module and each notebook
# whole in one of them (--dist loadscope: module fixtures and nbval's kernel per notebook
# stay one), which fits CI's 2 cores; PYTEST_WORKERS=0 runs them in this process
PYTEST_WORKERS ?= 2
LAB_ARGS ?=

.PHONY: install lab lab-zh test check bench site handouts slides course clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -e ".[lab,test]"
	# the notebooks' kernel is this venv's Python (by absolute path, not "python" on PATH)
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name python3 \
	    --display-name "Python 3 (tcplab)"
	# nbgrader is here for the tests only: keep its menus out of the students' JupyterLab
	# (lecturers grade from their own, .venv-course: `make course`, course/README.md)
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader
	for e in formgrader validate_assignment assignment_list course_list; do \
	    $(VENV)/bin/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$e; \
	done
	touch $@

# Open the workbook in JupyterLab.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/00-start-here.ipynb

# The Chinese edition (中文版) in JupyterLab in Chinese: its first lesson, the zh-CN language
# pack selected for this JupyterLab only (a default given through a labconfig folder on
# JUPYTER_CONFIG_PATH: `make lab` stays English, and a language a student picks in
# Settings ▸ Language still wins), and TCPLAB_LANG=zh for its kernels (tcplab's messages).
LAB_ZH_CONFIG    := $(VENV)/etc/tcplab-zh
LAB_ZH_OVERRIDES := $(LAB_ZH_CONFIG)/labconfig/default_setting_overrides.json
LAB_ZH_NOTEBOOK   = $(firstword $(wildcard notebooks/zh/00-start-here.ipynb) \
                              notebooks/zh/01-three-way-handshake.ipynb)
lab-zh: $(STAMP) $(LAB_ZH_OVERRIDES)
	JUPYTER_CONFIG_PATH="$(abspath $(LAB_ZH_CONFIG))$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	TCPLAB_LANG=zh $(VENV)/bin/jupyter lab $(LAB_ARGS) $(LAB_ZH_NOTEBOOK)

$(LAB_ZH_OVERRIDES): Makefile
	mkdir -p $(@D)
	echo '{"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}' > $@

# Unit tests (tests/), notebooks (notebooks/, via nbval) and the browser tests (chromium,
# installed by tools/system-deps.sh when missing; axe-core from npm by tools/npm-assets.sh, for
# tests/test_a11y_axe.py): see [tool.pytest.ini_options].
# pytest's exit code 5 ("no tests were collected") is reported but is not a failure.
test: $(STAMP) $(SITE_STAMP) $(COURSE_STAMP)
	bash tools/system-deps.sh
	bash tools/hub-proxy.sh
	bash tools/npm-assets.sh
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope --durations=15 \
	    $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests (exit 5): not counted as a failure"; exit 0; fi; \
	  exit $$rc; }

# The developers' loop, in seconds: the unit tests only. No system packages (no apt), no
# notebooks (nbval off: addopts emptied), no browser, no nbgrader round, no tshark, no real
# sockets, no Monte-Carlo experiments: the tests marked slow (tests/conftest.py) are left
# out here and only here. Run `make test` before committing: it runs them all.
check: $(STAMP)
	$(VENV)/bin/python -m pytest -q -o addopts="" -n $(PYTEST_WORKERS) -m "not slow" tests $(PYTEST_ARGS)

# Benchmarks: print one table of figures against their targets (not pass/fail tests).
# The peers (transitions, SimPy) are installed here only. BENCH_ARGS=--suite also times
# the whole test suite (minutes).
BENCH_ARGS ?=
bench: $(STAMP) $(SITE_STAMP)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e ".[bench]"
	bash tools/system-deps.sh
	$(VENV)/bin/python benchmarks/run_all.py $(BENCH_ARGS)

# The browser-only edition (JupyterLite, Pyodide kernel) into _site/, from the package
# registries only (downloads kept in .cache/site/). Serve it: python3 -m http.server -d _site
site: $(SITE_STAMP)
	$(SITE_VENV)/bin/python -m tools.site.build

$(SITE_STAMP): pyproject.toml
	test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --disable-pip-version-check -q -e ".[site]"
	touch $@

# Paper for a lecturer: a PDF per lesson of both editions and the cheat sheet into
# _handouts/ (zh/ for the Chinese edition), the saved notebooks printed by headless chromium
# (tools/handouts.py; chromium, the CJK font and pdftotext from tools/system-deps.sh).
handouts: $(STAMP)
	bash tools/system-deps.sh
	$(VENV)/bin/python -m tools.handouts -o _handouts

# Each lesson as a reveal.js deck (the cells' "slideshow" metadata, tools/slides.py) into
# _slides/ (zh/ for the Chinese edition), with reveal.js from npm beside them so a lecture
# room needs no network (tools/decks.py); the labs stay live in JupyterLab.
slides: $(STAMP)
	bash tools/system-deps.sh
	bash tools/npm-assets.sh slides
	$(VENV)/bin/python -m tools.decks -o _slides

# The lecturer's environment: nbgrader (Formgrader, the Assignments tab, the CLI), pytest
# for "Changing an assignment", and JupyterHub with nbgitpuller for a class on one machine
# (tests/test_hub.py plays a class round on it). Then: source .venv-course/bin/activate
course: $(COURSE_STAMP)

$(COURSE_STAMP): pyproject.toml
	test -x $(COURSE_VENV)/bin/python || $(PYTHON) -m venv $(COURSE_VENV)
	$(COURSE_VENV)/bin/python -m pip install --disable-pip-version-check -q -e ".[course,hub]"
	# the kernel nbgrader grades in is this venv's Python (by absolute path)
	$(COURSE_VENV)/bin/python -m ipykernel install --sys-prefix --name python3 \
	    --display-name "Python 3 (tcplab)"
	touch $@

clean:
	rm -rf $(VENV) $(SITE_VENV) $(COURSE_VENV) _handouts _slides build dist *.egg-info .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
