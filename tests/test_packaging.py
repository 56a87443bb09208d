"""The project's own files agree with each other: pyproject, environment.yml, README, CI."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_names(reqs):
    return {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower() for r in reqs}


#: JupyterLab, its widgets extension (the front end) and ipywidgets (the kernel side):
#: pinned together, the same way in environment.yml and in pyproject's `lab` extra.
WIDGET_STACK = ("jupyterlab", "jupyterlab_widgets", "ipywidgets")


def environment_lines():
    """The requirement lines of environment.yml's conda part ("name<spec>")."""
    lines, inside = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("dependencies:"):
            inside = True
        elif stripped == "- pip:":
            inside = False
        elif inside and stripped.startswith("- "):
            lines.append(stripped[2:])
    return lines


def pins(requirements):
    """{normalized name: SpecifierSet} of requirement strings (conda's or pip's >=,<)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    found = {}
    for text in requirements:
        req = Requirement(text)
        found[canonicalize_name(req.name)] = req.specifier
    return found


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


def test_widget_front_end_and_kernel_side_are_pinned_alike_for_binder_and_pip():
    from packaging.utils import canonicalize_name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lab = pins(project["optional-dependencies"]["lab"])
    conda = pins(line for line in environment_lines()
                 if re.split(r"[<>=!~ ]", line)[0] in WIDGET_STACK)
    for name in map(canonicalize_name, WIDGET_STACK):
        assert name in lab and name in conda, f"{name} is not pinned in both places"
        assert lab[name] == conda[name], f"{name}: lab extra {lab[name]}, environment.yml {conda[name]}"
        # a range with a ceiling: a new release line (ipywidgets 9, JupyterLab 5) is
        # a deliberate change here, never an accident of the day the image was built
        operators = {spec.operator for spec in lab[name]}
        assert {">=", "<"} <= operators, f"{name} needs a floor and a ceiling: {lab[name]}"


def test_the_environment_the_tests_run_in_satisfies_the_widget_pins():
    from importlib.metadata import version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for name, spec in pins(project["optional-dependencies"]["lab"]).items():
        assert spec.contains(version(name)), f"{name} {version(name)} is outside {spec}"


def test_binder_python_is_one_the_project_declares():
    # Binder's kernel runs the notebooks on this version: it must be one pyproject
    # declares (and so one the tests are meant for), not merely >= requires-python
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    _, _, python = environment()
    assert f"Programming Language :: Python :: {python}" in project["classifiers"]


def test_postbuild_installs_the_package_itself():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!/bin/bash") and "pip install --no-deps -e ." in text


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")


def readme_top():
    """README.md above its first section: where a reader looks for how to open it."""
    return (ROOT / "README.md").read_text().split("\n## ", 1)[0]


#: a Binder launch link to lesson 00 (the repository may be named by a placeholder)
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^/\s`]+/[^/\s`]+/[^?\s`]+"
                         r"\?urlpath=lab/tree/notebooks/00-start-here\.ipynb")


def test_readme_opens_with_three_ways_in_one_line_each():
    ways = [line for line in readme_top().splitlines()
            if re.match(r"- \*\*(In the browser|On Binder|On your laptop)\*\*", line)]
    assert len(ways) == 3, ways
    browser, binder, laptop = ways
    assert "make site" in browser and "python3 -m http.server -d _site" in browser
    assert BINDER_LINK.search(binder), binder
    assert "`make lab`" in laptop


def markdown_links(path):
    """Relative link targets (without #anchor) of a Markdown file."""
    targets = re.findall(r"\]\(([^)\s]+)\)", path.read_text())
    return [t.split("#", 1)[0] for t in targets
            if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


def test_lecturers_guide_is_linked_and_its_links_resolve():
    guide = ROOT / "docs" / "LECTURERS.md"
    for page in (ROOT / "README.md", ROOT / "course" / "README.md"):
        assert any((page.parent / t).resolve() == guide for t in markdown_links(page)), \
            f"{page.relative_to(ROOT)} does not link to docs/LECTURERS.md"
    links = markdown_links(guide)
    assert links, "the guide links to nothing in the repository"
    for target in links:
        assert (guide.parent / target).exists(), f"docs/LECTURERS.md links to missing {target}"


def test_lecturers_guide_gives_the_binder_and_nbgitpuller_links_and_the_image():
    text = (ROOT / "docs" / "LECTURERS.md").read_text()
    binder = re.search(r"https://mybinder\.org/v2/gh/\S+", text)
    assert binder and "urlpath=lab/tree/notebooks/00-start-here.ipynb" in binder[0]
    puller = re.search(r"https://\S+/hub/user-redirect/git-pull\?\S+", text)
    assert puller, "no nbgitpuller link"
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(puller[0]).query)
    assert query["targetpath"] == ["tcplab"]
    assert query["urlpath"] == ["lab/tree/tcplab/notebooks/00-start-here.ipynb"]
    # the image the guide builds has what the link needs
    assert "nbgitpuller" in environment()[0]
    assert "--target-repo-dir" in text and "environment.yml" in text


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


def test_jupyterlite_stays_out_of_the_workbooks_jupyterlab():
    # JupyterLite's labextensions beside the workbook's JupyterLab break it ("Shared module
    # @jupyterlite/services doesn't exist in shared scope"): the site has its own venv
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    for name in ("lab", "test", "bench", "course"):
        assert not any("jupyterlite" in r or "[site]" in r for r in extras[name]), name
    assert any("jupyterlite" in r for r in extras["site"])
    assert "$(SITE_VENV)/bin/python -m pip install" in (ROOT / "Makefile").read_text()


def environment_pip_lines():
    """The requirement lines of environment.yml's pip part."""
    lines, inside = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped == "- pip:":
            inside = True
        elif inside and stripped.startswith("- "):
            lines.append(stripped[2:])
    return lines


def test_chinese_language_pack_is_pinned_alike_for_binder_and_pip():
    # `make lab-zh` selects it; on Binder a student picks it in Settings ▸ Language
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lab = pins(project["optional-dependencies"]["lab"])
    binder = pins(environment_pip_lines())
    name = "jupyterlab-language-pack-zh-cn"
    assert name in lab and name in binder, "the zh-CN language pack is in both places"
    assert lab[name] == binder[name], f"lab extra {lab[name]}, environment.yml {binder[name]}"
    assert "lab-zh:" in (ROOT / "Makefile").read_text()


def test_the_hub_image_has_the_students_side_of_nbgrader():
    # a JupyterHub built from environment.yml (course/README.md): the students' exchange
    # (Assignments tab) with the lecturer's nbgrader line, the lecturer's tools switched
    # off, and every student filed under their hub name (course/student_nbgrader_config.py)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    course = pins(r for r in project["optional-dependencies"]["course"] if "[" not in r)
    conda = pins(line for line in environment_lines()
                 if not line.startswith(("python=", "pip")))
    assert conda["nbgrader"] == course["nbgrader"]
    build = (ROOT / "postBuild").read_text()
    for step in ("disable --sys-prefix nbgrader.server_extensions.formgrader",
                 "for plugin in formgrader create-assignment course-list",
                 "cp course/student_nbgrader_config.py"):
        assert step in build, step
    assert "JUPYTERHUB_USER" in (ROOT / "course" / "student_nbgrader_config.py").read_text()
