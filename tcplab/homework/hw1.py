"""Homework 1: the numbers of the three-way handshake and of the four-way close.

The story: B listens, A connects (t = 0); A sends ``SENT_BY_A`` bytes (t = 1 s) and closes
(t = 2 s); B, half-closed, sends ``SENT_BY_B`` bytes (t = 3 s) and closes (t = 4 s).  The
ISNs come from the seed, and so does the MSL (:func:`msl`: the demo's is ``MSL``).  The notebook shows the student only the ISNs (:func:`isns`);
the connection itself is played here, where the grader reads the answers.
"""

from __future__ import annotations

from ..network import Network
from ..segment import Flag

SEED = 1729          # the homework's network
EXAMPLE_SEED = 4     # the "check yourself" connection: another one, other numbers
DELAY = 0.05
MSL = 30.0
SENT_BY_A = 300
SENT_BY_B = 120
#: a student's MSL, drawn from their seed (so the time TIME-WAIT ends is theirs too)
MSLS = (10.0, 20.0, 30.0, 45.0, 60.0)

#: What each graded answer is.
KINDS = {"q1_syn_ack_ack": "int", "q1_third_seq": "int", "q1_third_ack": "int",
         "q2_u": "int", "q2_ack": "int", "q3_w": "int", "q3_last_seq": "int",
         "q3_last_ack": "int", "q4_closed": "seconds"}


def msl(seed: int = SEED) -> float:
    """The MSL of the network of ``seed``: ``MSL`` for the demo, else one of ``MSLS``."""
    return MSL if seed == SEED else MSLS[seed % len(MSLS)]


def _hosts(seed: int, msl_s: float | None = None):
    net = Network(seed=seed, delay=DELAY, msl=msl(seed) if msl_s is None else msl_s)
    a, b = net.host("A"), net.host("B")     # ISNs: chosen by the network from the seed
    b.listen()
    a.connect("B")
    return net, a, b


def story(seed: int = SEED, msl_s: float | None = None):
    """The connection, played to the end: ``(net, a, b)`` (``msl_s``: another MSL than
    the seed's, e.g. the student's on the "check yourself" connection)."""
    net, a, b = _hosts(seed, msl_s)
    net.run(until=1.0)
    a.send(b"a" * SENT_BY_A)
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.send(b"b" * SENT_BY_B)                # half-close: B may still send
    net.run(until=4.0)
    b.close()
    net.run()
    return net, a, b


def isns(seed: int = SEED) -> tuple[int, int]:
    """A's and B's initial sequence numbers ``(x, y)``, and nothing else of the story."""
    net, a, b = _hosts(seed)
    net.run(until=1.0)
    return a.iss, b.iss


def _sent(net, src: str, flag: Flag | None = None) -> list:
    return [s for _, s in net.sent if s.src == src and (flag is None or flag in s.flags)]


def answers(seed: int = SEED) -> dict:
    """Every graded answer, read from the story played with ``seed``."""
    net, a, b = story(seed)
    syn_ack = _sent(net, "B", Flag.SYN)[0]
    third = _sent(net, "A")[1]
    fin = _sent(net, "A", Flag.FIN)[0]
    fin_acked = next(s for s in _sent(net, "B") if s.ack == (fin.seq + 1) % 2**32)
    last = _sent(net, "A")[-1]
    closed = [r.time for r in net.trace if r.kind == "state" and r.host == "A"][-1]
    return {"q1_syn_ack_ack": syn_ack.ack, "q1_third_seq": third.seq,
            "q1_third_ack": third.ack, "q2_u": fin.seq, "q2_ack": fin_acked.ack,
            "q3_w": _sent(net, "B", Flag.FIN)[0].seq, "q3_last_seq": last.seq,
            "q3_last_ack": last.ack, "q4_closed": closed}
