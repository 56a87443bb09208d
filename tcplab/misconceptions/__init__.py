"""Misconceptions named: classic mistakes about TCP connection management, each a
mutant the library plays, recognised in a student's wrong answer.

* :mod:`.mutants` — how a wrong rule is played (a patched table, host options, a wrong
  numbering of sequence numbers);
* :mod:`.readers` — each recognised exercise's story and how its answers are read off;
* :mod:`.catalogue` — the misconceptions, their names and explanations;
* :mod:`.recognise` — which misconception produced a student's answers;
* :mod:`.show` — the feedback: the name, the explanation, both ladders side by side.

``explain(key, answers, feedback)`` is the hook a checker's caller uses after a wrong
answer; ``show(key)`` displays one misconception on the lecture's story in a notebook.
"""

from .catalogue import CATALOGUE, Misconception, get
from .recognise import predicted, recognise
from .show import LECTURE, MisconceptionFeedback, Shown, explain, ladders, show

__all__ = ["CATALOGUE", "Misconception", "get", "predicted", "recognise", "explain",
           "ladders", "MisconceptionFeedback", "show", "Shown", "LECTURE"]
