"""``tcplab-grade``: a class of hw1-handshake-close graded in one run, and the repairs.

The class is a table (:data:`CLASS`): a student's name, how their hand-in is made from
the right answers (``correct_submission``, built from the source's solution regions, so
no hidden test's code is assumed here) or from the release, and what the report must
say: status, score, a piece of the notes.  To add a student, add a line.

It is a class of variants: each student's numbers come from their nbgrader id, which
tcplab-grade tells each kernel; answers typed as one's own numbers get full marks, a
classmate's numbers (copied, or worked with the classmate's id, or with the grader's
environment variable set by a cell) get 0 in those cells, and the report says whose
numbers a notebook worked with.  Question 5 (in words) is graded by hand: until it is, the
report says so and the score is the autograded part; once it is, a second run gives the
whole grade.

The class runs once per module (``graded``, slow: nbgrader in a temporary course), with
small limits written into that course's ``nbgrader_config.py``: 3 s per cell, 10 s per
notebook, 20 kB of output per cell.  The repairs are also tested alone, on small
synthetic notebooks, without nbgrader (fast).
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat
import pytest

from test_course import COURSE, GENERATED, _env, correct_submission, nbgrader_cmd
import test_tricks
from tcplab.grade import cli, logs, outputs, repair, report, settings, submissions, whose
from tcplab.grade.cells import meta as _nb_meta
from tcplab.grading.variants import seed_for
from tcplab.homework import hw1, student
from tcplab.homework.student import canonical

A = "hw1-handshake-close"
FULL = 9.0           # the autograded points; question 5 (2 points) is graded by hand
MAX = 11.0
HAND_POINTS = 2.0
CELL_BYTES, NOTEBOOK_BYTES = 20_000, 100_000
LIMITS = f"""
# the class test's limits (tests/test_grade.py)
c.Execute.timeout = 3
c.TcplabGrade.notebook_timeout = 10
c.TcplabGrade.cell_output_bytes = {CELL_BYTES}
c.TcplabGrade.notebook_output_bytes = {NOTEBOOK_BYTES}
"""


# --------------------------------------------------------------------------- hand-ins

def _cell(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if _nb_meta(c).get("grade_id") == grade_id)


def _answer(nb, grade_id: str, text: str):
    nb = copy.deepcopy(nb)
    nb["cells"][_cell(nb, grade_id)]["source"] = text
    return nb


def _prepend(nb, grade_id: str, code: str):
    nb = copy.deepcopy(nb)
    cell = nb["cells"][_cell(nb, grade_id)]
    cell["source"] = code + "\n" + cell["source"]
    return nb


def _duplicate(nb, release, grade_id: str, answer_in_copy: bool):
    """JupyterLab's copy and paste: two cells with one nbgrader id, one answered."""
    nb = copy.deepcopy(nb)
    i = _cell(nb, grade_id)
    answered, blank = nb["cells"][i], copy.deepcopy(release["cells"][_cell(release, grade_id)])
    blank["id"] = "pasted01"
    nb["cells"][i:i + 1] = [blank, answered] if answer_in_copy else [answered, blank]
    return nb


def _split(nb, grade_id: str):
    """JupyterLab's split: the answer cell cut in two, both halves keep the metadata."""
    nb = copy.deepcopy(nb)
    i = _cell(nb, grade_id)
    lines = nb["cells"][i]["source"].splitlines()
    top, bottom = copy.deepcopy(nb["cells"][i]), copy.deepcopy(nb["cells"][i])
    top["source"], bottom["source"] = "\n".join(lines[:2]), "\n".join(lines[2:])
    bottom["id"] = "split001"
    nb["cells"][i:i + 1] = [top, bottom]
    return nb


def _retyped(nb, grade_id: str):
    nb = copy.deepcopy(nb)
    cell = nb["cells"][_cell(nb, grade_id)]
    cell["cell_type"] = "markdown"
    del cell["outputs"], cell["execution_count"]
    return nb


def _deleted(nb, grade_id: str):
    nb = copy.deepcopy(nb)
    del nb["cells"][_cell(nb, grade_id)]
    return nb


def _moved_answer(nb, grade_id: str):
    """The answer cell deleted, its answer typed into a new cell of the student's own."""
    nb = copy.deepcopy(nb)
    i = _cell(nb, grade_id)
    nb["cells"][i] = nbformat.v4.new_code_cell(nb["cells"][i]["source"], id="mine0001")
    return nb


def _loops(nb, n: int):
    """``n`` extra cells that never end: each stopped by the limit per cell."""
    nb = copy.deepcopy(nb)
    for k in range(n):
        nb["cells"].insert(2, nbformat.v4.new_code_cell("while True:\n    pass",
                                                        id=f"loop{k:04d}"))
    return nb


def _saved_output(nb, grade_id: str, text: str):
    nb = copy.deepcopy(nb)
    nb["cells"][_cell(nb, grade_id)]["outputs"] = [
        nbformat.v4.new_output("stream", name="stdout", text=text)]
    return nb


def _seed(student: str) -> int:
    return seed_for(canonical(student), "hw1")


def _copied(student: str) -> float:
    """What "honest"'s numbers earn ``student``: question 4's point if their MSLs agree."""
    return float(hw1.msl(_seed(student)) == hw1.msl(_seed("honest")))


def _literal(nb, seed: int):
    """Every answer typed as the number of the variant ``seed`` (not as x + 1 ...)."""
    right = hw1.answers(seed)
    for gid in ("q1-answer", "q2-answer", "q3-answer", "q4-answer"):
        names = re.findall(r"^(q\w+)\s*=", _source(nb, gid), flags=re.M)
        nb = _answer(nb, gid, "\n".join(f"{n} = {right[n]!r}" for n in dict.fromkeys(names)))
    return nb


def _source(nb, grade_id: str) -> str:
    source = nb["cells"][_cell(nb, grade_id)]["source"]
    return "".join(source) if isinstance(source, list) else source


def _id_line(nb, code: str, shown: dict | None = None):
    """The student_id cell replaced by ``code``; ``shown``: the setup cell's saved
    who-am-I output, as if the student had run the notebook."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb["cells"] if c.get("id") == "student-id")
    cell["source"] = code
    if shown is not None:
        nb["cells"][_cell(nb, "setup")]["outputs"] = [nbformat.v4.new_output(
            "display_data", data={"text/plain": "(who)", student.MIME: shown})]
    return nb


def _dumps(nb) -> bytes:
    return json.dumps(nb, indent=1).encode()


@dataclass
class Student:
    """A student of the class: their files (name -> bytes) and what the report says."""
    files: Callable[[dict, dict], dict[str, bytes]]
    status: str
    score: float | None
    note: str = ""
    by_hand: bool = True       # question 5 awaits its points (not if left unanswered)


def _as(name: str, make) -> Callable[[dict, dict], dict[str, bytes]]:
    return lambda good, release: {name: _dumps(make(good, release))}


def _nb(make) -> Callable[[dict, dict], dict[str, bytes]]:
    return _as(f"{A}.ipynb", make)


G, R, N = report.GRADED, report.REPAIRED, report.NOT_GRADED
CLASS: dict[str, Student] = {
    "honest": Student(_nb(lambda g, r: _id_line(g, 'student_id = "honest"')), G, FULL),
    "empty": Student(_nb(lambda g, r: r), G, 0.0, by_hand=False),
    "wrong": Student(_nb(lambda g, r: _answer(_answer(g, "q1-answer",
                     "q1_syn_ack_ack = q1_third_seq = q1_third_ack = 0"),
                     "q4-answer", "q4_closed = 4.0")), G, 5.0),
    "partial": Student(_nb(lambda g, r: _answer(g, "q2-answer", "q2_u = q2_ack = 7")),
                       G, 7.0),
    "dup_answer_in_copy": Student(_nb(lambda g, r: _duplicate(g, r, "q1-answer", True)),
                                  R, FULL, "the copy holding the answer was kept"),
    "dup_answer_in_original": Student(_nb(lambda g, r: _duplicate(g, r, "q3-answer", False)),
                                      R, FULL, "the copy holding the answer was kept"),
    "split": Student(_nb(lambda g, r: _split(g, "q1-answer")), R, FULL, "joined into one"),
    "markdown": Student(_nb(lambda g, r: _retyped(g, "q2-answer")), R, FULL,
                        "made a code cell again"),
    "no_test_cell": Student(_nb(lambda g, r: _deleted(g, "q2-u")), R, FULL,
                            "test cell q2-u (1 point) had been deleted: it was put back "
                            "from the release"),
    "no_setup_cell": Student(_nb(lambda g, r: _deleted(g, "setup")), R, FULL,
                             "read-only cell setup had been deleted"),
    "tamper": Student(_nb(lambda g, r: _answer(
        _answer(g, "q1-third-seq", "pass  # no test here"), "q1-answer",
        "q1_syn_ack_ack = (x + 1) % 2**32\nq1_third_seq = 0\nq1_third_ack = (y + 1) % 2**32")),
        R, 8.0, "the student changed the test cell q1-third-seq"),
    "copy1": Student(_as(f"{A}-Copy1.ipynb", lambda g, r: g), R, FULL,
                     f"handed in as {A}-Copy1.ipynb"),
    "cut_off": Student(lambda g, r: {f"{A}.ipynb": _dumps(g)[:5000]}, N, None,
                       "cut off while saving or uploading"),
    "two_notebooks": Student(lambda g, r: {"mine.ipynb": _dumps(g), "mine-v2.ipynb": _dumps(r)},
                             N, None, "2 notebooks and none named"),
    "no_notebook": Student(lambda g, r: {"notes.txt": b"I forgot"}, N, None, "no notebook"),
    "big_print": Student(_nb(lambda g, r: _saved_output(
        _prepend(g, "q4-answer", "print('x' * 50_000_000)"), "q4-answer", "y" * 200_000)),
        R, FULL, "was cut to the byte limit in the graded copy"),
    "endless": Student(_nb(lambda g, r: _prepend(g, "q4-answer", "while True:\n    pass")),
                       G, 8.0, "q4-answer ran longer than the limit per cell (3 s"),
    "crash": Student(_nb(lambda g, r: _prepend(g, "q3-answer", "import os\nos._exit(1)")),
                     N, None, "Kernel died"),
    "answer_elsewhere": Student(_nb(lambda g, r: _moved_answer(g, "q2-answer")), R, FULL,
                                "answer cell q2-answer had been deleted: it was put back empty"),
    "hog": Student(_nb(lambda g, r: _loops(g, 5)), N, None,
                   "ran longer than 10 s in all"),
    # a class of variants: each student's numbers are their own.  Typed as numbers, one's
    # own are right; "honest"'s, copied, are wrong in every cell (question 4's too, unless
    # the two MSLs happen to be the same), however the notebook was made to work as "honest"
    "own_numbers": Student(_nb(lambda g, r: _literal(_id_line(g, 'student_id = "Own Numbers"'),
                                                     _seed("own_numbers"))), G, FULL),
    "works_as_honest": Student(_nb(lambda g, r: _literal(_id_line(
        g, 'student_id = "honest"', {"homework": "hw1", "student": "honest", "how": "written"}),
        _seed("honest"))), G, _copied("works_as_honest"),
        "worked as honest (the numbers of another student id): "
                                   "graded against the numbers of works_as_honest"),
    "sets_the_graders_id": Student(_nb(lambda g, r: _literal(_id_line(
        g, 'import os\nos.environ["TCPLAB_GRADED_STUDENT"] = os.environ["JUPYTERHUB_USER"] '
           '= "honest"\nstudent_id = "honest"'), _seed("honest"))), G,
        _copied("sets_the_graders_id"),
        "worked as honest (the student_id line"),
}


def _trick(tricks: str, answers) -> Callable[[dict, dict], dict[str, bytes]]:
    return _nb(lambda g, r: test_tricks.played(nbformat.from_dict(copy.deepcopy(g)), A,
                                               tricks, answers))


# every trick of tests/test_tricks.py on homework 1: with wrong answers not a point, with
# right answers (of exact types) every point
CLASS.update({f"trick_{name}": Student(_trick(tricks, answers), G,
                                       FULL if answers == "right" else 0.0)
              for name, (hw, tricks, answers) in test_tricks.STUDENTS.items() if hw == A})


# --------------------------------------------------------------------------- the class run

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A temporary course: hw1 generated, the class handed in, ONE tcplab-grade run."""
    tmp = tmp_path_factory.mktemp("grade")
    root = tmp / "course"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns(*GENERATED))
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(LIMITS)
    env = _env(tmp)
    nbgrader_cmd(["generate_assignment", A, "--force"], root, env)
    release_path = root / "release" / A / f"{A}.ipynb"
    good = json.loads(json.dumps(correct_submission(A, release_path)))
    release = json.loads(release_path.read_text())
    for name, student in CLASS.items():
        folder = root / "submitted" / name / A
        folder.mkdir(parents=True)
        for file, data in student.files(good, release).items():
            (folder / file).write_bytes(data)
        (folder / "timestamp.txt").write_text("2026-12-04 10:00:00.000000 UTC")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tcplab.grade.cli", A], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(root / "grades" / f"{A}.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    print(f"\nthe class of {len(CLASS)} graded in {seconds:.1f} s\n{proc.stdout}")
    return {"root": root, "rows": rows, "out": proc.stdout, "err": proc.stderr, "env": env,
            "log": (root / "grades" / f"{A}.log").read_text(), "seconds": seconds}


def _status(s: Student) -> str:
    """What the report says before question 5 is graded by hand: not finished."""
    if not s.by_hand:
        return s.status
    return {G: report.HAND, R: f"{R}, {report.HAND}"}.get(s.status, s.status)


def test_every_student_is_in_the_report_with_status_score_and_notes(graded):
    rows = graded["rows"]
    assert set(rows) == set(CLASS)
    wrong = {}
    for name, s in CLASS.items():
        row = rows[name]
        score = float(row["score"]) if row["score"] else None
        if (row["status"], score) != (_status(s), s.score) or s.note not in row["notes"]:
            wrong[name] = (row["status"], row["score"], row["notes"])
    assert not wrong, wrong
    assert list(rows["honest"]) == ["student", "score", "max_score", "status", "notes"]
    assert all(r["max_score"] == "11" for r in rows.values() if r["status"] != N)


def test_points_to_grade_by_hand_are_named_and_the_score_is_the_autograded_part(graded):
    for name, row in graded["rows"].items():
        if CLASS[name].by_hand and row["status"] != N:
            assert row["notes"].startswith(
                "2 points to grade by hand in Formgrader (q5-why-2msl (2)); the score is the "
                "autograded part, of 9 points"), name
    assert f"{FULL:g}/{MAX:g} auto  {report.HAND}" in graded["out"]


def test_each_student_is_graded_against_their_own_numbers(graded):
    """The graded notebook shows the student's own ISNs, whoever the notebook named; two
    students' numbers differ."""
    shown = {}
    for name, s in CLASS.items():
        if s.status == N:
            continue
        nb = json.loads((graded["root"] / "autograded" / name / A / f"{A}.ipynb").read_text())
        setup = nb["cells"][_cell(nb, "setup")]
        out = "".join("".join(o.get("text", "")) for o in setup["outputs"])
        x, y = (int(v) for v in re.findall(r"sequence number: [xy] = (\d+)", out))
        assert (x, y) == hw1.isns(_seed(name)), name
        shown[name] = (x, y)
    assert len(set(shown.values())) == len(shown) > 20


def test_no_failure_is_a_silent_zero(graded):
    for name, row in graded["rows"].items():
        if row["status"] == N:
            assert row["score"] == "" and len(row["notes"]) > 20, name
        if row["status"] == R:
            assert row["notes"], name


def test_the_same_table_is_printed_with_a_progress_bar(graded):
    out, err = graded["out"], graded["err"]
    for name in CLASS:
        assert name in out
    assert f"{len(CLASS)} students: " in out and "grades/hw1-handshake-close.csv" in out
    assert "[" in err and f"/{len(CLASS) - 3} " in err      # three never reach nbgrader


def test_every_student_has_a_feedback_page(graded):
    root = graded["root"]
    for name, s in CLASS.items():
        page = (root / "feedback" / name / A / f"{A}.html").read_text()
        if s.status == N:
            assert "not graded" in page and "Hand in the notebook again" in page, name
        else:
            assert f"{s.score:.1f} / 11.0" in page, name


def test_a_page_also_goes_under_the_name_of_the_notebook_handed_in(graded):
    # nbgrader's fetch_feedback looks for the page by the name of the student's notebook
    folder = graded["root"] / "feedback"
    assert (folder / "copy1" / A / f"{A}-Copy1.html").read_text() == (
        folder / "copy1" / A / f"{A}.html").read_text()
    assert "not graded" in (folder / "two_notebooks" / A / "mine-v2.html").read_text()
    stamp = graded["root"] / "submitted" / "honest" / A / "timestamp.txt"
    assert (folder / "honest" / A / "timestamp.txt").read_text() == stamp.read_text()


def test_the_gradebook_holds_every_graded_student(graded):
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}") as gb:
        for name, s in CLASS.items():
            gb.find_student(name)                       # Formgrader lists everyone
            if s.status != N:
                assert gb.find_submission(A, name).score == s.score, name
            else:                 # not even the part of the notebook graded before a stop
                with pytest.raises(MissingEntry):
                    gb.find_submission(A, name)
                assert not (graded["root"] / "autograded" / name / A).exists()


def test_outputs_are_capped_in_bytes_in_the_graded_copy_and_the_feedback(graded):
    root = graded["root"]
    graded_nb = root / "autograded" / "big_print" / A / f"{A}.ipynb"
    page = root / "feedback" / "big_print" / A / f"{A}.html"
    assert graded_nb.stat().st_size < 2 * NOTEBOOK_BYTES
    assert page.stat().st_size < 2 * NOTEBOOK_BYTES + 1_000_000     # the page's own CSS
    assert outputs.MARK in graded_nb.read_text() and outputs.MARK in page.read_text()
    checked = root / "checked" / "big_print" / A / f"{A}.ipynb"
    assert checked.stat().st_size < 2 * NOTEBOOK_BYTES        # the saved 200 kB cut too


def test_the_students_originals_are_untouched(graded):
    original = graded["root"] / "submitted" / "dup_answer_in_copy" / A / f"{A}.ipynb"
    ids = [_nb_meta(c).get("grade_id") for c in json.loads(original.read_text())["cells"]]
    assert ids.count("q1-answer") == 2


def test_the_log_keeps_only_the_real_checksum_warning(graded):
    log = graded["log"]
    warnings = [line for line in log.splitlines() if "Attribute 'checksum'" in line]
    assert len(warnings) == 1 and "q1-third-seq" in warnings[0], warnings
    section = log.split("===== tamper")[1].split("=====")[0]
    assert "q1-third-seq" in section
    assert "SAWarning" not in log + graded["err"] and "not in session" not in log
    assert "look at: tamper: " in graded["out"]


def test_a_refused_answer_says_why_in_the_graded_notebook(graded):
    graded_nb = graded["root"] / "autograded" / "trick_int-equal-to-all" / A / f"{A}.ipynb"
    text = graded_nb.read_text()
    assert "your own class Anything (made from int)" in text and "look-alike" in text


def test_the_class_run_stays_lean(graded):
    # 30 students, two of them stopped by the time limits (3 s and 10 s)
    assert graded["seconds"] < 150, graded["seconds"]


def test_the_autograded_part_becomes_the_grade_once_graded_by_hand(graded):
    """The lecturer grades question 5 in Formgrader, then runs tcplab-grade again: the
    student's grade is whole, the manual points are kept."""
    from nbgrader.api import Gradebook
    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q5-why-2msl", A, A, "honest")
        grade.manual_score = 1.5
        gb.db.commit()
    proc = subprocess.run([sys.executable, "-m", "tcplab.grade.cli", A, "--student",
                           "honest"], cwd=root, env=graded["env"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(root / "grades" / f"{A}.csv", newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["student"], row["score"], row["status"]) == ("honest", "10.5", G)
    assert "by hand" not in row["notes"]


# --------------------------------------------------------------------------- fast: repairs

def _meta(gid, solution=False, locked=False, grade=False, points=None):
    m = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3,
         "solution": solution, "task": False}
    if points:
        m["points"] = points
    return {"nbgrader": m}


def _code(source, cell_id, **meta):
    return {"cell_type": "code", "id": cell_id, "source": source, "outputs": [],
            "execution_count": None, "metadata": _meta(**meta) if meta else {}}


def _release():
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        _code("import math", "s0", gid="setup", locked=True),
        _code("answer = ...\nraise NotImplementedError()", "a1", gid="ans", solution=True),
        _code("assert answer == 2", "t1", gid="test", locked=True, grade=True, points=1),
        {"cell_type": "markdown", "id": "m1", "source": "The end.", "metadata": {}},
    ]}


def _ids(nb):
    return [(c["cell_type"], _nb_meta(c).get("grade_id")) for c in nb["cells"]]


def _answered(text="answer = 2"):
    nb = _release()
    nb["cells"][1]["source"] = text
    return nb


def test_repair_leaves_a_clean_notebook_alone():
    fixed = repair.repair(_answered(), _release(), 1000, 10_000)
    assert fixed.nb == _answered() and fixed.notes == [] and fixed.edited_locked == set()


@pytest.mark.parametrize("answer_first", [True, False])
def test_repair_keeps_the_copy_of_a_duplicated_answer_cell_that_holds_the_answer(answer_first):
    nb = _answered()
    blank = copy.deepcopy(_release()["cells"][1])
    nb["cells"].insert(2 if answer_first else 1, blank)
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert _ids(fixed.nb) == _ids(_release())
    assert fixed.nb["cells"][1]["source"] == "answer = 2"
    assert "there 2 times" in fixed.notes[0] and "holding the answer" in fixed.notes[0]


def test_repair_joins_a_split_answer_cell_in_order():
    nb = _answered("a = 1")
    second = copy.deepcopy(nb["cells"][1])
    second["source"], second["id"] = "answer = a + 1", "a2"
    nb["cells"].insert(2, second)
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert fixed.nb["cells"][1]["source"] == "a = 1\nanswer = a + 1"
    assert "joined into one" in fixed.notes[0]


def test_repair_keeps_one_copy_of_a_duplicated_test_cell():
    nb = _answered()
    nb["cells"].insert(3, copy.deepcopy(nb["cells"][2]))
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert _ids(fixed.nb) == _ids(_release()) and "test cell test (1 point)" in fixed.notes[0]


def test_repair_makes_a_graded_cell_a_code_cell_again():
    nb = _answered()
    nb["cells"][1] = {"cell_type": "markdown", "id": "a1", "source": "answer = 2",
                      "metadata": nb["cells"][1]["metadata"]}
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    cell = fixed.nb["cells"][1]
    assert cell["cell_type"] == "code" and cell["outputs"] == [] and "execution_count" in cell
    assert "made a markdown cell" in fixed.notes[0]


@pytest.mark.parametrize("gone", [0, 1, 2])
def test_repair_puts_a_deleted_cell_back_from_the_release_in_its_place(gone):
    nb = _answered()
    del nb["cells"][gone]
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert _ids(fixed.nb) == _ids(_release())
    assert "had been deleted: it was put back" in fixed.notes[0]
    assert len({c["id"] for c in fixed.nb["cells"]}) == 4
    assert ("put back empty" in fixed.notes[0]) == (gone == 1)
    if gone == 1:                # an answer written elsewhere is not overwritten by "..."
        assert "NotImplementedError" not in fixed.nb["cells"][1]["source"]
    else:
        assert fixed.nb["cells"][gone] == _release()["cells"][gone]


def test_a_cell_put_back_into_an_older_notebook_format_has_no_id():
    nb = _answered()
    nb["nbformat_minor"] = 4                     # saved by an older Jupyter: no cell ids
    for cell in nb["cells"]:
        del cell["id"]
    del nb["cells"][2]
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert _ids(fixed.nb) == _ids(_release()) and not any("id" in c for c in fixed.nb["cells"])


def test_repair_reports_a_changed_test_cell():
    nb = _answered()
    nb["cells"][2]["source"] = "pass"
    fixed = repair.repair(nb, _release(), 1000, 10_000)
    assert fixed.edited_locked == {"test"} and "changed the test cell test" in fixed.notes[0]


def test_outputs_are_cut_in_bytes_per_cell_and_per_notebook():
    nb = _answered()
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout",
                                  "text": "é" * 5000}]
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ok\n"},
                                 {"output_type": "display_data", "metadata": {},
                                  "data": {"image/png": "A" * 3000}}]
    fixed = repair.repair(nb, _release(), 1000, 1600)
    first, second = fixed.nb["cells"][1]["outputs"], fixed.nb["cells"][2]["outputs"]
    assert sum(map(outputs.size, first)) <= 1000 and outputs.MARK in first[0]["text"]
    assert first[0]["text"].startswith("é" * 100)                   # whole characters
    assert second[0]["text"] == "ok\n" and outputs.MARK in second[1]["text"]
    assert "per notebook" in second[1]["text"]
    assert len(fixed.notes) == 2 and "cut to the limit of 1,000 bytes per cell" in fixed.notes[0]


# --------------------------------------------------------------------------- fast: the rest

def test_the_report_marks_a_score_that_lacks_its_points_to_grade_by_hand():
    row = report.by_hand(report.Row("li_wei", R, 7.0, 11.0, ["a repair"]), [["q5-why", 2.0]])
    assert row.status == f"{R}, {report.HAND}" and row.notes[1] == "a repair"
    assert row.notes[0].startswith("2 points to grade by hand in Formgrader (q5-why (2)); "
                                   "the score is the autograded part, of 9 points")
    assert "7/11 auto  repaired, to grade by hand" in report.table([row])
    assert report.by_hand(report.Row("a", G, 9.0, 9.0), []).status == G


def _worked(code: str, shown: dict | None = None) -> dict:
    cell = nbformat.v4.new_code_cell(code, id="student-id")
    setup = nbformat.v4.new_code_cell("", id="s")
    if shown is not None:
        setup.outputs = [nbformat.v4.new_output("display_data", data={student.MIME: shown})]
    return json.loads(json.dumps({"cells": [cell, setup]}))


def test_the_note_says_whose_numbers_a_notebook_worked_with():
    assert whose.note(_worked('student_id = "Li Wei"'), "li_wei") is None
    assert whose.note(_worked('student_id = ""'), "li_wei") is None     # never run: no idea
    assert "worked as ben (the student_id line" in whose.note(_worked('student_id = "ben"'),
                                                               "li_wei")
    hub = {"homework": "hw1", "student": "ben", "how": "hub"}
    assert whose.note(_worked('student_id = ""', hub), "li_wei").startswith(
        "worked as ben (the numbers of another student id): graded against the numbers "
        "of li_wei")
    demo = {"homework": "hw1", "student": None, "how": "demo"}
    assert "worked as the demo student" in whose.note(_worked('student_id = ""', demo), "ana")
    graded = {"homework": "hw1", "student": "ben", "how": "grader"}     # an older run's
    assert whose.note(_worked('student_id = "li_wei"', graded), "li_wei") is None


def test_submissions_name_the_problem_for_lecturer_and_student(tmp_path):
    for student, files in {"a": {"x.ipynb": b"{", "y.ipynb": b"{"}, "b": {},
                           "c": {"hw.ipynb": b'{"cells": ['},
                           "d": {"other.ipynb": json.dumps(_release()).encode()},
                           "e": {"hw.ipynb": b'{"cells": []}'}}.items():
        folder = tmp_path / "submitted" / student / "hw"
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    found = {s.student: s for s in submissions.find(tmp_path, "hw")}
    assert "2 notebooks and none named hw.ipynb" in found["a"].problem.lecturer
    assert "no notebook" in found["b"].problem.lecturer
    assert "cut off" in found["c"].problem.lecturer and "hw.ipynb" in found["c"].problem.student
    assert found["d"].problem is None and found["d"].repairs == [
        "handed in as other.ipynb: graded as hw.ipynb"]
    assert "not a Jupyter notebook" in found["e"].problem.lecturer
    assert [s.student for s in submissions.find(tmp_path, "hw", ["d"])] == ["d"]


def test_log_filter_drops_false_checksum_warnings_and_keeps_a_real_one():
    text = ("[WARNING] Attribute 'checksum' for cell q1 has changed! (should be: 1, got: 2)\n"
            "[WARNING] Attribute 'checksum' for cell q2 has changed! (should be: 3, got: 4)\n"
            "SAWarning: Object of type <SubmittedAssignment> not in session\n"
            "[INFO] Writing 100 bytes")
    cleaned = logs.clean(text, {"q2"})
    assert cleaned.splitlines() == [text.splitlines()[1], "[INFO] Writing 100 bytes"]
    assert logs.real_checksum_warnings(cleaned) == [text.splitlines()[1]]


def test_limits_come_from_the_config_then_the_options(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Execute.timeout = 7\nc.TcplabGrade.notebook_timeout = 60\n")
    limits = settings.load(tmp_path, cell_output_bytes=500, notebook_timeout=None)
    assert (limits.cell_output_bytes, limits.notebook_timeout, limits.cell_timeout,
            limits.notebook_output_bytes) == (500, 60, 7, 1_000_000)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.TcplabGrade.speed = 1\n")
    with pytest.raises(ValueError, match="unknown TcplabGrade options: speed"):
        settings.load(tmp_path)


def test_without_nbgrader_the_command_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "nbgrader", None)
    assert cli.main([A]) == 2
    assert 'pip install -e ".[course]"' in capsys.readouterr().err


def test_the_command_refuses_a_folder_that_is_not_a_course(tmp_path, capsys):
    assert cli.main([A, "--course", str(tmp_path)]) == 1
    assert "not a course folder" in capsys.readouterr().err


def test_the_command_is_installed_with_tcplab():
    import tomllib
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["tcplab-grade"] == "tcplab.grade.cli:main"


def test_nothing_else_in_tcplab_imports_the_grading_command():
    root = Path(__file__).resolve().parents[1] / "tcplab"
    users = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if "grade" not in p.relative_to(root).parts[:1]
             and ("tcplab.grade" in p.read_text() or "from .grade" in p.read_text())]
    assert not users


def test_a_student_not_graded_reads_why_in_their_language(tmp_path, chinese):
    (tmp_path / "submitted" / "li_wei" / "hw-zh").mkdir(parents=True)
    (sub,) = submissions.find(tmp_path, "hw-zh")
    words = sub.problem.student
    assert "课程没有收到你的笔记本" in words and "hw-zh.ipynb" in words
    assert "no notebook" in sub.problem.lecturer              # the lecturer's report: English
    from tcplab.grade import feedback
    page = feedback.not_graded_page(tmp_path, "li_wei", "hw-zh", sub.problem.student)
    text = page.read_text()
    assert '<html lang="zh">' in text and "hw-zh：未评分" in text and "不是零分" in text


FAKE_WORKER = r"""
import json, os, subprocess, sys, time
job = json.load(sys.stdin)
for student in job["students"]:
    print(json.dumps({"student": student, "event": "start"}), flush=True)
    if student == "slow":          # a kernel of its own, then no end
        child = subprocess.Popen(["sleep", "60"], start_new_session=True)
        with open(job["pidfile"], "w") as f:
            f.write(str(child.pid))
        time.sleep(60)
    if student == "dies":
        os._exit(3)
    print(json.dumps({"student": student, "event": "done", "success": True}), flush=True)
"""


def test_a_stopped_or_dead_worker_takes_only_its_student_with_it(tmp_path, monkeypatch):
    from tcplab.grade import run

    def fake(course, job, errors):
        proc = subprocess.Popen([sys.executable, "-c", FAKE_WORKER], cwd=course,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=errors, start_new_session=True)
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
        return proc

    monkeypatch.setattr(run, "_start", fake)
    started = []
    job = {"students": ["a", "slow", "b", "dies", "c"], "pidfile": str(tmp_path / "pid")}
    with open(tmp_path / "errors", "w+") as errors:
        results = run.grade_all(tmp_path, job, 1.0, errors, started.append, jobs=1)
    assert started == job["students"]
    assert {s for s, r in results.items() if r.get("success")} == {"a", "b", "c"}
    assert results["slow"] == {"success": False, "timeout": 1.0}
    assert "exit code 3" in results["dies"]["error"]
    kernel = Path("/proc") / (tmp_path / "pid").read_text()
    for _ in range(50):                             # the stopped worker's child is gone
        try:
            if kernel.joinpath("stat").read_text().split()[2] == "Z":     # (unreaped)
                break
        except OSError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the stopped worker's child process still runs")
