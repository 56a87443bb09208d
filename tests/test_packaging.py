"""The project's own files agree with each other: pyproject, environment.yml, README, CI."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_names(reqs):
    return {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower() for r in reqs}


def environment():
    """conda and pip requirement names of environment.yml (a small, fixed format)."""
    conda, pip, section = set(), set(), None
    python = None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("dependencies:"):
            section = "conda"
        elif stripped == "- pip:":
            section = "pip"
        elif stripped.startswith("- ") and section:
            name = stripped[2:]
            if name.startswith("python="):
                python = name.split("=", 1)[1]
            (pip if section == "pip" else conda).add(re.split(r"[<>=!~ ]", name)[0].lower())
    return conda, pip, python


def test_binder_environment_installs_every_runtime_and_lab_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = requirement_names(project["dependencies"]) | requirement_names(
        project["optional-dependencies"]["lab"])
    conda, pip, python = environment()
    missing = needed - conda - pip
    assert not missing, f"environment.yml lacks {missing}"
    lowest = project["requires-python"].lstrip(">=")
    assert tuple(map(int, python.split("."))) >= tuple(map(int, lowest.split(".")))


def test_postbuild_installs_the_package_itself():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!/bin/bash") and "pip install --no-deps -e ." in text


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")


def test_version_is_one_number():
    import tcplab
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert tcplab.__version__ == project["version"]


def test_import_does_not_start_graphviz_or_jupyter():
    import subprocess
    code = ("import sys, tcplab; bad = [m for m in ('ipywidgets', 'IPython', 'subprocess_tee')"
            " if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
