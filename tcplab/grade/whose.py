"""Whose numbers a submission was worked with, as the notebook itself shows it.

The homework's setup cell displays who it works as (:mod:`tcplab.homework.student`,
``MIME`` output: the grader's id, the JupyterHub user, the id the student wrote, or the
demo); a notebook handed in without outputs still has its ``student_id = "..."`` line.
The grade is always against the numbers of the student it is filed under (the worker
tells the kernel so); this only finds what to tell the lecturer: "worked as …".
"""

from __future__ import annotations

import ast

from ..homework.student import DEMO, GRADER, MIME, same_student
from .cells import text


def _shown(nb: dict) -> dict | None:
    """The last who-am-I output of the notebook's saved outputs (None if none)."""
    found = None
    for cell in nb.get("cells", []):
        for out in cell.get("outputs") or []:
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and isinstance(data.get(MIME), dict):
                found = data[MIME]
    return found


def _written(nb: dict) -> str | None:
    """The text of the notebook's ``student_id = "..."`` line, if there is one."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or "student_id" not in text(cell):
            continue
        try:
            tree = ast.parse(text(cell))
        except SyntaxError:
            continue
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", None) == "student_id"
                    and isinstance(node.value, ast.Constant)):
                return str(node.value.value).strip()
    return None


def note(nb: dict, student: str) -> str | None:
    """A note for the lecturer when the notebook worked with other numbers than
    ``student``'s, else None."""
    shown = _shown(nb)
    if shown is not None and shown.get("how") != GRADER:     # not an earlier grading run
        if shown.get("how") == DEMO or shown.get("student") is None:
            return (f"worked as the demo student (no student id in the notebook): graded "
                    f"against the numbers of {student}, so an answer typed as a number "
                    f"is wrong, one written as an expression of the notebook's numbers "
                    f"is right")
        if not same_student(str(shown["student"]), student):
            return (f"worked as {shown['student']} (the numbers of another student id): "
                    f"graded against the numbers of {student}")
        return None
    written = _written(nb)
    if written and not same_student(written, student):
        return (f"worked as {written} (the student_id line names another student id): "
                f"graded against the numbers of {student}")
    return None
