"""The nbgrader course (course/): a lecturer's whole round, in a temporary course folder.

generate_assignment for every assignment; release versions without solutions or hidden
tests; autograde of a correct submission (full marks), an empty one (zero, no crash), a
partly right one, and each wrong variant of the state-machine homework (the points it
should lose, read from the sqlite gradebook); generate_feedback; and the README's other
commands: release / fetch / submit / collect through an exchange folder, zip_collect,
export.  nbgrader must be installed (pip install -e ".[course]"): without it these tests
fail, they are not skipped.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
ASSIGNMENTS = ("hw1-handshake-close", "hw2-stale-syn-2msl", "hw3-state-machine")
GENERATED = ("release", "submitted", "autograded", "feedback", "downloaded", "gradebook.db",
             ".ipynb_checkpoints", "__pycache__", "grades.csv")

try:
    import nbgrader  # noqa: F401
    from nbgrader.api import Gradebook
    NBGRADER_MISSING = ""
except ImportError as exc:  # pragma: no cover - the message is the point
    NBGRADER_MISSING = (f"nbgrader is not installed ({exc}): install the course extra, "
                        f"pip install -e '.[course]' (nbgrader>=0.9)")

import nbformat

# The wrong tables of homework 3, as edits of the correct one: (old line, new line), and
# the points each must lose, per graded cell.
TABLE_LINE = {
    "listen": '    ("LISTEN", "SYN"):             ("SYN-RECEIVED", "SYN+ACK"),',
    "fin-wait-2": '    ("FIN-WAIT-2", "FIN"):         ("TIME-WAIT", "ACK"),',
    "fin-ack": '    ("FIN-WAIT-1", "FIN+ACK"):     ("TIME-WAIT", "ACK"),',
}
VARIANTS = {
    # a two-way handshake: the server is ESTABLISHED as soon as it answers a SYN
    "two_way": (TABLE_LINE["listen"],
                '    ("LISTEN", "SYN"):             ("ESTABLISHED", "SYN+ACK"),',
                {"test-opening": 1.0}),
    # no TIME-WAIT: the active closer forgets the connection as soon as the peer's FIN comes
    "no_time_wait": (TABLE_LINE["fin-wait-2"],
                     '    ("FIN-WAIT-2", "FIN"):         ("CLOSED", "ACK"),',
                     {"test-active-close": 1.0}),
    # FIN-WAIT-1 that ignores FIN+ACK: the cell is left out
    "ignores_fin_ack": (TABLE_LINE["fin-ack"] + "\n", "", {"test-active-close": 1.0}),
}
# partly right answers of homeworks 1 and 2 (partial credit: one part wrong)
PARTIAL = {
    "hw1-handshake-close": ("q1_third_ack = (y + 1) % 2**32", "q1_third_ack = y",
                            {"q1-third-ack": 1.0}),
    "hw2-stale-syn-2msl": ('q3_two_way = "ESTABLISHED"', 'q3_two_way = "SYN-RECEIVED"',
                           {"q3-two-way": 1.0}),
}


# --------------------------------------------------------------------------- helpers

def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)      # nbgrader calls `alembic` by name
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")   # no personal nbgrader config
    env.pop("TCPLAB_EXCHANGE", None)
    return env


def nbgrader_cmd(args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """Run ``nbgrader args`` as the README says; fail with its output if it fails."""
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (f"nbgrader {' '.join(args)} failed "
                                  f"({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    assert "[ERROR]" not in proc.stderr and "| ERROR]" not in proc.stderr, proc.stderr
    return proc


def _nb_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def source_notebook(assignment: str):
    return nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def _regions(text: str, begin: str, end: str) -> list[str]:
    """The lines inside ### BEGIN … / ### END … regions of ``text``."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.strip() == begin:
            inside = True
        elif line.strip() == end:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def _without_markers(text: str) -> str:
    return "\n".join(line for line in text.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def correct_submission(assignment: str, release: Path):
    """The release version with every solution cell answered as the source's solution."""
    source = {(_nb_meta(c).get("grade_id")): c for c in source_notebook(assignment).cells
              if _nb_meta(c).get("solution")}
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if _nb_meta(cell).get("solution"):
            cell.source = _without_markers(source[_nb_meta(cell)["grade_id"]].source)
    return nb


def _edit(nb, old: str, new: str):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    hits = [c for c in nb.cells if _nb_meta(c).get("solution") and old in c.source]
    assert len(hits) == 1, f"the solution no longer contains {old!r}"
    hits[0].source = hits[0].source.replace(old, new)
    return nb


def max_points(assignment: str) -> dict[str, float]:
    """The autograded cells' points (the tests' cells), by grade id."""
    return {_nb_meta(c)["grade_id"]: float(_nb_meta(c)["points"])
            for c in source_notebook(assignment).cells
            if _nb_meta(c).get("grade") and c.cell_type == "code"}


def hand_points(assignment: str) -> dict[str, float]:
    """The points graded by hand (the explain-in-words answers), by grade id."""
    return {_nb_meta(c)["grade_id"]: float(_nb_meta(c)["points"])
            for c in source_notebook(assignment).cells
            if _nb_meta(c).get("grade") and c.cell_type == "markdown"}


def autograded(sub) -> dict[str, float]:
    """A gradebook submission's scores of its autograded cells, by grade id."""
    return {g.name: g.score for nb in sub.notebooks for g in nb.grades
            if g.cell_type == "code"}


# --------------------------------------------------------------------------- the round

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary copy of course/, taken through a lecturer's whole round.

    Submissions arrive by the README's three routes: the JupyterHub exchange (one student
    fetches hw1, answers it and submits), files sorted by ``zip_collect`` (hw2's empty and
    partly right ones), and files put into ``submitted/`` by hand (the rest).  Then
    autograde, feedback (released through the exchange to the hub student), export.
    """
    if NBGRADER_MISSING:
        pytest.fail(NBGRADER_MISSING)
    tmp = tmp_path_factory.mktemp("course")
    root = tmp / "course"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns(*GENERATED))
    env = _env(tmp)

    for a in ASSIGNMENTS:
        nbgrader_cmd(["generate_assignment", a, "--force"], root, env)

    submissions: dict[tuple[str, str], object] = {}
    for a in ASSIGNMENTS:
        release = root / "release" / a / f"{a}.ipynb"
        good = correct_submission(a, release)
        submissions[("correct", a)] = good
        submissions[("empty", a)] = nbformat.read(release, as_version=4)
        if a in PARTIAL:
            old, new, _ = PARTIAL[a]
            submissions[("partial", a)] = _edit(good, old, new)
        if a == "hw3-state-machine":
            for student, (old, new, _) in VARIANTS.items():
                submissions[(student, a)] = _edit(good, old, new)

    # files from a learning platform: one named <student>_<notebook>, one in a zip of
    # folders per student; zip_collect sorts them into submitted/
    zipped = "hw2-stale-syn-2msl"
    archive = root / "downloaded" / zipped / "archive"
    archive.mkdir(parents=True)
    nbformat.write(submissions[("empty", zipped)], archive / f"empty_{zipped}.ipynb")
    folder = tmp / "platform" / "partial"
    folder.mkdir(parents=True)
    nbformat.write(submissions[("partial", zipped)], folder / f"{zipped}.ipynb")
    shutil.make_archive(str(archive / "platform"), "zip", tmp / "platform")
    nbgrader_cmd(["zip_collect", zipped, "--force"], root, env)
    # the rest by hand
    for (student, a), nb in submissions.items():
        folder = root / "submitted" / student / a
        if not (student in ("empty", "partial") and a == zipped):
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{a}.ipynb")

    # the JupyterHub route: release to an exchange, a student fetches, answers, submits
    hub = "hw1-handshake-close"
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    env["TCPLAB_EXCHANGE"] = str(exchange)            # read by course/nbgrader_config.py
    student_opts = ["--course", "tcplab", f"--Exchange.root={exchange}"]
    home = tmp / "student-home"
    home.mkdir()
    nbgrader_cmd(["release_assignment", hub, "--force"], root, env)
    nbgrader_cmd(["fetch_assignment", hub, *student_opts], home, env)
    fetched = home / hub / f"{hub}.ipynb"
    nbformat.write(correct_submission(hub, fetched), fetched)
    nbgrader_cmd(["submit", hub, *student_opts], home, env)
    before = {p.name for p in (root / "submitted").iterdir()}
    nbgrader_cmd(["collect", hub], root, env)
    (hub_student,) = {p.name for p in (root / "submitted").iterdir()} - before
    submissions[(hub_student, hub)] = None

    # "*": every assignment in one run (one start of nbgrader, ~2 s, instead of three)
    nbgrader_cmd(["autograde", "*", "--force"], root, env)
    nbgrader_cmd(["generate_feedback", "*", "--force"], root, env)
    nbgrader_cmd(["release_feedback", hub, "--student", hub_student], root, env)
    nbgrader_cmd(["fetch_feedback", hub, *student_opts], home, env)
    nbgrader_cmd(["export"], root, env)

    grades: dict[tuple[str, str], dict[str, float]] = {}
    totals: dict[tuple[str, str], float] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for (student, a) in submissions:
            sub = gb.find_submission(a, student)
            totals[(student, a)] = sub.score
            grades[(student, a)] = autograded(sub)
    return {"root": root, "home": home, "hub_student": hub_student, "grades": grades,
            "totals": totals}


# --------------------------------------------------------------------------- the source

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_has_solutions_hidden_tests_metadata_and_points(assignment):
    nb = source_notebook(assignment)
    ids = [_nb_meta(c)["grade_id"] for c in nb.cells if _nb_meta(c)]
    assert len(ids) == len(set(ids)), "grade ids are unique"
    for cell in nb.cells:
        meta = _nb_meta(cell)
        text = cell.source
        if "### BEGIN SOLUTION" in text or "### BEGIN HIDDEN TESTS" in text:
            assert meta, "markers only in cells with nbgrader metadata"
        if not meta:
            continue
        assert meta["schema_version"] == 3 and set(meta) >= {
            "grade", "grade_id", "locked", "solution", "task"}
        if cell.cell_type == "markdown" and meta["grade"]:
            # explain in words: an answer graded by hand, its model answer in the source
            # (generate_assignment replaces the whole cell), a read-only rubric before it
            assert meta["solution"] and not meta["locked"] and meta["points"] > 0
            assert text.startswith("*Model answer") and len(text) > 300
            rubric = nb.cells[nb.cells.index(cell) - 1]
            assert _nb_meta(rubric)["locked"] and "points" in rubric.source
            continue
        if meta["solution"]:
            assert not meta["grade"] and not meta["locked"]
            assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text
        if meta["grade"]:
            assert meta["locked"] and not meta["solution"] and meta["points"] > 0
            assert "### BEGIN HIDDEN TESTS" in text, f"{meta['grade_id']} has hidden tests"
            visible = text.split("### BEGIN HIDDEN TESTS")[0]
            assert "assert" in visible, f"{meta['grade_id']} has visible tests"
    # parts are graded separately: several test cells, points for each
    assert len(max_points(assignment)) >= 4
    assert list(hand_points(assignment).values()) == [2.0]
    # executed top to bottom (nbval checks the saved outputs of executed cells)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not any(o.output_type == "error" for c in code for o in c.outputs)


def test_state_machine_homework_asks_for_the_cells_of_the_conformance_matrix():
    from tcplab import conformance
    nb = source_notebook("hw3-state-machine")
    (cell,) = [c for c in nb.cells if _nb_meta(c).get("grade_id") == "my-table"]
    # the table to fill in is the one the library checks: tcplab.conformance.skeleton()
    assert cell.source.startswith(conformance.skeleton() + "\n")
    assert max_points("hw3-state-machine") == {
        "test-opening": 3.0, "test-active-close": 3.0, "test-simultaneous-close": 2.0,
        "test-time-wait": 2.0}
    assert {g: m for g, (_, m) in conformance.check_table({}).scores().items()} == {
        "opening": 3.0, "active close": 3.0, "simultaneous close": 2.0, "time-wait": 2.0}


# --------------------------------------------------------------------------- release

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_and_no_hidden_test(course, assignment):
    release = course["root"] / "release" / assignment / f"{assignment}.ipynb"
    text = release.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    source = source_notebook(assignment)
    secret, public = [], []
    for cell in source.cells:
        secret += _regions(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
        secret += _regions(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        outside = re.sub(r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", "", cell.source,
                         flags=re.S)
        public += outside.splitlines()
    nb = nbformat.read(release, as_version=4)
    released = "\n".join(c.source for c in nb.cells)
    leaked = [line for line in secret if line.strip() and line not in public
              and line.strip() in released]
    assert not leaked, f"solution or hidden-test lines in the release: {leaked}"
    assert "Model answer" not in released           # the explain answers' model answers
    for cell in nb.cells:
        if _nb_meta(cell).get("solution") and cell.cell_type == "markdown":
            assert cell.source == "YOUR ANSWER HERE"
        elif _nb_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source
        if cell.cell_type == "code":
            assert not cell.outputs, "the release has no outputs"


# --------------------------------------------------------------------------- autograde

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_correct_submission_gets_full_marks(course, assignment):
    assert course["grades"][("correct", assignment)] == max_points(assignment)
    assert course["totals"][("correct", assignment)] == sum(max_points(assignment).values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_empty_submission_gets_zero(course, assignment):
    assert course["grades"][("empty", assignment)] == {k: 0.0 for k in max_points(assignment)}
    assert course["totals"][("empty", assignment)] == 0.0
    autograded = course["root"] / "autograded" / "empty" / assignment / f"{assignment}.ipynb"
    assert autograded.exists(), "the empty submission was graded through (no crash)"


@pytest.mark.parametrize("assignment", sorted(PARTIAL))
def test_one_wrong_part_loses_that_part_only(course, assignment):
    lost = PARTIAL[assignment][2]
    expected = {k: v - lost.get(k, 0.0) for k, v in max_points(assignment).items()}
    assert course["grades"][("partial", assignment)] == expected


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_wrong_state_machine_loses_its_points(course, variant):
    a = "hw3-state-machine"
    lost = VARIANTS[variant][2]
    expected = {k: v - lost.get(k, 0.0) for k, v in max_points(a).items()}
    assert course["grades"][(variant, a)] == expected
    assert course["totals"][(variant, a)] == sum(max_points(a).values()) - sum(lost.values())


# --------------------------------------------------------------------------- feedback

def test_feedback_is_generated_for_every_submission(course):
    root = course["root"]
    for student, a in course["grades"]:
        page = root / "feedback" / student / a / f"{a}.html"
        assert page.exists(), page
    good = (root / "feedback" / "correct" / "hw3-state-machine" /
            "hw3-state-machine.html").read_text()
    assert "10.0 / 12.0" in good          # 2 points to grade by hand
    wrong = (root / "feedback" / "no_time_wait" / "hw3-state-machine" /
             "hw3-state-machine.html").read_text()
    assert "9.0 / 12.0" in wrong
    # the student reads which cell is wrong, and the story that shows it
    assert "FIN-WAIT-2" in wrong and "four-way close" in wrong and "✘" in wrong


# --------------------------------------------------------------------------- the routes

def test_hub_route_release_fetch_submit_collect_grade_and_feedback(course):
    a = "hw1-handshake-close"
    assert course["grades"][(course["hub_student"], a)] == max_points(a)
    fetched = list((course["home"] / a / "feedback").glob(f"*/{a}.html"))
    assert len(fetched) == 1 and "9.0 / 11.0" in fetched[0].read_text()


def test_zip_collect_sorted_the_files_into_submissions(course):
    a = "hw2-stale-syn-2msl"
    for student in ("empty", "partial"):
        assert (course["root"] / "submitted" / student / a / f"{a}.ipynb").exists()
    assert (course["root"] / "downloaded" / a / "extracted").is_dir()


def test_export_writes_the_gradebook_as_csv(course):
    with open(course["root"] / "grades.csv", newline="") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    assert set(rows) >= set(course["totals"])     # (and a 0 for every missing submission)
    for key, total in course["totals"].items():
        assert float(rows[key]["score"]) == total
        assert float(rows[key]["max_score"]) == sum(max_points(key[1]).values()) + sum(
            hand_points(key[1]).values())


# --------------------------------------------------------------------------- tcplab.conformance
# (fast: no nbgrader) the matrix behind the state-machine homework

def _library_table():
    from tcplab import conformance
    return {c.key: (str(c.expected.target), c.expected.action) for c in conformance.CELLS}


def test_conformance_full_marks_for_rfc_9293s_own_cells_in_any_spelling():
    from tcplab import Event, Flag, State, conformance
    report = conformance.check_table(_library_table())
    assert report.score() == report.max_score() == 10.0
    assert all(r.right and not r.differs for r in report.results)
    assert "10 of 10 points" in report.text() and "✘" not in report.text()
    # enums, a list of rows, flags, lower case and underscores read the same
    rows = [(c.state, c.event, c.expected.target,
             Flag.ACK if c.expected.action == "ACK" else c.expected.action)
            for c in conformance.CELLS]
    rows[0] = ("listen", "syn", "syn_received", Flag.SYN | Flag.ACK)
    assert conformance.check_table(rows).score() == 10.0
    assert conformance.check_table({(State.TIME_WAIT, Event.TIMEOUT_2MSL): "CLOSED"}
                                   ).cell("TIME-WAIT", "2MSL").right


def test_conformance_each_cell_has_a_story_that_passes_through_it_and_shows_any_wrong_state():
    from tcplab import State, conformance
    for cell in conformance.CELLS:
        expected = conformance.check_table({}).cell(cell.state, cell.event).expected
        host = expected.net.hosts[cell.host]
        assert any(t.source is cell.state and t.event is cell.event for t in host.transitions)
        for wrong in State:
            if wrong is cell.expected.target:
                continue
            table = _library_table()
            table[cell.key] = (wrong, cell.expected.action)
            r = conformance.check_table(table).cell(cell.state, cell.event)
            assert r.verdict == "wrong" and r.points == 0
            assert r.differs and not r.yours.error, (cell, wrong)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_conformance_wrong_variants_lose_their_cell_and_show_the_story(variant):
    from tcplab import conformance
    old, new, lost = VARIANTS[variant]
    table = _library_table()
    key = {"two_way": ("LISTEN", "SYN"), "no_time_wait": ("FIN-WAIT-2", "FIN"),
           "ignores_fin_ack": ("FIN-WAIT-1", "FIN+ACK")}[variant]
    if new:
        table[key] = (new.split(":")[1].split('"')[1], table[key][1])
    else:
        del table[key]
    report = conformance.check_table(table)
    assert report.score() == 10.0 - sum(lost.values())
    (wrong,) = report.wrong()
    assert wrong.cell.key == key and wrong.differs
    text = wrong.explanation()
    assert f"Story '{wrong.story.name}'" in text
    html = report._repr_html_()
    assert html.count("<img") == 2 and "data:image/svg+xml;base64," in html
    assert "<svg" in wrong.ladder().svg() and "<svg" in wrong.expected_ladder().svg()
    if variant == "two_way":
        assert "B went CLOSED → LISTEN → ESTABLISHED" in text
    if variant == "no_time_wait":
        assert "FIN-WAIT-2 → CLOSED" in text
    if variant == "ignores_fin_ack":
        assert wrong.verdict == "missing" and "ignores the event 'FIN+ACK'" in text


def test_conformance_half_a_point_when_only_what_is_sent_is_wrong_and_reveal_false():
    from tcplab import conformance
    table = _library_table()
    table[("TIME-WAIT", "FIN")] = ("TIME-WAIT", "")          # forgets to acknowledge
    report = conformance.check_table(table, reveal=False)
    r = report.cell("TIME-WAIT", "FIN")
    assert r.verdict == "half" and r.points == 0.5 and report.score("time-wait") == 1.5
    assert report.scores()["time-wait"] == (1.5, 2.0)
    # without reveal the report says what goes wrong, not the answer
    assert "RFC 9293" not in report.text() and "sends ACK" not in r.explanation()
    assert report._repr_html_().count("<img") == 1


def test_conformance_reads_bad_tables_without_crashing():
    from tcplab import conformance
    with pytest.raises(TypeError, match="dict"):
        conformance.check_table("LISTEN -> SYN-RECEIVED")
    skeleton = eval(conformance.skeleton().split("=", 1)[1])      # the unfilled template
    report = conformance.check_table(skeleton)
    assert report.score() == 0 and {r.verdict for r in report.results} == {"unreadable"}
    assert "not filled in yet" in report.text()
    report = conformance.check_table({("LISTEN", "SYN"): ("SYN-RCVD?", "SYN+ACK"),
                                      ("LISTEN", "FIN"): ("CLOSED", ""),
                                      ("ESTABLISHED", "FIN"): ("CLOSE-WAIT", "ACK"),
                                      ("NOWHERE", "SYN"): ("LISTEN", "")})
    assert report.cell("LISTEN", "SYN").verdict == "unreadable"
    assert len(report.notes) == 3 and report.score() == 0


def test_table_endpoint_ignores_events_without_a_cell_and_refuses_calls():
    from tcplab import Event, IllegalEvent, State, conformance
    net = conformance.play({("LISTEN", "SYN"): None}, "handshake")
    assert net.hosts["B"].state is State.LISTEN            # the SYN was ignored
    endpoint = conformance.TableEndpoint("X", {(State.CLOSED, Event.CONNECT): None})
    with pytest.raises(IllegalEvent):
        endpoint.connect("Y")
    assert endpoint.state is State.CLOSED
