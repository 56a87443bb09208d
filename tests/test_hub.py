"""A class round on a real JupyterHub: one lecturer, three students, hw1-handshake-close.

The hub (tests/hub_harness.py) runs on 127.0.0.1 from the lecturer's .venv-course, with
the dummy authenticator and the local-process spawner; the nbgrader exchange is a
temporary folder.  As course/README.md says:

* each student's server gets the workbook by an nbgitpuller link, from a git repository
  (a local bare one, file://, standing in for the course's repository);
* the lecturer, in a copy of course/ in their home, generates and releases the homework;
* each student fetches it through their own server's Assignments endpoints (what the
  Assignments tab calls), runs its setup in a kernel of their server, which shows numbers
  of their own (from JUPYTERHUB_USER), answers it through the server's contents API
  (ana types her own numbers, ben one wrong, chen right but with an answer cell
  duplicated), and submits;
* the lecturer collects, grades (grade_the_class) and releases the feedback, which each
  graded student fetches.

Every grade is read from the gradebook, under each student's own hub name: the students'
servers share this machine's one OS user, and course/student_nbgrader_config.py, which
every student has as ~/.jupyter/nbgrader_config.py, makes the hub name the student id.
The module's hub, servers and proxy are stopped at the end, also when a test fails.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat
import pytest

import test_course as tc  # noqa: E402  (tests/ is on sys.path: pytest's rootdir conftest)
from hub_harness import COURSE_VENV, Hub
from tcplab.grading.variants import seed_for
from tcplab.homework import hw1
from tcplab.homework.student import canonical

ROOT = Path(__file__).resolve().parents[1]
HW = "hw1-handshake-close"
NOTEBOOK = f"{HW}/{HW}.ipynb"
LECTURER = "lecturer"
STUDENTS = ("ana", "ben", "chen")
MAX_SCORE = 11.0        # 9 autograded, 2 for question 5, graded by hand in Formgrader
# What each student hands in, the grade the round must give it (the autograded part) and
# the status of tcplab-grade's report.  Each student has numbers of their own, from their
# hub name: ana types her answers as numbers, worked out from the ISNs her server showed
# her; ben writes expressions of x and y, one wrong; chen's answers are right expressions,
# but an answer cell is duplicated (JupyterLab's copy and paste keeps its nbgrader id):
# nbgrader alone stops at that notebook (issue 15, item 1); tcplab-grade repairs it,
# grades it and says so.  Question 5 awaits its points by hand: no status says finished.
EXPECTED = {"ana": 9.0, "ben": 8.0, "chen": 9.0}
STATUS = {"ana": "to grade by hand", "ben": "to grade by hand",
          "chen": "repaired, to grade by hand"}


# --------------------------------------------------------------------------- the class

@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hub")
    exchange = tmp / "exchange"
    exchange.mkdir()
    for student in STUDENTS:
        config = tmp / "home" / student / ".jupyter" / "nbgrader_config.py"
        config.parent.mkdir(parents=True)
        shutil.copy(ROOT / "course" / "student_nbgrader_config.py", config)
    course = tmp / "home" / LECTURER / "course"
    shutil.copytree(ROOT / "course", course, ignore=shutil.ignore_patterns(*tc.GENERATED))
    # the lecturer's Formgrader finds the course wherever their server starts (README)
    (course.parent / ".jupyter").mkdir()
    (course.parent / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.course_id = 'tcplab'\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n")
    started = time.monotonic()
    hub = Hub(tmp, environment={"TCPLAB_EXCHANGE": str(exchange)}, lecturers=(LECTURER,))
    try:
        hub.wait_until_up()
        hub.tokens = hub.start_servers([LECTURER, *STUDENTS])
        hub.course, hub.exchange, hub.started = course, exchange, started
        yield hub
    finally:
        hub.stop()


def lecturer(hub, program: str, *args: str) -> subprocess.CompletedProcess:
    """A command of course/README.md (``program``: nbgrader, or another of .venv-course's
    commands), run by the lecturer in their course folder with .venv-course, as in a
    terminal of their server on the hub."""
    home = hub.course.parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PATH=f"{COURSE_VENV / 'bin'}{os.pathsep}{env['PATH']}", HOME=str(home),
               PYTHONPATH=str(ROOT),        # the checkout's tcplab, as the servers'

               JUPYTER_CONFIG_DIR=str(home / ".jupyter"), JUPYTERHUB_USER=LECTURER,
               TCPLAB_EXCHANGE=str(hub.exchange))
    proc = subprocess.run([str(COURSE_VENV / "bin" / program), *args],
                          cwd=hub.course, env=env, capture_output=True, text=True,
                          timeout=300)
    return proc


def lecturer_ok(hub, program: str, *args: str) -> None:
    proc = lecturer(hub, program, *args)
    assert proc.returncode == 0, f"{program} {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"


def assignments(hub, student: str, action: str | None = None):
    """The Assignments tab's call on the student's own server, with the student's token."""
    body = {"course_id": "tcplab", "assignment_id": HW}
    if action is None:
        return hub.json("GET", f"/user/{student}/assignments?course_id=tcplab",
                        token=hub.tokens[student])
    return hub.json("POST", f"/user/{student}/assignments/{action}", body,
                    token=hub.tokens[student])


def their_numbers(hub, student: str, release: dict) -> tuple[int, int, float]:
    """The ISNs and the MSL the homework shows ``student``: the release's student_id line
    and setup cell, run in a kernel of the student's own server."""
    nb = nbformat.from_dict(copy.deepcopy(release))
    cells = [c for c in nb.cells if c.get("id") == "student-id"
             or tc._nb_meta(c).get("grade_id") == "setup"]
    out = hub.run_code(student, hub.tokens[student], "\n".join(c.source for c in cells))
    x, y = (int(v) for v in re.findall(r"sequence number: [xy] = (\d+)", out))
    return x, y, float(re.search(r"MSL = ([0-9.]+) s", out).group(1))


def typed(nb, x: int, y: int, msl: float):
    """hw1's answers typed as numbers, worked out by the lecture's rules from x, y, MSL."""
    m, a, b = 2**32, hw1.SENT_BY_A, hw1.SENT_BY_B
    typed_in = {"q1-answer": f"q1_syn_ack_ack = {(x + 1) % m}\nq1_third_seq = {(x + 1) % m}"
                             f"\nq1_third_ack = {(y + 1) % m}",
                "q2-answer": f"q2_u = {(x + 1 + a) % m}\nq2_ack = {(x + 2 + a) % m}",
                "q3-answer": f"q3_w = {(y + 1 + b) % m}\nq3_last_seq = {(x + 2 + a) % m}"
                             f"\nq3_last_ack = {(y + 2 + b) % m}",
                "q4-answer": f"q4_closed = {4 + hw1.DELAY + 2 * msl}"}
    for cell in nb.cells:
        if tc._nb_meta(cell).get("grade_id") in typed_in:
            cell.source = typed_in[tc._nb_meta(cell)["grade_id"]]
    return nb


def answered(nb: dict, student: str, numbers: tuple[int, int, float]) -> dict:
    """The release notebook as ``student`` hands it in (see EXPECTED)."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    solutions = {tc._nb_meta(c)["grade_id"]: c.source
                 for c in tc.source_notebook(HW).cells if tc._nb_meta(c).get("solution")}
    for cell in nb.cells:
        if tc._nb_meta(cell).get("solution"):
            cell.source = tc._without_markers(solutions[tc._nb_meta(cell)["grade_id"]])
    if student == "ana":
        nb = typed(nb, *numbers)
    if student == "ben":
        old, new, _ = tc.PARTIAL[HW]
        nb = tc._edit(nb, old, new)
    if student == "chen":
        first = next(i for i, c in enumerate(nb.cells) if tc._nb_meta(c).get("solution"))
        twin = copy.deepcopy(nb.cells[first])
        twin.id = "a-copy-of-" + twin.id[:20]
        nb.cells.insert(first + 1, twin)
    return nb


def grade_the_class(hub) -> dict[str, float | None]:
    """The lecturer grades the class with one `tcplab-grade` (course/README.md), which also
    makes every feedback page; returns each student's score from the gradebook (None: not
    graded), after checking the report's statuses."""
    lecturer_ok(hub, "tcplab-grade", HW)
    with open(hub.course / "grades" / f"{HW}.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert {s: r["status"] for s, r in rows.items()} == STATUS, rows
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}") as gb:
        graded = {s.student.id: s.score for s in gb.assignment_submissions(HW)
                  if (hub.course / "autograded" / s.student.id / HW).is_dir()}
        students = {s.id for s in gb.students}
    assert students <= set(STUDENTS), f"graded under other names: {students}"
    return {student: graded.get(student) for student in STUDENTS}


# --------------------------------------------------------------------------- the round

def pull_the_workbook(hub, tmp: Path) -> None:
    """Each student clicks the course's nbgitpuller link (here: its API, what the link's
    page calls), from a bare git repository of the workbook."""
    source, bare = tmp / "workbook", tmp / "workbook.git"
    shutil.copytree(ROOT / "notebooks", source / "notebooks",
                    ignore=shutil.ignore_patterns("captures", ".ipynb_checkpoints", "zh"))
    git = ["git", "-c", "user.name=Lecturer", "-c", "user.email=lecturer@example.edu"]
    subprocess.run(git + ["init", "-q", "-b", "main", str(source)], check=True)
    subprocess.run(git + ["-C", str(source), "add", "-A"], check=True)
    subprocess.run(git + ["-C", str(source), "commit", "-q", "-m", "workbook"], check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(bare)], check=True)
    query = urlencode({"repo": f"file://{bare}", "branch": "main", "targetpath": "tcplab"})
    for student in STUDENTS:
        status, raw = hub.request("GET", f"/user/{student}/git-pull/api?{query}",
                                  token=hub.tokens[student], timeout=60)
        assert status == 200 and b'"phase": "finished"' in raw, raw[-2000:]
        assert (hub.tmp / "home" / student / "tcplab" / "notebooks"
                / "00-start-here.ipynb").exists()


def hand_in(hub) -> dict[str, tuple[int, int, float]]:
    """Each student fetches, sees their own numbers, answers and submits; returns the
    numbers each one saw."""
    seen = {}
    for student in STUDENTS:
        listed = assignments(hub, student)
        assert listed["success"], listed
        assert [a["status"] for a in listed["value"] if a["assignment_id"] == HW] == ["released"]
        fetched = assignments(hub, student, "fetch")
        assert fetched["success"], fetched
        path = f"/user/{student}/api/contents/{quote(NOTEBOOK)}"
        release = hub.json("GET", path, token=hub.tokens[student])["content"]
        seen[student] = their_numbers(hub, student, release)
        nb = answered(release, student, seen[student])
        hub.json("PUT", path, {"type": "notebook", "format": "json", "content": nb},
                 token=hub.tokens[student])
        submitted = assignments(hub, student, "submit")
        assert submitted["success"], submitted
        statuses = {a["status"] for a in submitted["value"] if a["assignment_id"] == HW}
        assert "submitted" in statuses, submitted
    return seen


def feedback_scores(hub) -> dict[str, list[tuple[float, float]]]:
    """(score, max score) of each feedback page each student has fetched."""
    found = {}
    for student in STUDENTS:
        pages = (hub.tmp / "home" / student / HW / "feedback").glob(f"*/{HW}.html")
        found[student] = [tuple(map(float, re.search(
            rf"{HW} \(Score: ([0-9.]+) / ([0-9.]+)\)", page.read_text()).groups()))
            for page in pages]
    return found


def test_a_class_round_on_a_jupyterhub(hub, tmp_path):
    pull_the_workbook(hub, tmp_path)
    lecturer_ok(hub, "nbgrader", "generate_assignment", HW, "--force")
    lecturer_ok(hub, "nbgrader", "release_assignment", HW)
    seen = hand_in(hub)
    # each hub name has numbers of its own, none the demo's (the saved outputs')
    seeds = {s: seed_for(canonical(s), "hw1") for s in STUDENTS}
    assert seen == {s: (*hw1.isns(seed), hw1.msl(seed)) for s, seed in seeds.items()}
    assert len({x for x, _, _ in seen.values()} | {hw1.isns()[0]}) == len(STUDENTS) + 1
    lecturer_ok(hub, "nbgrader", "collect", HW)
    # every student is filed under their own hub name, not under the shared OS user
    assert sorted(p.name for p in (hub.course / "submitted").iterdir()) == sorted(STUDENTS)
    assert grade_the_class(hub) == EXPECTED
    lecturer_ok(hub, "nbgrader", "release_feedback", HW)
    # each student fetches their feedback: a page with their score (the graded ones)
    for student in STUDENTS:
        assert assignments(hub, student, "fetch_feedback")["success"]
    assert feedback_scores(hub) == {student: [] if score is None else [(score, MAX_SCORE)]
                                    for student, score in EXPECTED.items()}
    # the lecturer's own server (.venv-course: Formgrader on) shows the class's submissions
    shown = hub.json("GET", f"/user/{LECTURER}/formgrader/api/assignments",
                     token=hub.tokens[LECTURER])
    assert [(a["name"], a["num_submissions"]) for a in shown if a["name"] == HW] == [(HW, 3)]
    assert time.monotonic() - hub.started < 120, "the round took more than 2 minutes"
