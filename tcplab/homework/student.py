"""Whose numbers a homework shows, and whose numbers its hidden tests check.

Each student's network is drawn from :func:`tcplab.grading.variants.seed_for` (their id,
the homework), so two students get different ISNs and the same student always the same.
Who is working, the first that applies:

1. **the grader** — ``tcplab-grade`` starts each kernel with the nbgrader student id in
   :data:`GRADER_ENV`: the hidden tests then check THAT student's numbers, whatever the
   notebook says;
2. **a JupyterHub** — its user name (``JUPYTERHUB_USER``, set by the hub for the server);
3. **the id the student wrote** in the notebook's ``student_id`` line (files, Binder ...);
4. nobody (a lecturer previewing, nbval): the demo, the homework's own ``SEED`` — the
   numbers the saved outputs were made with.

The two environment variables are read from the environment the kernel was *started*
with (``/proc/self/environ`` on Linux), not from ``os.environ``: a cell that sets
``os.environ[...]`` before the setup cell does not change whose numbers are graded.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..grading.variants import seed_for
from ..text import _

__all__ = ["GRADER_ENV", "HUB_ENV", "MIME", "Working", "working_as", "graded_seed",
           "same_student", "canonical"]

GRADER_ENV = "TCPLAB_GRADED_STUDENT"
HUB_ENV = "JUPYTERHUB_USER"
#: the setup cell's output that tells tcplab-grade whose numbers a submission worked with
MIME = "application/vnd.tcplab.student+json"
GRADER, HUB, WRITTEN, DEMO = "grader", "hub", "written", "demo"

_current: dict[str, "Working"] = {}      # homework -> who the setup cell said


def _started_with(name: str) -> str | None:
    """``name`` in the environment this process was started with (not as since changed)."""
    try:
        block = Path("/proc/self/environ").read_bytes()
    except OSError:                      # no /proc (macOS, Windows, the browser)
        return os.environ.get(name)
    for item in block.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key == name.encode():
            return value.decode("utf-8", "replace")
    return None


def canonical(student: str | int) -> str:
    """An id as the seed sees it: ``Li Wei``, ``li_wei`` and ``li-wei`` are one student."""
    return re.sub(r"[\s_.\-]+", " ", str(student)).strip().casefold()


def same_student(one: str | None, other: str | None) -> bool:
    if one is None or other is None:
        return one is other
    return canonical(one) == canonical(other)


@dataclass(frozen=True)
class Working:
    """Who a homework notebook works as: ``student`` (None: the demo), ``how``, ``seed``."""

    homework: str
    student: str | None
    how: str
    seed: int

    def _sentence(self) -> str:
        if self.how == DEMO:
            return _("Nobody's id is given: these are the demo numbers, not yours. Write "
                     "your student id in the line student_id = \"\" above, then run the "
                     "notebook again.")
        said = {GRADER: _("the grader's id for this submission"),
                HUB: _("your JupyterHub user name"),
                WRITTEN: _("the student_id line above")}[self.how]
        return _("Your numbers are those of student {student} ({how}).").format(
            student=self.student, how=said)

    def __str__(self) -> str:
        return self._sentence()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self._sentence(),
                MIME: {"homework": self.homework, "student": self.student, "how": self.how}}


def _demo_seed(homework: str) -> int:
    return importlib.import_module(f"tcplab.homework.{homework}").SEED


def _seed(homework: str, student: str | None) -> int:
    if student is None:
        return _demo_seed(homework)
    return seed_for(canonical(student), homework)


def _who(written) -> tuple[str | None, str]:
    for name, how in ((GRADER_ENV, GRADER), (HUB_ENV, HUB)):
        value = (_started_with(name) or "").strip()
        if value:
            return value, how
    if type(written) in (str, int) and canonical(written):
        return str(written).strip(), WRITTEN
    return None, DEMO


def working_as(homework: str, written: str | int | None = None) -> Working:
    """Whom ``homework`` works as (see the module's doc); the setup cell's call.

    ``written`` is the notebook's ``student_id`` line.  The hidden tests use the same
    student, unless the grader says otherwise (:func:`graded_seed`).
    """
    student, how = _who(written)
    me = Working(homework, student, how, _seed(homework, student))
    _current[homework] = me
    return me


def graded_seed(homework: str) -> int:
    """The seed a hidden test checks against: the grader's student if one is graded,
    else the one the setup cell chose (a lecturer running the source notebook)."""
    graded = (_started_with(GRADER_ENV) or "").strip()
    if graded:
        return _seed(homework, graded)
    if homework in _current:
        return _current[homework].seed
    return _seed(homework, _who(None)[0])
