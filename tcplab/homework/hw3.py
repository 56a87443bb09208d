"""Homework 3: the student's transition table, scored by the conformance matrix.

A table reaches this module as plain data (see :func:`tcplab.grading.sealed.plain_table`)
and is scored here, in the fresh process of :mod:`tcplab.grading.fresh`.
"""

from __future__ import annotations

from ..grading.conformance import GROUPS, check_table


def scores(table) -> dict:
    """Per group of cells: ``{"score": points, "max": points, "text": the report}``."""
    report = check_table(table, reveal=False)
    return {g: {"score": report.score(g), "max": report.max_score(g), "text": report.text(g)}
            for g in GROUPS}
