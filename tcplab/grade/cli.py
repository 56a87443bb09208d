"""``tcplab-grade ASSIGNMENT``: the command line (course/README.md, "Grading a class")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

INSTALL = ('tcplab-grade needs nbgrader, which is not installed in this environment. '
           'Install the course extra from the repository root: pip install -e ".[course]"')


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tcplab-grade",
        description="Grade every submitted student of an nbgrader assignment in one run: "
                    "repair what the student clearly meant, grade with nbgrader, write "
                    "grades/ASSIGNMENT.csv and a feedback page for every student. Run it "
                    "in the course folder (the one holding nbgrader_config.py).")
    p.add_argument("assignment", help="the assignment, e.g. hw1-handshake-close")
    p.add_argument("--student", action="append", metavar="ID",
                   help="grade only this student (may be repeated)")
    p.add_argument("--course", type=Path, default=Path.cwd(),
                   help="the course folder (default: the current folder)")
    p.add_argument("--cell-output-bytes", type=int, metavar="N",
                   help="output kept per cell (default: c.TcplabGrade.cell_output_bytes "
                        "in nbgrader_config.py, else 100000)")
    p.add_argument("--notebook-output-bytes", type=int, metavar="N",
                   help="output kept per notebook (default: "
                        "c.TcplabGrade.notebook_output_bytes, else 1000000)")
    p.add_argument("--notebook-timeout", type=float, metavar="SECONDS",
                   help="seconds for one whole notebook before it is stopped (default: "
                        "c.TcplabGrade.notebook_timeout, else 600)")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="notebooks graded side by side (default: c.TcplabGrade.jobs, else 2)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        import nbgrader  # noqa: F401 - only to know it is there
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from . import settings
    from .pipeline import grade_class
    course = args.course.resolve()
    if not (course / "nbgrader_config.py").exists():
        print(f"tcplab-grade: {course} is not a course folder (no nbgrader_config.py): "
              f"run it in course/, or give --course", file=sys.stderr)
        return 1
    try:
        limits = settings.load(course, cell_output_bytes=args.cell_output_bytes,
                               notebook_output_bytes=args.notebook_output_bytes,
                               notebook_timeout=args.notebook_timeout, jobs=args.jobs)
        outcome = grade_class(course, args.assignment, limits, args.student)
    except (FileNotFoundError, ValueError) as exc:
        print(f"tcplab-grade: {exc}", file=sys.stderr)
        return 1
    from .report import table
    print(table(outcome.rows))
    for line in outcome.look_at:
        print(f"look at: {line}")
    print(f"report: {outcome.csv}\nlog: {outcome.log}\nfeedback: {course / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
