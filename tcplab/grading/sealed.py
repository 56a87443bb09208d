"""Sealed checking: graded cells whose expected answers a student's code cannot reach.

A hidden test imports this module itself (no name of the student's cells) and asks:

* :func:`expect` — is this answer right?  The answer must be of an exact type (an ``int``
  is ``int``, not a subclass whose ``==`` is always true, nor a ``bool``); it is sent, as
  plain data, to a fresh Python process (``python -I``), which plays the homework's story
  from its seed and says only "right" or "wrong".  The expected answer never exists in
  the kernel, so no later cell can read it either.
* :func:`table` — hw3's table, converted to plain data (text, ``None``, tcplab's own
  enums) and scored by the conformance matrix in a fresh process.
* :func:`behaves` — hw2's question 4: the student's function runs in the kernel (it is
  code), and what it made happen is compared in a fresh process with the true story.

The visible tests call :func:`form`: the same exact-type check, with a message that says
what to write.  The limit: this module, and Python's own modules, live in the student's
kernel too; a student who studies the grader and patches them can fool any test run
there.  What is sealed is everything a helper, a rebinding or a patched tcplab can reach.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from ..fsm import Event, State
from ..segment import Flag
from ..text import N_, _, language
from .answers import parse_flags, parse_state
from .fresh import ELLIPSIS

# taken when the setup cell imports this module, before any student cell runs
_PYTHON = sys.executable
_ROOT = str(Path(__file__).resolve().parents[2])
_RUN = subprocess.run
_DUMPS, _LOADS = json.dumps, json.loads
_TIMEOUT = 120.0
_CODE = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from tcplab.grading import fresh; fresh.main()")

_WHAT = {
    "int": N_("a whole number (a Python int), like 1001 or x + 1"),
    "seconds": N_("a number of seconds (a Python int or float), like 12.5"),
    "bool": N_("True or False"),
    "flags": N_('the flags as text, like "ACK" or "FIN+ACK"'),
    "state": N_('a state name as text, like "CLOSED"'),
}


class Refused(AssertionError):
    """An answer of a type the grader does not accept (the message says what to write)."""


def _plain(name: str, value, kind: str):
    """``value`` as plain JSON data if it has an exact type ``kind`` accepts, else Refused."""
    t = type(value)
    if kind == "int" and t is int:
        return value
    if kind == "seconds" and (t is int or (t is float and math.isfinite(value))):
        return value
    if kind == "bool" and t is bool:
        return value
    if kind == "flags" and t is Flag and type(value._value_) is int:
        return "+".join(m._name_ for m in Flag if m._value_ & value._value_)
    if kind == "state" and t is State and type(value._name_) is str:
        return value._name_
    if kind in ("flags", "state") and t is str:
        return value
    said = _("{name} should be {what}; it is {kind_of}").format(
        name=name, what=_(_WHAT[kind]), kind_of=_kind(value))
    if t.__module__ != "builtins":
        said += _(", which the grader does not accept: a look-alike of a number or a text "
                  "may compare equal to anything")
    raise Refused(said)


def _kind(value) -> str:
    t = type(value)
    if t is bool:
        return _("a bool ({value})").format(value=value)
    if t.__module__ == "builtins":
        said = _("an {type}") if t.__name__[0] in "aeiou" else _("a {type}")
        return said.format(type=t.__name__)
    bases = [b.__name__ for b in t.__mro__[1:] if b.__module__ == "builtins" and b is not object]
    made = _("an object of your own class {type}").format(type=t.__name__)
    if bases:
        made += _(" (made from {base})").format(base=bases[0])
    return made


def form(name: str, value, kind: str) -> bool:
    """The visible test: ``value`` has the form of the answer (an exact type, readable)."""
    given = _plain(name, value, kind)
    if kind == "flags" and parse_flags(given) is None:
        raise Refused(_('{name}: write the flags as text, like "ACK" or "FIN+ACK"').format(
            name=name))
    if kind == "state" and parse_state(given) is None:
        raise Refused(_('{name}: write a state name, like "CLOSED"').format(name=name))
    return True


def _fresh(request: dict) -> dict:
    request = dict(request, language=language())
    proc = _RUN([_PYTHON, "-I", "-c", _CODE, _ROOT], input=_DUMPS(request),
                capture_output=True, text=True, timeout=_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError("the grader's own process failed:\n" + proc.stderr[-2000:])
    return _LOADS(proc.stdout)


def expect(homework: str, name: str, value, hint: str, seed: int | None = None) -> None:
    """The hidden test: AssertionError(``hint``) unless ``value`` is the right answer.

    ``seed`` None: the graded student's (:func:`tcplab.homework.student.graded_seed`).
    """
    kinds = _kinds(homework)
    given = _plain(name, value, kinds[name])
    if seed is None:
        seed = _graded_seed(homework)
    request = {"what": "answer", "homework": homework, "name": name, "value": given,
               "seed": seed}
    if not _fresh(request)["right"]:
        raise AssertionError(hint)


def _graded_seed(homework: str) -> int:
    from ..homework.student import graded_seed
    return graded_seed(homework)


def _kinds(homework: str) -> dict:
    module = sys.modules.get(f"tcplab.homework.{homework}")
    if module is None:
        from importlib import import_module
        module = import_module(f"tcplab.homework.{homework}")
    return dict(module.KINDS)


# --------------------------------------------------------------------------- hw3's table

_ENUMS = {State: lambda v: v._name_, Event: lambda v: "Event." + v._name_,
          Flag: lambda v: "+".join(m._name_ for m in Flag if m._value_ & v._value_) or ""}


def _leaf(value):
    t = type(value)
    if value is None or t is str:
        return value
    if value is Ellipsis:
        return ELLIPSIS
    if t in _ENUMS:
        return _ENUMS[t](value)
    if t is tuple or t is list:
        return [_leaf(v) for v in value]
    raise Refused(_("my_table holds {kind_of}: write its cells with text (\"TIME-WAIT\", "
                    "\"ACK\", \"\"), None, or tcplab's State and Flag").format(
        kind_of=_kind(value)))


def plain_table(student) -> dict:
    """A student's table as plain data: a dict, or a list of rows, of text and None."""
    if type(student) is dict:
        return {"kind": "dict", "items": [[_leaf(k), _leaf(v)] for k, v in student.items()]}
    if type(student) is list:
        return {"kind": "rows", "items": [_leaf(row) for row in student]}
    raise Refused(_("my_table should be a dict {{(state, event): (next state, sent)}}; it "
                    "is {kind_of}").format(kind_of=_kind(student)))


def table(student) -> dict:
    """hw3: ``{group: {"score", "max", "text"}}`` of the student's table, scored afresh."""
    return _fresh({"what": "table", "table": plain_table(student)})["groups"]


# --------------------------------------------------------------------------- hw2's q4

def behaves(test: str, lose, seed: int | None = None) -> None:
    """hw2, question 4: the homework's close story with the student's ``lose`` function,
    on the graded student's network (``seed`` None) or ``seed``'s."""
    from ..homework import hw2
    if not callable(lose):
        raise Refused(_("lose_last_ack should be a function of the network"))
    if seed is None:
        seed = _graded_seed("hw2")
    try:
        record = hw2.record(*hw2.close_story(lose=lose, setting=hw2.with_seed(seed)))
    except Exception as exc:      # the student's function, or a patched tcplab, broke it
        raise AssertionError(_("the story with your lose_last_ack did not play to its end: "
                               "{error}").format(error=f"{type(exc).__name__}: {exc}"))
    if not _fresh({"what": "behaviour", "homework": "hw2", "test": test,
                   "record": record, "seed": seed})["right"]:
        raise AssertionError(_(_HINTS[test]))


_HINTS = {
    "q4-fin-again": N_("when A's last ACK is lost, B sends its FIN+ACK once more, and both "
                       "end CLOSED"),
    "q4-only-that-ack": N_("exactly one segment should be lost: A's ACK of B's FIN"),
}
