"""Exercises of lesson 10, looking at a trace in Wireshark."""

from __future__ import annotations

from ..grading.framework import Part, compare, exercise
from ..grading.variants import Choice
from ..network import Network
from ..segment import Flag
from ..text import N_, _

LESSON = "10-wireshark"


def _relative_close(x: int, y: int, nbytes: int) -> tuple[tuple[int, int], int]:
    """Wireshark's relative (Seq, Ack) of A's FIN and the Ack of B's ACK of it."""
    from .. import pcap
    net = Network(seed=0)
    a, b = net.host("A", iss=x), net.host("B", iss=y)
    b.listen()
    a.connect("B")
    net.run(until=1)
    a.send(bytes(nbytes))
    net.run(until=2)
    a.close()
    net.run(until=3)
    captured = pcap.read(pcap.dumps(net))
    relative = pcap._relative(captured)
    segments = [s for _, s in net.sent]
    fin = next(i for i, s in enumerate(segments) if s.src == "A" and Flag.FIN in s.flags)
    ack = next(i for i, s in enumerate(segments) if i > fin and s.src == "B")
    return relative[fin], relative[ack][1]


@exercise("wireshark-relative-fin",
          N_("A's ISN is x={x} and B's is y={y}. After the handshake A sends {n} bytes and "
          "then closes; B has sent nothing. With Wireshark's relative sequence numbers, "
          "what Seq and Ack does A's FIN show, and what Ack does B's ACK of it show? "
          "Answer with checks.check('wireshark-relative-fin', fin_seq=..., fin_ack=..., "
          "b_ack=...)."), LESSON,
          # A's ISNs and B's do not overlap; the data fits in one segment
          vary=dict(x=Choice(range(1000, 30000, 10), 5000),
                    y=Choice(range(30000, 60000, 10), 9000),
                    n=Choice(range(10, 500), 40)))
def relative_fin(v, /, fin_seq=None, fin_ack=None, b_ack=None):
    (seq, ack), back = _relative_close(v["x"], v["y"], v["n"])
    return compare({"fin_seq": fin_seq, "fin_ack": fin_ack, "b_ack": b_ack}, [
        Part("fin_seq", seq, _("Wireshark counts each direction from its ISN: A's SYN is 0 "
             "and its first data byte 1, so after the SYN and the data the FIN is numbered "
             "one past the last byte A sent (u = x+1+bytes, minus x).")),
        Part("fin_ack", ack, _("B has sent only its SYN: A's acknowledgment is the next number "
             "it expects from B, the SYN's number + 1 (y+1), which counts as 1 from B's ISN.")),
        Part("b_ack", back, _("B acknowledges A's FIN, which occupies one sequence number: "
             "u+1, counted from x.")),
    ], praise=_("Relative numbers are the lecture's numbers with x and y set to 0."))
