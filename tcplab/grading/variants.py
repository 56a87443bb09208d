"""A variant per student: an exercise's numbers drawn from who is working.

An exercise whose numbers can vary declares, next to its checker, the values
each one may take and the value the demo student gets::

    @exercise("handshake-syn-ack", N_("A chose x={x} and B chose y={y}. …"), LESSON,
              vary=dict(x=Choice(range(1000, 30000), demo=5000),
                        y=Choice(range(30000, 60000), demo=9000)))
    def syn_ack(v, seq=None, ack=None, **other): ...    # v["x"], v["y"]

Each value is picked by a SHA-256 of (student, exercise key, value name), not
by Python's ``hash()`` (salted per process) nor by :mod:`random` (its
algorithms may change between versions): the same student gets the same
numbers on every machine and in the browser, two students mostly differ.
With no student set, the demo student gets each value's ``demo`` — the
numbers the saved outputs and the Chinese edition were made with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

__all__ = ["DEMO", "Choice", "Variant", "draw", "normalise", "seed_for"]

#: who is working when nobody said: the demo student, who gets every exercise's demo values
DEMO = "demo"


@dataclass(frozen=True)
class Choice:
    """The values one number of a question may take, and the demo student's value."""

    among: Sequence[Any]
    demo: Any

    def __post_init__(self) -> None:
        if len(self.among) == 0:
            raise ValueError("a Choice needs at least one value")


def normalise(student: str | int) -> str:
    """The student as the hash sees them: spaces and case do not make another student."""
    return " ".join(str(student).split()).casefold()


def _number(student: str, key: str, name: str) -> int:
    # the separator cannot occur in a key or a name, so no two triples hash alike
    text = "\x1f".join(("tcplab", key, name, normalise(student)))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class Variant(Mapping[str, Any]):
    """One student's values of one exercise: a read-only mapping name → value."""

    def __init__(self, student: str, key: str, values: dict[str, Any]):
        self.student, self.key, self._values = student, key, dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Variant({self.student!r}, {self.key!r}, {self._values!r})"


def draw(student: str | int | None, key: str, vary: Mapping[str, Choice]) -> Variant:
    """The variant of exercise ``key`` for ``student`` (None or :data:`DEMO`: the demo values)."""
    if student is None or normalise(student) == DEMO:
        return Variant(DEMO, key, {name: c.demo for name, c in vary.items()})
    who = normalise(student)
    return Variant(who, key, {name: c.among[_number(who, key, name) % len(c.among)]
                              for name, c in vary.items()})


def seed_for(student: str | int, homework: str) -> int:
    """The seed of ``homework``'s network for ``student`` (e.g. the nbgrader student id).

    The notebook and the autograder both compute it from the id, so each student's
    expected answers can be recomputed (``hw1.answers(seed=seed_for(id, "hw1"))``).
    A positive 31-bit number: every seed a :class:`~tcplab.network.Network` accepts.
    """
    return _number(str(student), homework, "seed") % (2**31 - 1) + 1
