"""One grading run of a class, step by step: check, repair, grade, report, feedback.

The checked copies go to ``checked/<student>/<assignment>/`` and nbgrader grades them
from there (its ``submitted_directory`` pointed at that folder for this run only): what
the students handed in stays untouched in ``submitted/``, the graded copies and the
scores go where nbgrader always puts them (``autograded/``, ``gradebook.db``), so
Formgrader shows every grade.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..text import _, language, set_language
from . import feedback, logs, report, run, whose
from .cells import grade_id
from .outputs import MARK
from .repair import Repaired, repair
from .settings import Limits
from .submissions import Submission, find

CHECKED = "checked"
TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt", "TimeoutError")


@dataclass
class Outcome:
    rows: list[report.Row]
    csv: Path
    log: Path
    look_at: list[str]


def release_notebook(course: Path, assignment: str) -> dict:
    path = course / "release" / assignment / f"{assignment}.ipynb"
    if not path.exists():
        raise FileNotFoundError(
            f"there is no release version of {assignment!r} ({path}): run "
            f"`nbgrader generate_assignment {assignment}` in {course} first")
    return json.loads(path.read_text(encoding="utf-8"))


def _check(course: Path, sub: Submission, assignment: str, release: dict,
           limits: Limits) -> Repaired:
    """Write the repaired copy of one submission where nbgrader will read it."""
    fixed = repair(sub.nb, release, limits.cell_output_bytes, limits.notebook_output_bytes)
    folder = course / CHECKED / sub.student / assignment
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / f"{assignment}.ipynb").write_text(json.dumps(fixed.nb, indent=1,
                                                           ensure_ascii=False))
    for other in sub.folder.iterdir():      # what nbgrader would have seen beside it:
        if other.is_file() and other.suffix != ".ipynb":     # the exchange's time stamp...
            shutil.copy(other, folder / other.name)
    return fixed


def _graded_notes(course: Path, student: str, assignment: str, limits: Limits) -> list[str]:
    """What the graded copy shows: cells stopped by the time limit, outputs cut."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    if not path.exists():
        return []
    notes = []
    for number, cell in enumerate(json.loads(path.read_text("utf-8"))["cells"], start=1):
        outputs = cell.get("outputs") or []
        name = grade_id(cell) or f"cell {number}"
        if any(o.get("ename") in TIMEOUT_ERRORS for o in outputs):
            limit = f"{limits.cell_timeout:g} s" if limits.cell_timeout else "nbgrader's"
            notes.append(f"{name} ran longer than the limit per cell ({limit}, "
                         f"c.Execute.timeout) and was stopped; the cells after it were graded")
        if any(MARK in "".join(o.get("text", "")) for o in outputs):
            notes.append(f"the output of {name} was cut to the byte limit in the graded "
                         f"copy and the feedback")
    return notes


def _failure(result: dict, sub: Submission, assignment: str, limits: Limits) -> str:
    if "timeout" in result:
        return (f"the notebook ran longer than {limits.notebook_timeout:g} s in all (the "
                f"limit per notebook) and was stopped: look at it (an endless loop?), then "
                f"grade it alone: tcplab-grade {assignment} --student {sub.student} "
                f"--notebook-timeout {4 * limits.notebook_timeout:g}")
    said = [line.split("]", 1)[1].strip() for line in (result.get("log") or "").splitlines()
            if line.startswith("[ERROR]")]
    said += (result.get("error") or "").strip().splitlines()[-1:] or ["no message"]
    hint = (" (a cell ended Python: exit(), os._exit() or all the memory used up)"
            if "Kernel died" in said[0] else "")
    return (f"nbgrader could not grade it: {said[0]}{hint}; look at the notebook and at "
            f"grades/{assignment}.log")


def _row(course: Path, sub: Submission, fixed: Repaired | None, result: dict | None,
         assignment: str, limits: Limits) -> report.Row:
    if sub.problem is not None:
        return report.Row(sub.student, report.NOT_GRADED, notes=[sub.problem.lecturer])
    assert fixed is not None and result is not None
    repairs = sub.repairs + fixed.notes
    if not result.get("success"):
        return report.Row(sub.student, report.NOT_GRADED,
                          notes=[_failure(result, sub, assignment, limits), *repairs])
    notes = repairs + sub.notes + _graded_notes(course, sub.student, assignment, limits)
    worked_as = whose.note(fixed.nb, sub.student)
    if worked_as:
        notes.append(worked_as)
    if not result.get("feedback"):
        notes.append("nbgrader could not make the feedback page: see the log")
    status = report.REPAIRED if repairs else report.GRADED
    row = report.Row(sub.student, status, result.get("score"), result.get("max_score"),
                     notes)
    return report.by_hand(row, result.get("manual") or [])


def _student_words(sub: Submission, row: report.Row) -> str:
    if sub.problem is not None:
        return sub.problem.student
    return _("Your notebook could not be graded automatically; your lecturer will look at "
             "it. The reason given to them: {reason}").format(reason="; ".join(row.notes[:1]))


def _write_log(path: Path, subs, fixed, results, worker_errors: str) -> list[str]:
    """grades/<assignment>.log: nbgrader's log per student, cleaned; the real warnings."""
    parts, look_at = [], []
    for sub in subs:
        result = results.get(sub.student, {})
        edited = fixed[sub.student].edited_locked if sub.student in fixed else set()
        text = logs.clean(result.get("log", "") + result.get("error", ""), edited)
        parts.append(f"===== {sub.student}\n{text}")
        look_at += [f"{sub.student}: {w.strip()}" for w in logs.real_checksum_warnings(text)]
    parts.append("===== the worker's own messages\n" + logs.clean(worker_errors, set()))
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return look_at


def _register(course: Path, assignment: str, rows: list[report.Row]) -> None:
    """Every student in the gradebook, so Formgrader lists those not graded too; and no
    score for one not graded (an older run's, or the part of a notebook that was stopped),
    nor their graded copy: Formgrader must not show what the report does not."""
    from nbgrader.api import Gradebook, MissingEntry
    logs.silence_sqlalchemy()
    with Gradebook("sqlite:///" + str(course / "gradebook.db")) as gb:
        for row in rows:
            gb.update_or_create_student(row.student)
            if row.status != report.NOT_GRADED:
                continue
            try:
                gb.remove_submission(assignment, row.student)
            except MissingEntry:
                pass
            shutil.rmtree(course / "autograded" / row.student / assignment, ignore_errors=True)


def grade_class(course: Path, assignment: str, limits: Limits,
                students: list[str] | None = None) -> Outcome:
    """Grade every submission of ``assignment`` in ``course``; write the report, the log
    and a feedback page for each student (in Chinese for a "-zh" assignment: what its
    students read; the report stays in the lecturer's English)."""
    spoken = language()
    set_language("zh" if assignment.endswith("-zh") else "en")
    try:
        return _grade_class(course, assignment, limits, students)
    finally:
        set_language(spoken)


def _grade_class(course: Path, assignment: str, limits: Limits,
                 students: list[str] | None) -> Outcome:
    release = release_notebook(course, assignment)
    subs = find(course, assignment, students)
    if not subs:
        raise FileNotFoundError(f"no submissions of {assignment!r}: nothing in "
                                f"{course / 'submitted'}/<student>/{assignment}/")
    fixed = {s.student: _check(course, s, assignment, release, limits)
             for s in subs if s.problem is None}
    progress = report.Progress(len(fixed))
    job = {"assignment": assignment, "checked": CHECKED, "students": sorted(fixed),
           "cell_bytes": limits.cell_output_bytes,
           "notebook_bytes": limits.notebook_output_bytes}
    with tempfile.TemporaryFile("w+") as errors:
        results = run.grade_all(course, job, limits.notebook_timeout, errors,
                                progress.step, limits.jobs) if fixed else {}
        errors.seek(0)
        worker_errors = errors.read()
    progress.close()
    rows = [_row(course, s, fixed.get(s.student), results.get(s.student), assignment, limits)
            for s in subs]
    for sub, row in zip(subs, rows):
        if row.status == report.NOT_GRADED:
            feedback.not_graded_page(course, sub.student, assignment, _student_words(sub, row))
        if feedback.page_path(course, sub.student, assignment).exists():
            feedback.under_the_students_names(course, sub.student, assignment, sub.folder)
    _register(course, assignment, rows)
    grades = course / "grades"
    grades.mkdir(exist_ok=True)
    report.write_csv(rows, grades / f"{assignment}.csv")
    look_at = _write_log(grades / f"{assignment}.log", subs, fixed, results, worker_errors)
    return Outcome(rows, grades / f"{assignment}.csv", grades / f"{assignment}.log", look_at)
