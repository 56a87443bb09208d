"""Exercises of lesson 09, proving it with a model checker."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from ..grading.framework import Part, compare, exercise
from ..grading.variants import Choice
from ..text import N_, _

LESSON = "09-proving-it"


@lru_cache(maxsize=None)
def _verdicts(in_flight: int, retransmissions: int, reorders: int) -> tuple[bool, bool]:
    """(violated with the two-way handshake, with the three-way) without copies; each
    search takes well under a second, and the same bounds always give the same verdicts."""
    from ..explore import LESSON_BOUNDS, explore, no_unasked_connection
    bounds = dataclasses.replace(LESSON_BOUNDS, duplicates=0, in_flight=in_flight,
                                 retransmissions=retransmissions, reorders=reorders)
    two = explore(no_unasked_connection, handshake="two-way", bounds=bounds)
    three = explore(no_unasked_connection, handshake="three-way", bounds=bounds)
    return two.verdict == "violated", three.verdict == "violated"


@exercise("explore-no-copies",
          N_("Explore with bounds where the network makes no copies: "
          "Bounds(in_flight={in_flight}, losses=0, duplicates=0, "
          "retransmissions={retransmissions}, reorders={reorders}). "
          "Is the property 'B is never ESTABLISHED for a connection A never asked for' "
          "violated with the two-way handshake, and with the three-way handshake? Answer "
          "True (violated) or False, e.g. checks.check('explore-no-copies', two_way=..., "
          "three_way=...) — reason first, then run explore() yourself to see."), LESSON,
          # every search small (under a second); whether a timer may expire at all is what
          # changes the two-way verdict
          vary=dict(in_flight=Choice((2, 3), 3), retransmissions=Choice((0, 1, 2), 1),
                    reorders=Choice((0, 1), 1)))
def no_copies(v, /, two_way=None, three_way=None):
    two, three = _verdicts(v["in_flight"], v["retransmissions"], v["reorders"])
    return compare({"two_way": two_way, "three_way": three_way}, [
        Part("two_way", two, _("The two-way server is ESTABLISHED as soon as it answers a SYN. "
             "Does the counterexample need a copy, or only a SYN that arrives when A no "
             "longer wants it (a retransmitted SYN, a re-ordering)? And can a second SYN "
             "exist if no timer may expire?")),
        Part("three_way", three, _("With three segments B waits in SYN-RECEIVED until A "
             "acknowledges B's own, fresh sequence number: can fewer faults than before "
             "make B ESTABLISHED for nothing?")),
    ], praise=_("Removing a fault can only remove behaviours: a bound that is smaller proves "
              "less, never more."))
