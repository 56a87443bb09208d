"""Each student's submission: the notebook to grade, or why there is none.

nbgrader looks for ``submitted/<student>/<assignment>/<assignment>.ipynb`` only: a
notebook saved under another name ("…-Copy1.ipynb") is skipped with the misleading
advice to run generate_assignment, and a file cut off while saving stops nbgrader with a
JSON error.  Here every folder of ``submitted/`` is a student, and what is wrong with
their hand-in is said twice: for the lecturer (what to do) and for the student (on their
feedback page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..text import _


@dataclass
class Problem:
    """Why a submission cannot be graded: the lecturer's words and the student's."""
    lecturer: str
    student: str


@dataclass
class Submission:
    """One student's hand-in: the notebook read (``nb``), or the ``problem``."""
    student: str
    folder: Path
    path: Path | None = None
    nb: dict | None = None
    problem: Problem | None = None
    notes: list[str] = field(default_factory=list)      # worth knowing
    repairs: list[str] = field(default_factory=list)    # what was changed to grade it


def _hand_in_again(assignment: str) -> str:
    return _("Open your notebook, run Kernel ▸ Restart Kernel and Run All Cells, save it, "
             "and hand it in again as {notebook} (one notebook, with that name)."
             ).format(notebook=f"{assignment}.ipynb")


def _notebooks(folder: Path) -> list[Path]:
    """The notebooks a student left in their folder (not hidden files, not checkpoints)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix == ".ipynb" and p.is_file() and not p.name.startswith("."))


def _choose(sub: Submission, assignment: str) -> None:
    """Which notebook of the folder to grade (sets ``path``, or ``problem``)."""
    expected = f"{assignment}.ipynb"
    found = _notebooks(sub.folder)
    names = ", ".join(p.name for p in found)
    if any(p.name == expected for p in found):
        sub.path = sub.folder / expected
        others = [p.name for p in found if p.name != expected]
        if others:
            sub.notes.append(f"also handed in {', '.join(others)} (not graded)")
    elif len(found) == 1:
        sub.path = found[0]
        sub.repairs.append(f"handed in as {found[0].name}: graded as {expected}")
    elif not found:
        sub.problem = Problem(
            f"no notebook in {sub.folder}: ask the student to hand in {expected}",
            _("No notebook of yours reached the course.") + " " + _hand_in_again(assignment))
    else:
        sub.problem = Problem(
            f"{len(found)} notebooks and none named {expected} ({names}): ask the student "
            f"which one to grade, keep it alone in {sub.folder} as {expected}, and grade again",
            _("You handed in {count} notebooks ({names}) and none is named {notebook}, so "
              "none was graded.").format(count=len(found), names=names, notebook=expected)
            + " " + _hand_in_again(assignment))


def _load(sub: Submission, assignment: str) -> None:
    """Read the chosen notebook as JSON (sets ``nb``, or ``problem``)."""
    assert sub.path is not None
    try:
        nb = json.loads(sub.path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        sub.problem = Problem(
            f"{sub.path.name} is not a complete notebook (its JSON is damaged or ends early: "
            f"{exc}); it was probably cut off while saving or uploading: ask the student "
            f"to hand it in again",
            _("The file you handed in ({name}) is damaged or incomplete: it was probably "
              "cut off while saving or uploading.").format(name=sub.path.name)
            + " " + _hand_in_again(assignment))
        return
    if not (isinstance(nb, dict) and isinstance(nb.get("cells"), list)
            and nb.get("nbformat") == 4):
        sub.problem = Problem(
            f"{sub.path.name} is JSON but not a Jupyter notebook of format 4: ask the "
            f"student to hand in the .ipynb file saved by Jupyter",
            _("The file you handed in ({name}) is not a Jupyter notebook."
              ).format(name=sub.path.name) + " " + _hand_in_again(assignment))
        return
    sub.nb = nb


def find(course: Path, assignment: str, students: list[str] | None = None
         ) -> list[Submission]:
    """The submissions of ``assignment``: every ``submitted/<student>/<assignment>/``
    folder (or only those of ``students``), in the order of the students' ids."""
    root = course / "submitted"
    folders = sorted(p / assignment for p in root.iterdir()
                     if (p / assignment).is_dir()) if root.is_dir() else []
    if students:
        wanted = set(students)
        folders = [f for f in folders if f.parent.name in wanted]
    result = []
    for folder in folders:
        sub = Submission(folder.parent.name, folder)
        _choose(sub, assignment)
        if sub.path is not None:
            _load(sub, assignment)
        result.append(sub)
    return result
