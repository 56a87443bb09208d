"""``checks.check`` with misconceptions named: the hook, kept apart from checks.py.

``check(key, **answers)`` is :func:`tcplab.checks.check` whose wrong answers, when a
catalogued misconception (:mod:`tcplab.misconceptions`) predicts them exactly, name it
and show its ladder beside the right one.  The coordinator may fold this into
``checks.check`` instead (three lines).
"""

from __future__ import annotations

from typing import Any

from . import checks
from .grading.framework import Feedback
from .misconceptions import explain

__all__ = ["check"]


def check(key: str, /, *unnamed: Any, **answers: Any) -> Feedback:
    """Like :func:`tcplab.checks.check`, naming a recognised misconception."""
    feedback = checks.check(key, *unnamed, **answers)
    if unnamed or not isinstance(key, str):
        return feedback
    ex = checks._get(key)
    # the student's own numbers, where exercises vary per student (Exercise.variant)
    variant = ex.variant() if ex is not None and hasattr(ex, "variant") else None
    return explain(key, answers, feedback, variant)
