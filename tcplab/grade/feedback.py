"""A feedback page for every student, graded or not.

nbgrader's ``generate_feedback`` makes the page of a graded notebook (the worker runs it
right after grading).  A student whose notebook could not be graded gets a page at the
same place, ``feedback/<student>/<assignment>/<assignment>.html``, that says why and
what to do, so that ``nbgrader release_feedback`` (or the lecturer's e-mail) reaches
everyone.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from ..text import _, language

#: What nbgrader's exchange put beside a submission, and release_feedback reads beside
#: its page (the time handed in; the secret that names the page in the exchange).
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; }}</style>
</head><body>
<h1>{title}</h1>
<p>{student_label}: <b>{student}</b></p>
<p><b>{why_label}</b> {why}</p>
<p><b>{todo_label}</b> {todo}</p>
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
    words = {"title": _("{assignment}: not graded").format(assignment=assignment),
             "student_label": _("Student"), "student": student, "why_label": _("Why."),
             "why": why, "todo_label": _("What to do."),
             "todo": _("Hand in the notebook again, or ask your lecturer; until then this "
                       "homework has no grade (it is not a zero).")}
    page = PAGE.format(lang=language(), **{k: html.escape(v) for k, v in words.items()})
    path.write_text(page, encoding="utf-8")
    return path


def under_the_students_names(course: Path, student: str, assignment: str,
                             submitted: Path) -> None:
    """The page also under the name of each notebook the student handed in, with the
    exchange's files beside it: nbgrader's fetch_feedback finds a page by the name of
    the student's own notebook ("…-Copy1"), and release_feedback needs those files."""
    page = page_path(course, student, assignment)
    for name in EXCHANGE_FILES:
        if (submitted / name).exists() and not (page.parent / name).exists():
            shutil.copy(submitted / name, page.parent / name)
    for notebook in sorted(submitted.glob("*.ipynb")):
        if notebook.stem != assignment and not notebook.name.startswith("."):
            copy = page.parent / f"{notebook.stem}.html"
            if copy.exists():
                copy.chmod(0o644)
            shutil.copy(page, copy)
