"""The course's homework (course/source/): each one's stories and expected answers.

One module per homework (:mod:`hw1`, :mod:`hw2`, :mod:`hw3`).  A module plays its
homework's story from a seed and says what each graded answer is
(``answers(seed=...)``) and of which kind it is (``KINDS``: ``"int"``, ``"seconds"``,
``"bool"``, ``"flags"``, ``"state"``).  The graded cells never read these in the
student's kernel: :mod:`tcplab.grading.sealed` asks a fresh Python process.  Each student
has a seed of their own (:mod:`.student`: the grader's id, the JupyterHub user or the id
the student wrote; the module's ``SEED`` for nobody, the demo).
"""

from .student import working_as

__all__ = ["working_as"]
