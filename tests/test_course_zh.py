"""The homework in Chinese (course/source/<hw>-zh/): one source, the same grading.

Fast: each Chinese homework is what its catalogue (i18n/zh/course/<hw>.po) makes of the
English source notebook, every paragraph translated and keeping its code (the answer
variables a student must name); every English cell is there with the same nbgrader
metadata and, for code, the same source (setup, solutions, visible and hidden tests), and
the only cell added is the language cell.  Slow: an nbgrader round in a temporary course
folder — generate_assignment of the Chinese homework, a release without solutions or
hidden tests, and autograde of a filled-in Chinese submission (full marks), an empty one
(zero) and a partly right one (that part lost), with the English homework's points.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import test_course as tc  # noqa: E402  (tests/ is on sys.path: pytest's rootdir conftest)
from tools.i18n import course as course_i18n  # noqa: E402
from tools.i18n import notebooks as nbs  # noqa: E402

HOMEWORKS = course_i18n.homeworks([])
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_there_is_a_chinese_homework_for_each_catalogue():
    assert "hw1-handshake-close" in HOMEWORKS
    for hw in HOMEWORKS:
        assert hw in tc.ASSIGNMENTS and course_i18n.chinese_path(hw).exists(), hw


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_chinese_homework_is_its_catalogue_complete_and_up_to_date(hw):
    catalog = course_i18n.updated(hw)
    assert not nbs.missing(catalog), f"untranslated: {nbs.missing(catalog)[:3]}"
    assert course_i18n.po_path(hw).read_bytes() == nbs.po_bytes(catalog), \
        "the catalogue is not up to date with the English: python -m tools.i18n course"
    made = nbs._cells(course_i18n.chinese(hw, catalog))
    assert nbs._cells(nbs.read_notebook(course_i18n.chinese_path(hw))) == made, \
        "hand-edited or stale: python -m tools.i18n course"
    for message in catalog:
        if message.id:
            assert CJK.search(message.string), message.id
            for code in re.findall(r"`[^`]+`", message.id):
                assert code in message.string, (code, message.string)


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_chinese_homework_has_the_english_cells_grade_ids_points_and_hidden_tests(hw):
    english = nbformat.read(course_i18n.english_path(hw), as_version=4)
    chinese = nbformat.read(course_i18n.chinese_path(hw), as_version=4)
    by_id = {c.id: c for c in chinese.cells}
    assert [c.id for c in chinese.cells if c.id != nbs.LANGUAGE_CELL["id"]] == \
        [c.id for c in english.cells]
    for cell in english.cells:
        twin = by_id[cell.id]
        assert twin.cell_type == cell.cell_type
        assert twin.metadata.get("nbgrader") == cell.metadata.get("nbgrader"), cell.id
        if cell.cell_type == "code":
            assert twin.source == cell.source, cell.id
        else:
            assert CJK.search(twin.source), cell.id
    assert tc.max_points(f"{hw}-zh") == tc.max_points(hw)
    language = by_id[nbs.LANGUAGE_CELL["id"]]
    assert "nbgrader" not in language.metadata and 'set_language("zh")' in language.source
    # committed executed, top to bottom, without errors (nbval checks the outputs)
    code = [c for c in chinese.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not any(o.output_type == "error" for c in code for o in c.outputs)


@pytest.fixture(scope="module")
def round_zh(tmp_path_factory):
    """A lecturer's round on the Chinese homework: generate, submit, autograde, feedback."""
    if tc.NBGRADER_MISSING:
        pytest.fail(tc.NBGRADER_MISSING)
    tmp = tmp_path_factory.mktemp("course-zh")
    root = tmp / "course"
    shutil.copytree(tc.COURSE, root, ignore=shutil.ignore_patterns(*tc.GENERATED))
    env = tc._env(tmp)
    results = {}
    for hw in HOMEWORKS:
        a = f"{hw}-zh"
        tc.nbgrader_cmd(["generate_assignment", a, "--force"], root, env)
        release = root / "release" / a / f"{a}.ipynb"
        good = tc.correct_submission(a, release)
        submissions = {"correct": good, "empty": nbformat.read(release, as_version=4)}
        if hw in tc.PARTIAL:
            old, new, _ = tc.PARTIAL[hw]
            submissions["partial"] = tc._edit(good, old, new)
        for student, nb in submissions.items():
            folder = root / "submitted" / student / a
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{a}.ipynb")
        tc.nbgrader_cmd(["autograde", a, "--force"], root, env)
        tc.nbgrader_cmd(["generate_feedback", a, "--force"], root, env)
        with tc.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for student in submissions:
                sub = gb.find_submission(a, student)
                results[(student, hw)] = (tc.autograded(sub), sub.score)
    return root, results


@pytest.mark.slow
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_chinese_release_is_in_chinese_without_solutions_or_hidden_tests(round_zh, hw):
    root, _ = round_zh
    a = f"{hw}-zh"
    release = (root / "release" / a / f"{a}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in release
    nb = nbformat.read(root / "release" / a / f"{a}.ipynb", as_version=4)
    released = {line for c in nb.cells for line in c.source.splitlines()}
    english = nbformat.read(course_i18n.english_path(hw), as_version=4)
    hidden = [line for c in english.cells for line in tc._regions(
        c.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS") if line.strip()]
    assert hidden and not [line for line in hidden if line in released]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# 作业")
    assert any("raise NotImplementedError()" in c.source for c in nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_chinese_submissions_are_graded_as_the_english_ones(round_zh, hw):
    root, results = round_zh
    points = tc.max_points(hw)                         # the English homework's points
    assert results[("correct", hw)] == (points, sum(points.values()))
    assert results[("empty", hw)] == ({k: 0.0 for k in points}, 0.0)
    if hw in tc.PARTIAL:
        lost = tc.PARTIAL[hw][2]
        assert results[("partial", hw)][0] == {k: v - lost.get(k, 0.0)
                                               for k, v in points.items()}
    a = f"{hw}-zh"
    page = (root / "feedback" / "correct" / a / f"{a}.html").read_text()
    total = sum(points.values())                 # the autograded part, of all the points
    assert f"{total} / {total + sum(tc.hand_points(hw).values())}" in page and "作业" in page
