"""A feedback page for every student, graded or not.

nbgrader's ``generate_feedback`` makes the page of a graded notebook (the worker runs it
right after grading).  A student whose notebook could not be graded gets a page at the
same place, ``feedback/<student>/<assignment>/<assignment>.html``, that says why and
what to do, so that ``nbgrader release_feedback`` (or the lecturer's e-mail) reaches
everyone.
"""

from __future__ import annotations

import html
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{assignment}: not graded</title>
<style>body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; }}</style>
</head><body>
<h1>{assignment}: not graded</h1>
<p>Student: <b>{student}</b></p>
<p><b>Why.</b> {why}</p>
<p><b>What to do.</b> Hand in the notebook again, or ask your lecturer; until then this
homework has no grade (it is not a zero).</p>
</body></html>
"""


def page_path(course: Path, student: str, assignment: str) -> Path:
    return course / "feedback" / student / assignment / f"{assignment}.html"


def not_graded_page(course: Path, student: str, assignment: str, why: str) -> Path:
    """Write the page of a student not graded (replacing an older page) and return it."""
    path = page_path(course, student, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.chmod(0o644)            # nbgrader leaves its pages read-only
    path.write_text(PAGE.format(assignment=html.escape(assignment),
                                student=html.escape(student), why=html.escape(why)),
                    encoding="utf-8")
    return path
