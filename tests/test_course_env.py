"""The lecturer's environment, .venv-course (`make course`, course/README.md step 0), stays whole.

`make install` (run by `make lab` and `make test`) switches nbgrader's Formgrader, its menus
and the Assignments tab off in .venv, so that students do not see them in the workbook.
The lecturer grades from .venv-course, which nothing but `make course` touches: here the
real .venv-course is asked, after `make test` has installed .venv, whether everything
course/README.md uses is there and switched on.  `make test` builds .venv-course when it is
missing; without it these tests fail (they are not skipped).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE_VENV = ROOT / ".venv-course"
SERVER_EXTENSIONS = ("formgrader", "validate_assignment", "assignment_list", "course_list")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def course_python() -> Path:
    python = COURSE_VENV / "bin" / "python"
    assert python.exists(), (f"{COURSE_VENV} is missing: run `make course` in {ROOT} "
                             f"(`make test` builds it)")
    return python


def jupyter(python: Path, *args: str, tmp_path: Path) -> str:
    """`jupyter ARGS` in the environment of ``python``, without anyone's personal config."""
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "no-personal-config"))
    env.pop("PYTHONPATH", None)          # the environment's own tcplab, as the lecturer has it
    proc = subprocess.run([str(python), "-m", "jupyter", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return ANSI.sub("", proc.stdout + proc.stderr)


def server_extension_states(python: Path, tmp_path: Path) -> dict[str, str]:
    text = jupyter(python, "server", "extension", "list", tmp_path=tmp_path)
    return dict(re.findall(r"^\s*nbgrader\.server_extensions\.(\w+) (enabled|disabled)\s*$",
                           text, re.M))


def labextension_state(python: Path, tmp_path: Path) -> str:
    text = jupyter(python, "labextension", "list", tmp_path=tmp_path)
    found = re.findall(r"@jupyter/nbgrader v\S+ (enabled|disabled)", text)
    assert len(found) == 1, f"nbgrader's labextension is not listed once:\n{text}"
    return found[0]


def test_formgrader_and_the_assignments_tab_are_on_in_the_lecturers_environment(tmp_path):
    python = course_python()
    assert server_extension_states(python, tmp_path) == {e: "enabled" for e in SERVER_EXTENSIONS}
    assert labextension_state(python, tmp_path) == "enabled"


def test_the_students_environment_has_them_off_beside_it(tmp_path):
    # The environment running this suite is `make install`'s .venv: its nbgrader is off, and
    # that did not reach .venv-course (the test above), although both were installed.
    if Path(sys.prefix).resolve() == COURSE_VENV.resolve():
        pytest.fail("run the suite from .venv (make test), not from .venv-course")
    here = Path(sys.executable)
    assert server_extension_states(here, tmp_path) == {e: "disabled" for e in SERVER_EXTENSIONS}
    assert labextension_state(here, tmp_path) == "disabled"


def test_the_course_extra_runs_every_command_of_the_lecturers_readme(tmp_path):
    python = course_python()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for command in (["-m", "nbgrader", "--version"],          # steps 1-5
                    ["-m", "jupyter", "lab", "--version"],    # the Formgrader
                    ["-c", "import tools.run_notebooks"],     # "Changing an assignment"
                    ["-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider",
                     "tests/test_course.py", "course/source/hw1-handshake-close"]):
        proc = subprocess.run([str(python), *command], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{command}:\n{proc.stdout}\n{proc.stderr}"
    readme = (ROOT / "course" / "README.md").read_text()
    assert "make course" in readme and ".venv-course" in readme
    assert ".venv/bin/pip install" not in readme, "step 0 must not grade from make lab's .venv"


def formgrader_and_menus(python: Path, tmp_path: Path, config_path: str | None):
    """Start a JupyterLab of ``python``'s environment (optionally with JUPYTER_CONFIG_PATH);
    return the HTTP status of /formgrader and the nbgrader plugins its page disables."""
    import json
    import socket
    import time
    import urllib.error
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_CONFIG_PATH")}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "no-personal-config")
    if config_path:
        env["JUPYTER_CONFIG_PATH"] = config_path
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(python), "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                             "--ip=127.0.0.1", f"--port={port}", "--ServerApp.token=t",
                             f"--ServerApp.root_dir={tmp_path}"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def get(path: str) -> tuple[int, str]:
        req = urllib.request.Request(url + path, headers={"Authorization": "token t"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, ""
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get("/api/status")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "JupyterLab did not start"
                time.sleep(0.3)
        page = get("/lab")[1]
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">'
                                      r"(.*?)</script>", page, re.S)[1])
        disabled = sorted(p for p in config["disabledExtensions"] if "nbgrader" in p)
        return get("/formgrader")[0], disabled
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def test_the_lecturers_config_folder_turns_formgrader_back_on_for_one_server(tmp_path):
    # course/lecturer-jupyter, first on JUPYTER_CONFIG_PATH, gives one server back what its
    # environment switched off: here make install's .venv (Formgrader and the whole nbgrader
    # labextension off at its prefix; the hub image's postBuild switches off less)
    here = Path(sys.executable)
    assert formgrader_and_menus(here, tmp_path, None) == (404, ["@jupyter/nbgrader"])
    lecturer = str(ROOT / "course" / "lecturer-jupyter")
    assert formgrader_and_menus(here, tmp_path, lecturer) == (200, [])
