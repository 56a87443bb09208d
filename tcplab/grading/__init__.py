"""Grading: what the exercises are built from (it imports no exercise).

* :mod:`~tcplab.grading.framework`: :class:`Feedback`, :class:`Part`,
  :func:`compare` (the one feedback engine), :class:`Exercise`, the registry
  and the :func:`exercise` decorator;
* :mod:`~tcplab.grading.answers`: reading a student's answers forgivingly
  (states, calls, control bits, a lab) and the hints that fit a mistake;
* :mod:`~tcplab.grading.conformance`: the homework's conformance matrix.

The checkers themselves live in :mod:`tcplab.exercises`, one module per
lesson; :mod:`tcplab.checks` is the notebooks' door to them.
"""
