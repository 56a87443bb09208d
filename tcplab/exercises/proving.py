"""Exercises of lesson 09, proving it with a model checker."""

from __future__ import annotations

import dataclasses

from ..grading.framework import Part, compare, exercise
from ..text import N_, _

LESSON = "09-proving-it"


def _verdicts():
    from ..explore import LESSON_BOUNDS, explore, no_unasked_connection
    no_copies = dataclasses.replace(LESSON_BOUNDS, duplicates=0)
    two = explore(no_unasked_connection, handshake="two-way", bounds=no_copies)
    three = explore(no_unasked_connection, handshake="three-way", bounds=no_copies)
    return two.verdict == "violated", three.verdict == "violated"


@exercise("explore-no-copies",
          N_("Take the lesson's bounds but let the network make no copies (duplicates=0). "
          "Is the property 'B is never ESTABLISHED for a connection A never asked for' "
          "violated with the two-way handshake, and with the three-way handshake? Answer "
          "True (violated) or False, e.g. checks.check('explore-no-copies', two_way=..., "
          "three_way=...) — reason first, then run explore() yourself to see."), LESSON)
def no_copies(two_way=None, three_way=None):
    two, three = _verdicts()
    return compare({"two_way": two_way, "three_way": three_way}, [
        Part("two_way", two, _("The two-way server is ESTABLISHED as soon as it answers a SYN. "
             "Does the counterexample need a copy, or only a SYN that arrives when A no "
             "longer wants it (a retransmitted SYN, a re-ordering)?")),
        Part("three_way", three, _("With three segments B waits in SYN-RECEIVED until A "
             "acknowledges B's own, fresh sequence number: can fewer faults than before "
             "make B ESTABLISHED for nothing?")),
    ], praise=_("Removing a fault can only remove behaviours: a bound that is smaller proves "
              "less, never more."))
