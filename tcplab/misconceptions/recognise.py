"""Which misconception, if any, produces exactly a student's answers to an exercise.

Each misconception's mutant plays the exercise's story (:mod:`.readers`); the student's
answers are that misconception's when every part the mutant's player would give is given
and the same (compared as the checkers compare, :func:`tcplab.grading.framework.same`),
and the answers are not the right ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..grading.answers import parse_states
from ..grading.framework import same
from .catalogue import CATALOGUE, Misconception
from .mutants import RIGHT, Mutant
from .readers import STORIES, answers_of, numbers

__all__ = ["recognise", "predicted"]


@lru_cache(maxsize=4096)
def _played_answers(key: str, mutant: Mutant, v: tuple) -> tuple:
    # a story is deterministic: each (exercise, mutant, numbers) is played once
    return tuple(answers_of(key, mutant, dict(v)).items())


def _answers(key: str, mutant: Mutant, variant: Mapping[str, Any] | None) -> dict:
    return dict(_played_answers(key, mutant, tuple(sorted(numbers(key, variant).items()))))


def predicted(key: str, misconception: Misconception,
              variant: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The answers to exercise ``key`` (with a student's numbers ``variant``: the
    exercise's own ``vary`` names) that ``misconception`` predicts."""
    return _answers(key, misconception.mutant, variant)


#: the parts that name control bits: "FIN" and "FIN+ACK" say the same (as the checkers)
_FLAG_PARTS = {"bits", "sends", "flags"}


def _bits(answer: Any) -> Any:
    if not isinstance(answer, str):
        return answer
    named = {w for w in answer.upper().replace(" ", "").replace(",", "+").split("+") if w}
    return named - {"ACK"} if named - {"ACK"} else named


def _same_part(name: str, given: Any, expected: Any) -> bool:
    if name in _FLAG_PARTS:
        return _bits(given) == _bits(expected)
    if isinstance(expected, list):          # a path of states: a list or "A, B, C"
        try:
            states, bad = parse_states(given)
        except Exception:                   # noqa: BLE001 - unreadable: not this mutant
            return False
        return not bad and _core([str(s) for s in states]) == _core(expected)
    return given is not None and same(given, expected)


def _core(path: list[str]) -> list[str]:
    """A path without CLOSED at its ends (the checker lets students leave them out)."""
    while path and path[0] == "CLOSED":
        path = path[1:]
    while path and path[-1] == "CLOSED":
        path = path[:-1]
    return path


def _matches(answers: dict[str, Any], expected: dict[str, Any]) -> bool:
    return set(answers) == set(expected) and all(
        _same_part(name, answers[name], value) for name, value in expected.items())


def recognise(key: str, answers: dict[str, Any],
              variant: Mapping[str, Any] | None = None) -> Misconception | None:
    """The misconception whose mutant gives exactly ``answers`` to exercise ``key``
    (None: no catalogued one, the exercise has none, or the answers are right).
    ``variant``: the student's numbers of the exercise (default: the demo's)."""
    if key not in STORIES:
        return None
    if _matches(answers, _answers(key, RIGHT, variant)):
        return None
    for m in CATALOGUE:
        if key in m.exercises and _matches(answers, predicted(key, m, variant)):
            return m
    return None
