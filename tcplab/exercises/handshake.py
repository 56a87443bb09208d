"""Exercises of lesson 01, the three-way handshake."""

from __future__ import annotations

from ..checks import Part, compare, exercise
from ..network import Network

LESSON = "01-three-way-handshake"


def _handshake(x: int, y: int) -> list:
    net = Network(seed=0)
    a, b = net.host("A", iss=x), net.host("B", iss=y)
    b.listen()
    a.connect("B")
    net.run(until=1.0)
    return [s for _, s in net.sent]


@exercise("handshake-third-segment",
          "B chose y=4000 and A's SYN had seq=700. What are the seq and ack of the third "
          "segment of the handshake? Answer with checks.check('handshake-third-segment', "
          "seq=..., ack=...).", LESSON)
def third_segment(seq=None, ack=None):
    third = _handshake(700, 4000)[2]
    return compare({"seq": seq, "ack": ack}, [
        Part("seq", third.seq, "A's SYN used sequence number x=700, so A's next byte is "
             "numbered x+1."),
        Part("ack", third.ack, "A acknowledges B's SYN: the ACK number is the next sequence "
             "number A expects from B, y+1 (the SYN occupies one number)."),
    ], praise="A sends ACK, seq=x+1, ack=y+1.")
