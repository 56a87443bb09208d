"""The process that runs nbgrader: ``python -m tcplab.grade.worker`` (run in course/).

It reads its job as JSON on stdin — the assignment, the folder of checked copies, the
students, the output limits — and grades the students one by one through nbgrader's
Python API (one start of nbgrader for the class, not one per student), each graded copy
then turned into its feedback page.  For each student it writes a line of JSON when it
starts and one when it is done, to the parent (:mod:`.run`), which stops it if a notebook
takes too long and starts another worker for the rest.

The lines go to a copy of stdout made at start; file descriptor 1 is then pointed at
stderr, so that nothing a kernel writes there (a kernel inherits it) can be taken for a
result.
"""

from __future__ import annotations

import json
import os
import sys

from ..homework.student import GRADER_ENV
from .logs import silence_sqlalchemy

PREPROCESSOR = "tcplab.grade.preprocessor.CapOutputBytes"


def _config(job: dict):
    """nbgrader's configuration from this folder, pointed at the checked copies, with the
    byte cap after nbgrader's LimitOutput."""
    from nbgrader.apps.nbgraderapp import NbGraderApp
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import LimitOutput
    app = NbGraderApp()
    app.initialize([])
    config = app.config
    config.CourseDirectory.submitted_directory = job["checked"]
    if "autograde_preprocessors" in config.Autograde:      # the lecturer's own list
        steps = list(config.Autograde.autograde_preprocessors)
    else:
        steps = Autograde.class_traits()["autograde_preprocessors"].default()
    after = steps.index(LimitOutput) + 1 if LimitOutput in steps else len(steps)
    steps.insert(after, PREPROCESSOR)
    config.Autograde.autograde_preprocessors = steps
    config.CapOutputBytes.cell_bytes = job["cell_bytes"]
    config.CapOutputBytes.notebook_bytes = job["notebook_bytes"]
    return config


def _scores(db_url: str, assignment: str, student: str) -> dict:
    """The score, and the cells still to grade by hand: those with no score of nbgrader's
    (an explain-in-words answer) that nobody has graded in Formgrader yet."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        sub = gb.find_submission(assignment, student)
        return {"score": sub.score, "max_score": sub.max_score,
                "manual": [[g.name, g.max_score] for nb in sub.notebooks for g in nb.grades
                           if g.auto_score is None and g.manual_score is None]}


def grade(api, assignment: str, student: str) -> dict:
    """Autograde one student and make their feedback page: what nbgrader said.

    The kernel is told whom it grades (:data:`~tcplab.homework.student.GRADER_ENV`, in
    the environment it starts with): the hidden tests check that student's numbers."""
    os.environ[GRADER_ENV] = student
    result = api.autograde(assignment, student, force=True, create=True)
    done = {"success": bool(result.get("success")), "log": result.get("log") or "",
            "error": result.get("error") or ""}
    if done["success"]:
        done.update(_scores(api.coursedir.db_url, assignment, student))
        feedback = api.generate_feedback(assignment, student, force=True)
        done["feedback"] = bool(feedback.get("success"))
        done["log"] += feedback.get("log") or ""
        done["error"] += feedback.get("error") or ""
    return done


def main() -> None:
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    silence_sqlalchemy()
    job = json.load(sys.stdin)
    from nbgrader.apps import NbGraderAPI
    api = NbGraderAPI(config=_config(job))
    for student in job["students"]:
        print(json.dumps({"student": student, "event": "start"}), file=results, flush=True)
        try:
            done = grade(api, job["assignment"], student)
        except Exception as exc:      # noqa: BLE001 - one student never stops the others
            done = {"success": False, "log": "", "error": f"{type(exc).__name__}: {exc}"}
        done.update(student=student, event="done")
        print(json.dumps(done), file=results, flush=True)


if __name__ == "__main__":
    main()
