"""The grader's side of :mod:`tcplab.grading.sealed`, run in a fresh Python process.

``python -I -c "...; fresh.main()"`` reads one request (JSON) on stdin and writes one
verdict (JSON) on stdout.  Nothing of the student's kernel reaches this process but the
plain data of the request, so a student's cell that rebinds a helper or patches the
library cannot change what is expected here.
"""

from __future__ import annotations

import importlib
import json
import math
import sys

from ..fsm import State
from ..text import set_language
from .answers import parse_flags, parse_state

SECONDS = 1e-6       # two times are the same if they differ by less than this


def _same(kind: str, given, expected) -> bool:
    if kind == "int":
        return given == expected
    if kind == "seconds":
        return math.isfinite(given) and abs(given - expected) < SECONDS
    if kind == "bool":
        return given is expected
    if kind == "flags":
        return parse_flags(given) == parse_flags(expected)
    if kind == "state":
        return parse_state(given) is State[expected]
    raise ValueError(f"no such kind: {kind!r}")


def _homework(name: str):
    return importlib.import_module(f"tcplab.homework.{name}")


def answer(request: dict) -> dict:
    """Is ``request["value"]`` the right answer to ``request["name"]``?"""
    hw = _homework(request["homework"])
    expected = hw.answers(seed=request.get("seed", hw.SEED))[request["name"]]
    return {"right": _same(hw.KINDS[request["name"]], request["value"], expected)}


ELLIPSIS = "\x00..."    # how a request writes the ``...`` of a cell left unfilled


def _python(value):
    """JSON's lists as tuples (hashable keys), the marker of ``...`` as ``...``."""
    if value == ELLIPSIS:
        return ...
    if isinstance(value, list):
        return tuple(_python(v) for v in value)
    return value


def table(request: dict) -> dict:
    """The scores and reports of a student's table (hw3), per group of cells."""
    raw = request["table"]
    rows = _python(raw["items"])
    student = dict(rows) if raw["kind"] == "dict" else list(rows)
    return {"groups": _homework("hw3").scores(student)}


def behaviour(request: dict) -> dict:
    """Does the record of what the student's function made happen pass the test?"""
    hw = _homework(request["homework"])
    return {"right": hw.behaves(request["test"], request["record"],
                                seed=request.get("seed", hw.SEED))}


def main() -> None:
    request = json.load(sys.stdin)
    set_language(request.get("language", "en"))
    verdict = {"answer": answer, "table": table, "behaviour": behaviour}[request["what"]](
        request)
    json.dump(verdict, sys.stdout)
