"""``tcplab-grade ASSIGNMENT``: a whole class graded with nbgrader in one run.

The lecturer's command (course/README.md, "Grading a class").  Every submitted student is
found (:mod:`.submissions`), a checked copy of their notebook is repaired where their
intent is clear (:mod:`.repair`), nbgrader grades each copy in a worker process that no
submission can stop (:mod:`.run`, :mod:`.worker`), with outputs capped in bytes
(:mod:`.outputs`); the report (:mod:`.report`), a feedback page for every student
(:mod:`.feedback`) and a log without nbgrader's false alarms (:mod:`.logs`) follow.

Nothing else in tcplab imports this package: it is the only place that uses nbgrader,
and it imports nbgrader only in the worker and where it writes the gradebook.
"""
