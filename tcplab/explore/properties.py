"""The lesson's properties: predicates over a :class:`~tcplab.explore.World`."""

from __future__ import annotations

from ..fsm import State
from ..text import N_
from .world import World

__all__ = ["no_unasked_connection", "no_old_segment_accepted", "property_name", "property_doc"]


def no_unasked_connection(w: World) -> bool:
    """B is never ESTABLISHED for a connection A never asked for."""
    a, b = w.A, w.B
    if b.state is not State.ESTABLISHED:
        return True
    # A asked for it: A is in a connection (not CLOSED, not LISTEN) that began with the
    # very SYN B answered (its ISN is the one B acknowledged)
    return a.state not in (State.CLOSED, State.LISTEN) and a.iss == b.irs


def no_old_segment_accepted(w: World) -> bool:
    """After both hosts have closed, nothing of the old connection is accepted by a new one."""
    d = w.delivered
    return d is None or not (d.old and d.accepted)


#: The lesson's properties' first docstring lines, for the catalogue: a report says them
#: in the language spoken (a student's own property is shown as written).
LESSON_DOCS = (N_("B is never ESTABLISHED for a connection A never asked for."),
               N_("After both hosts have closed, nothing of the old connection is accepted "
                  "by a new one."))


def property_name(prop) -> str:
    """A property as a report names it: its function's name."""
    found = getattr(prop, "__name__", None) or type(prop).__name__
    return "(a lambda)" if found == "<lambda>" else found


def property_doc(prop) -> str:
    """A property in words: the first line of its docstring ("" without one)."""
    doc = (getattr(prop, "__doc__", None) or "").strip()
    return doc.splitlines()[0].strip() if doc else ""
