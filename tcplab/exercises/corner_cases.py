"""Exercises of lesson 06, simultaneous open and resets — and two helpers the lesson uses.

Each checker plays its question's story on a :class:`~tcplab.network.Network`
with the question's numbers (not the notebook's x=100, y=300) and reads the
right answer off the run; a wrong part gets the reason that fits the mistake.
States and control bits are read forgivingly (:mod:`tcplab.grading.answers`).

:func:`in_state` and :func:`abort_and_reset`, which the notebook imports from
here, live in :mod:`tcplab.resets` (the runs behind the lesson's abort/RST table).
The corner cases of closing are lesson 07's (:mod:`tcplab.exercises.corner_closing`,
and its lab exercise, ``corner-lab``, in :mod:`tcplab.exercises.corner_lab`).
"""

from __future__ import annotations

from .. import stories
from ..fsm import State
# a checker below has a local "entered": the helper goes by _entered here
from ..grading.answers import entered as _entered
from ..grading.answers import mistake, read_flags_part, read_state_part, sent_by
from ..grading.blanks import Blanks
from ..grading.explain import explanation
from ..grading.framework import Part, compare, exercise
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..network import Network
from ..resets import ORDER, TABLE_STATES, AbortAndReset, abort_and_reset, in_state, \
    lose_next
from ..segment import Flag, Segment
from ..text import N_, _

LESSON = "06-open-and-reset"

__all__ = ["LESSON", "in_state", "abort_and_reset", "AbortAndReset", "ORDER", "TABLE_STATES"]

S = State

_lose = lose_next


# --------------------------------------------------------------------------- variants
# Each student's numbers (tcplab.grading.variants); the demo student gets the numbers the
# saved outputs were made with.  A's numbers and B's come from ranges that do not overlap,
# so no hint mistakes x+1 for y.

def _isn_a(demo: int) -> Choice:
    return Choice(range(100, 30000, 10), demo)


def _isn_b(demo: int) -> Choice:
    return Choice(range(30000, 60000, 10), demo)

# --------------------------------------------------------------------------- 1. simultaneous open

@exercise("corner-simultaneous-open",
          N_("A (ISN x={x}) and B (ISN y={y}) both call connect() at the same moment; "
          "nothing is lost. What are the seq and ack of the segment A sends when B's SYN "
          "arrives, and how many segments do the two hosts send in all until both are "
          "ESTABLISHED? Answer with checks.check('corner-simultaneous-open', seq=..., "
          "ack=..., segments=...)."), LESSON, vary=dict(x=_isn_a(2000), y=_isn_b(7000)))
def simultaneous_open(v, /, seq=None, ack=None, segments=None, **other):
    x, y = v["x"], v["y"]
    net, _a, _b = stories.simultaneous_open(a_iss=x, b_iss=y)
    net.run(until=2.0)
    reply = next(s for s in sent_by(net, "A", Flag.SYN | Flag.ACK))
    both = max(_entered(net, "A", S.ESTABLISHED), _entered(net, "B", S.ESTABLISHED))
    count = sum(1 for t, _ in net.sent if t <= both)
    return compare({"seq": seq, "ack": ack, "segments": segments, **other}, [
        Part("seq", reply.seq, mistake(seq, (
            _("A's answer repeats A's own SYN — nobody has acknowledged it yet — and adds the "
            "ACK of B's SYN.")), {
            x + 1: _("{x_1} is x+1. A's SYN has not been acknowledged (B's SYN carried no "
                   "ACK), so A sends its SYN again, with the same number x, now with an ACK.").format(x_1=x + 1),
            y: _("{y} is y, B's number; seq counts A's own sequence space.").format(y=y),
            y + 1: _("{y_1} is y+1, the ack A sends; seq counts A's own sequence space.").format(y_1=y + 1),
        })),
        Part("ack", reply.ack, mistake(ack, (
            _("A acknowledges B's SYN: the next number A expects from B.")), {
            y: _("{y} is y, the number of B's SYN. The SYN occupies one sequence number, so A "
               "acknowledges y+1.").format(y=y),
            x + 1: _("{x_1} is x+1, in A's own sequence space; ack names B's next number.").format(x_1=x + 1),
            0: _("A's answer does carry an ACK: it acknowledges B's SYN."),
        })),
        Part("segments", count, mistake(segments, (
            _("Count each host's SYN and each host's answer to the other's SYN.")), {
            3: _("The three-way handshake needs three; here nobody is the server: each host "
               "sends a SYN, and each answers the other's SYN with a SYN+ACK."),
            2: _("Two SYNs cross, but neither is acknowledged by them: each host must answer "
               "the other's SYN too."),
            6: _("No separate ACK is needed: each SYN+ACK acknowledges the other host's SYN, "
               "and each host is ESTABLISHED when the other's SYN+ACK arrives."),
            5: _("No separate ACK is needed: each SYN+ACK acknowledges the other host's SYN."),
        })),
    ], praise=_("A answers SYN+ACK, seq=x, ack=y+1 (RFC 9293, Figure 7): two SYNs and two "
              "SYN+ACKs, four segments."))


# --------------------------------------------------------------------------- 2. a closed port

#: the ISN B would choose if it had a connection (it has none: the question does not say it)
_B_UNUSED_ISN = 8000


@exercise("corner-closed-port",
          N_("B has not called listen(): it is CLOSED. A (x={x}) calls connect('B'). What does "
          "B send back: which control bits, which seq and which ack? And which state is A in "
          "when that arrives? Answer with checks.check('corner-closed-port', flags=..., "
          "seq=..., ack=..., a=...)."), LESSON, vary=dict(x=_isn_a(3000)))
def closed_port(v, /, flags=None, seq=None, ack=None, a=None, **other):
    x = v["x"]
    net = Network(seed=0, delay=0.1)
    host_a = net.host("A", iss=x)
    net.host("B", iss=_B_UNUSED_ISN)
    host_a.connect("B")
    net.run()
    rst = sent_by(net, "B", Flag.RST)[0]
    given_flags, flags_part = read_flags_part("flags", str(rst.flags), flags, (
        _("B refuses: a reset, answering a SYN that had no ACK.")), {
        "RST": _("A's SYN carries no ACK, so B's RST cannot take its seq from one. RFC 9293 "
               "§3.10.7.1 answers <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: the ACK names "
               "the SYN being refused, and A in SYN-SENT accepts an RST only with that ACK."),
        "SYN+ACK": _("B is CLOSED, not listening: it accepts no connection."),
        "nothing": _("B answers: a segment to a closed port is answered with a reset, so A "
                   "learns at once that nobody is there."),
        "ACK": _("An ACK would mean B has a connection; B is CLOSED and refuses with a reset."),
    })
    given_a, a_part = read_state_part("a", host_a.state, a, (
        _("The RST acknowledges A's SYN, so A accepts it: 'connection refused'.")), {
        S.SYN_SENT: _("A would stay in SYN-SENT (and retransmit) only if the RST were not "
                    "acceptable; its ack=x+1 acknowledges A's SYN, so A gives up at once."),
        S.LISTEN: _("A never listened; its connection attempt is refused."),
        S.ESTABLISHED: _("A reset is no acceptance."),
        S.SYN_RECEIVED: _("A received no SYN."),
        S.TIME_WAIT: _("TIME-WAIT follows a connection that was open; this one never was."),
    })
    return compare({"flags": given_flags, "seq": seq, "ack": ack, "a": given_a, **other}, [
        flags_part,
        Part("seq", rst.seq, mistake(seq, (
            _("B has no connection and no sequence numbers of its own: when the arriving "
            "segment has no ACK, the RST carries seq=0.")), {
            # first: where x is this number too, the hints about x say more
            _B_UNUSED_ISN: _("B has no connection, so it chose no ISN: the RST carries seq=0."),
            x + 1: _("{x_1} is x+1: it goes in the ack field. B has no sequence numbers of "
                   "its own (no TCB), so seq=0.").format(x_1=x + 1),
            x: _("{x} is A's number; B has none of its own, so seq=0.").format(x=x),
        })),
        Part("ack", rst.ack, mistake(ack, (
            _("The ack is SEG.SEQ+SEG.LEN of A's SYN.")), {
            x: _("{x} is x, the SYN's own number; the SYN occupies one number (SEG.LEN=1), so "
               "ack=x+1.").format(x=x),
            0: _("This RST does carry an ACK: it acknowledges the SYN it refuses."),
        })),
        a_part,
    ], praise=_("B answers RST+ACK, seq=0, ack=x+1, and A is CLOSED: 'connection refused'."))


# --------------------------------------------------------------------------- 3. SYN-RECEIVED and RST

def syn_received_then_rst(passive: bool, x: int, y: int) -> tuple[State, Segment]:
    """B (ISN ``y``) in SYN-RECEIVED receives a reset: from LISTEN, after an old SYN of A's
    (seq ``x``) that A, CLOSED, refuses; or after a simultaneous open (A's SYN+ACK lost,
    A aborts).  Returns B's state then, and the RST."""
    net = Network(seed=0, delay=0.1)
    a, b = net.host("A", iss=x), net.host("B", iss=y)
    if passive:                      # an old SYN of A's reaches a listening B; A is CLOSED
        b.listen()
        net.inject(Segment("A", "B", Flag.SYN, x))
        net.run(until=0.35)
    else:                            # both connect; A's SYN+ACK is lost, A aborts
        a.connect("B")
        b.connect("A")
        _lose(net, "A", Flag.SYN | Flag.ACK)
        net.run(until=0.15)
        a.abort()
        net.run(until=0.35)
    assert S.SYN_RECEIVED in b.history
    return b.state, sent_by(net, "A", Flag.RST)[0]


@exercise("corner-rst-syn-received",
          N_("B listens (ISN y={y}). An old duplicate SYN of A's, seq={x}, arrives; B answers "
          "SYN+ACK, and A, which has no connection, answers that with a reset. What is the "
          "RST's seq, and which state does B enter? And had B reached SYN-RECEIVED by a "
          "simultaneous open instead (from SYN-SENT), which state would an acceptable RST "
          "take it to? Answer with checks.check('corner-rst-syn-received', seq=..., "
          "passive=..., active=...)."), LESSON, vary=dict(x=_isn_a(650), y=_isn_b(4000)))
def rst_syn_received(v, /, seq=None, passive=None, active=None, **other):
    x, y = v["x"], v["y"]
    after_passive, rst = syn_received_then_rst(True, x, y)
    after_active, _rst = syn_received_then_rst(False, x, y)
    seq_part = Part("seq", rst.seq, mistake(seq, (
        _("A answers a segment that carries an ACK: its reset takes its seq from that "
          "ACK field (RFC 9293 §3.10.7.1: <SEQ=SEG.ACK><CTL=RST>).")), {
        x: _("{x} is the old SYN's own number. B's SYN+ACK acknowledged it with ack=x+1, and "
             "A's reset takes its seq from that ACK field.").format(x=x),
        y: _("{y} is B's ISN, in B's sequence space; A's reset takes its seq from the ACK "
             "field of the segment it answers, ack=x+1.").format(y=y),
        y + 1: _("{y_1} is y+1: it would acknowledge B's SYN, but A has no connection and "
                 "acknowledges nothing. Its reset's seq is the SYN+ACK's ack, "
                 "x+1.").format(y_1=y + 1),
        0: _("seq=0 is for a reset answering a segment without ACK (section 2); B's SYN+ACK "
             "carries one, ack=x+1, and A's reset takes that as its seq."),
    }))
    given_p, part_p = read_state_part("passive", after_passive, passive, (
        _("B's application asked to listen; the SYN it answered turned out to be bogus.")), {
        S.CLOSED: _("B's application asked to listen, and one bogus SYN does not cancel that: "
                  "B goes back to waiting for connection requests (RFC 9293 §3.10.7.4)."),
        S.SYN_SENT: _("B never sent a SYN of its own here; it answered one from LISTEN."),
        S.SYN_RECEIVED: _("The reset carries no ACK, and needs none: in SYN-RECEIVED an RST "
                          "is judged by its seq. Its seq, x+1, is exactly B's RCV.NXT, so B "
                          "accepts it and leaves SYN-RECEIVED."),
        S.ESTABLISHED: _("A reset is no acknowledgment."),
    })
    given_a, part_a = read_state_part("active", after_active, active, (
        _("B's application asked to connect to A, and A refused.")), {
        S.LISTEN: _("B never listened: its application called connect(). An RST here means "
                  "'connection refused', and B's application is told so."),
        S.SYN_SENT: _("The RST refuses the connection; B does not start again on its own."),
        S.SYN_RECEIVED: _("An acceptable RST ends the connection attempt: B leaves SYN-RECEIVED."),
        S.ESTABLISHED: _("A reset is no acknowledgment."),
    })
    return compare({"seq": seq, "passive": given_p, "active": given_a, **other},
                   [seq_part, part_p, part_a],
                   praise=_("A's reset is <SEQ=x+1><CTL=RST>, at B's RCV.NXT. From a passive "
                            "open, RST takes SYN-RECEIVED back to LISTEN; after a "
                            "simultaneous open, to CLOSED ('connection refused')."))


# --------------------------------------------------------------------------- 4. abort and RST

@exercise("corner-abort",
          N_("A (x={x}) and B (y={y}) are connected. A has sent {n} bytes, all acknowledged; "
          "then B called close(), and A acknowledged B's FIN. Now A's application calls "
          "abort(). What does A send (control bits, or 'nothing'), with which seq, and which "
          "state does B end in? Answer with checks.check('corner-abort', sends=..., seq=..., "
          "b=...)."), LESSON,
          vary=dict(x=_isn_a(1000), y=_isn_b(5000), n=Choice(range(2, 400), 20)))
def abort(v, /, sends=None, seq=None, b=None, **other):
    x, n = v["x"], v["n"]
    net, a, host_b = stories.opened(a_iss=x, b_iss=v["y"])
    a.send(bytes(n))
    net.run(until=1.5)
    host_b.close()
    net.run(until=2.0)
    assert a.state is S.CLOSE_WAIT
    b_before = host_b.state
    count = len(net.sent)
    a.abort()
    rst = net.sent[count][1]
    net.run()
    fin_b = sent_by(net, "B", Flag.FIN)[0]
    given_flags, flags_part = read_flags_part("sends", str(rst.flags), sends, (
        _("abort() gives the connection up at once and tells the peer with a reset.")), {
        "FIN": _("A FIN is what close() sends (and A would wait in LAST-ACK); abort() does not "
               "wait for anything."),
        "FIN+ACK": _("A FIN is what close() sends (and A would wait in LAST-ACK); abort() does "
                   "not wait for anything."),
        "nothing": _("In CLOSE-WAIT the peer still holds a connection (it waits in FIN-WAIT-2 "
                   "for A's FIN), so RFC 9293 §3.10.5 has A send a reset; only in CLOSING, "
                   "LAST-ACK and TIME-WAIT does abort() send nothing."),
        "ACK": _("An ACK would say nothing new; B would go on waiting for A's FIN."),
    }, accept=("RST", "RST+ACK"))
    given_b, b_part = read_state_part("b", host_b.state, b, (
        _("B was in FIN-WAIT-2, waiting for A's FIN; an acceptable RST ends B's connection "
        "at once.")), {
        S.TIME_WAIT: _("B enters TIME-WAIT only after A's FIN; the reset ends the connection "
                     "at once, without TIME-WAIT."),
        b_before: _("The RST's seq is exactly B's RCV.NXT, so B accepts it and closes: its "
                  "application is told 'connection reset'."),
        S.LAST_ACK: _("B closed first: LAST-ACK is the state of the side that closes second."),
        S.CLOSE_WAIT: _("CLOSE-WAIT is A's state; B closed first."),
    })
    return compare({"sends": given_flags, "seq": seq, "b": given_b, **other}, [
        flags_part,
        Part("seq", rst.seq, mistake(seq, (
            _("The reset carries A's next sequence number, SND.NXT, so that B finds it "
            "acceptable (it is B's RCV.NXT).")), {
            x + n: _("{last} is A's last data byte (x+{n}). The SYN took x and the data "
                     "x+1 … x+{n}, so A's next number is x+{n_1}.").format(
                         last=x + n, n=n, n_1=n + 1),
            x + n + 2: _("A sent no FIN (it was B that closed): A's next number is just after "
                         "its data, x+{n_1}.").format(n_1=n + 1),
            x: _("{x} is x, A's SYN; A has sent {n} bytes since.").format(x=x, n=n),
            fin_b.seq + 1: _("{fin_b_seq_1} is what A acknowledges of B (B's FIN + 1), in B's "
                           "sequence space; the RST's seq is A's own next number.").format(fin_b_seq_1=fin_b.seq + 1),
            0: _("seq=0 is for an RST that answers a segment without ACK when there is no "
               "connection; here A resets its own connection with its own next number."),
        })),
        b_part,
    ], praise=_("In CLOSE-WAIT, abort() sends a reset with seq=SND.NXT (x+{n_1}; tcplab, like "
              "Linux, also sets ACK: RST+ACK); B, in FIN-WAIT-2, accepts it and is CLOSED "
              "at once.").format(n_1=n + 1))


# --------------------------------------------------------------------------- predictions

@exercise("predict-simultaneous-open",
          N_("A and B call connect() at the same moment: their SYNs cross. When B's SYN "
             "reaches A, in SYN-SENT, which state does A enter, and which control bits does "
             "A send?"), LESSON, kind="predict")
def predict_simultaneous_open(state=None, bits=None, **other):
    net, a, _b = stories.simultaneous_open()
    net.run(until=0.1)
    answer = sent_by(net, "A", Flag.SYN | Flag.ACK)[0]
    given_state, state_part = read_state_part("state", a.state, state, _(
        "A has heard B's SYN but its own SYN is not acknowledged yet: it answers and waits "
        "for that ACK."), {
        S.ESTABLISHED: _("B's SYN carries no ACK: nobody has acknowledged A's SYN yet, so A "
                         "is not ESTABLISHED."),
        S.CLOSED: _("A SYN in SYN-SENT is no error: both sides want the connection, and "
                    "RFC 9293 (Figure 7) makes one of it."),
        S.SYN_SENT: _("A does not just keep waiting: a SYN from the peer moves SYN-SENT on.")})
    given_bits, bits_part = read_flags_part("bits", str(answer.flags), bits, _(
        "A acknowledges B's SYN and sends its own SYN again (same ISN), in one segment."), {
        "ACK": _("A also repeats its SYN (seq=x): B's SYN did not acknowledge it."),
        "RST": _("Nothing is wrong: both hosts asked for the same connection."),
        "SYN": _("A also acknowledges B's SYN (ack=y+1)."),
    })
    return compare({"state": given_state, "bits": given_bits, **other}, [state_part, bits_part],
                   praise=_("A enters SYN-RECEIVED and sends SYN+ACK (seq=x, ack=y+1); B does "
                            "the same."))


@exercise("predict-closed-port",
          N_("B has not called listen(): it is CLOSED. A calls connect('B'). What does B send "
             "back (control bits, or 'nothing'), and which state is A in once that has "
             "arrived?"), LESSON, kind="predict")
def predict_closed_port(bits=None, a=None, **other):
    net, host_a, _b = stories.pair(a_iss=100, b_iss=300)
    host_a.connect("B")
    net.run(until=0.3)
    rst = sent_by(net, "B", Flag.RST)[0]
    given_bits, bits_part = read_flags_part("bits", str(rst.flags), bits, _(
        "A CLOSED endpoint answers every segment but an RST with a reset."), {
        "nothing": _("B answers, so that A learns at once that nobody is there; silence "
                     "would leave A retransmitting its SYN."),
        "SYN+ACK": _("Only a listening endpoint accepts a connection."),
    }, accept=("RST", "RST+ACK"))
    given_a, a_part = read_state_part("a", host_a.state, a, _(
        "The reset acknowledges A's SYN, so A accepts it: 'connection refused'."), {
        S.SYN_SENT: _("A accepts this reset: its ack is x+1, the ACK of A's own SYN."),
        S.LISTEN: _("A called connect(), not listen()."),
    })
    return compare({"bits": given_bits, "a": given_a, **other}, [bits_part, a_part],
                   praise=_("B answers with a reset and A, in SYN-SENT, accepts it: CLOSED, "
                            "'connection refused'."))


@exercise("predict-rst-off-by-one",
          N_("A is ESTABLISHED. An RST arrives 'from B' whose seq is one above A's RCV.NXT: "
             "inside A's window, but not exactly the next number. What does A send (control "
             "bits, or 'nothing'), and which state is A in afterwards?"), LESSON,
          kind="predict")
def predict_rst_off_by_one(sends=None, state=None, **other):
    net, a, _b = in_state(S.ESTABLISHED)
    count = len(net.sent)
    net.inject(Segment("B", "A", Flag.RST, a.endpoint.rcv_nxt + 1))
    net.run(until=net.now + 0.2)
    answer = net.sent[count][1]
    given_sends, sends_part = read_flags_part("sends", str(answer.flags), sends, _(
        "RFC 5961 §3: an RST inside the window but not at RCV.NXT gets a challenge ACK."), {
        "nothing": _("Inside the window, A answers with a challenge ACK "
                     "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: a real peer then resets with the "
                     "exact number; a blind attacker learns nothing. Only an RST outside the "
                     "window is dropped silently."),
        "RST": _("An RST is never answered with an RST."),
    })
    given_state, state_part = read_state_part("state", a.state, state, _(
        "Only an RST at exactly RCV.NXT resets the connection."), {
        S.CLOSED: _("RFC 793 would have obeyed any RST in the window; RFC 5961 (optional in "
                    "RFC 9293, done by Linux and tcplab) obeys only seq = RCV.NXT, so a blind "
                    "attacker must guess one number out of 2^32."),
        S.TIME_WAIT: _("A reset never leads to TIME-WAIT, and this one is not obeyed."),
    })
    return compare({"sends": given_sends, "state": given_state, **other},
                   [sends_part, state_part],
                   praise=_("A answers with a challenge ACK and stays ESTABLISHED."))


# --------------------------------------------------------------------------- trace exercises

#: bytes of data that fit one segment (the MSS is 536)
_LENGTHS = range(20, 537)


def _open_then(v, then) -> list:
    """A simultaneous open; A sends n bytes, B acknowledges them, then ``then(b)``."""
    net, a, b = stories.simultaneous_open(a_iss=v["x"], b_iss=v["y"])
    net.run(until=1.0)
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    then(b)
    net.run(until=3.0)
    return rows_of(net)


def _open_then_reset(v) -> list:
    """… and B's application aborts."""
    return _open_then(v, lambda b: b.abort())


def _open_and_talk(v) -> list:
    """… and B answers m bytes."""
    return _open_then(v, lambda b: b.send(bytes(v["m"])))


#: the blanks of the simultaneous open and reset
OPEN_BLANKS = Blanks(("state3", "ack3", "ack4", "seq5", "ack6", "flags7", "seq7", "ack7"))


@exercise("trace-open-and-reset",
          N_("A (ISN x={x}) and B (ISN y={y}) call connect() at the same moment; A then "
             "sends {n} bytes, B acknowledges them, and B's application calls abort(). Fill "
             "in the blanks of the table TCP sent: checks.check('trace-open-and-reset', "
             "state3=…, ack3=…, …)."), LESSON,
          kind="trace", parts=OPEN_BLANKS.names,
          vary=dict(x=_isn_a(100), y=_isn_b(30000), n=Choice(_LENGTHS, 50)),
          figure=lambda v: OPEN_BLANKS.figure(_open_then_reset(v)))
def trace_open_and_reset(v, /, **answers):
    return OPEN_BLANKS.judge(_open_then_reset(v), answers)


@exercise("order-simultaneous-open",
          N_("A (x={x}) and B (y={y}) open by a simultaneous open; then A sends {n} bytes and "
             "B, after acknowledging them, answers {m} bytes. Here are the segments as cards, "
             "shuffled: put them in the order they were sent, reading only the numbers "
             "(segments the two hosts sent at the same moment may come in either order): "
             "checks.check('order-simultaneous-open', order=[…])."), LESSON, kind="order",
          vary=dict(x=_isn_a(100), y=_isn_b(40000), n=Choice(_LENGTHS, 60),
                    m=Choice(_LENGTHS, 90), shuffle=Choice(range(1, 5040), demo=1706)),
          figure=lambda v: Cards(_open_and_talk(v), v["shuffle"]))
def order_simultaneous_open(v, /, order=None, **other):
    return Cards(_open_and_talk(v), v["shuffle"]).judge(order, other)


# --------------------------------------------------------------------------- explain in words

explanation(
    "explain-rst-by-seq", LESSON,
    question=N_("An arriving RST is judged by its sequence number. Why by the seq — and why "
                "do RFC 5961 and Linux accept only exactly RCV.NXT, where RFC 793 accepted "
                "any seq in the window?"),
    model=N_("A reset deletes the connection and is never acknowledged, so the receiver must "
             "be sure it comes from the peer of this connection: only the peer knows where "
             "it has got to in its own sequence space, so a valid RST must carry a seq the "
             "receiver expects (RFC 9293 §3.5.3: in every state but SYN-SENT, a reset is "
             "valid if its seq is in the window). In SYN-SENT there is no receive window yet, "
             "so there the RST is acceptable if its ACK acknowledges our SYN. A blind "
             "attacker who knows the addresses and ports only has to guess a seq; with any "
             "seq in a 64 KB window accepted, about 2^32/2^16 = 65 536 tries suffice. RFC "
             "5961 §3 (optional in RFC 9293 §3.10.7.4, implemented by Linux and by tcplab) "
             "obeys only seq = RCV.NXT and answers any other in-window RST with a challenge "
             "ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: a real peer whose RST was off then "
             "resets with the exact number taken from that ACK; the attacker sees nothing. "
             "The lecture says only that an RST releases the connection at once; it does not "
             "say how the receiver checks it."),
    points=(N_("a reset is checked by its seq (in SYN-SENT, by its ACK of our SYN): only "
               "the real peer knows the numbers"),
            N_("any seq in the window made blind resets cheap: one guess per window size"),
            N_("RFC 5961 (and Linux): only seq = RCV.NXT resets; elsewhere in the window a "
               "challenge ACK, which a real peer answers with an exact RST")))

explanation(
    "explain-syn-received-rst", LESSON,
    question=N_("An acceptable RST takes SYN-RECEIVED back to LISTEN after a passive open, "
                "but to CLOSED after a simultaneous open. Why the difference — and how does "
                "Linux do it?"),
    model=N_("The state machine remembers what the application asked for. After listen() "
             "(a passive open) the application wants to accept connections from anyone; a "
             "SYN that turns out to be bogus — an old duplicate (已失效的连接请求报文段), "
             "refused by the peer with an RST — must not end that, so the endpoint forgets "
             "the half-made connection and listens again (RFC 9293 §3.10.7.4). After "
             "connect() (an active open, then a simultaneous open) the application asked "
             "for this one connection, and the peer's RST means it is refused: the "
             "endpoint goes to CLOSED and reports \"connection refused\". Linux builds the "
             "passive case differently: a listening socket never leaves LISTEN; each "
             "half-open connection is a small request in the listener's SYN queue, shown as "
             "SYN-RECV, and an RST simply drops that request. A connecting socket that meets "
             "a simultaneous open does go to SYN-RECV, and an RST there ends it; but Linux's "
             "tcp_reset() reports ECONNREFUSED only in SYN-SENT, so that application sees "
             "ECONNRESET where the RFC says \"connection refused\"."),
    points=(N_("the difference comes from what the application asked: listen() for anyone, "
               "or connect() for this one connection"),
            N_("after a passive open a bogus (old duplicate) SYN must not stop the server "
               "listening: back to LISTEN"),
            N_("after a simultaneous open the RST refuses the connection: CLOSED, "
               "'connection refused' (Linux reports ECONNRESET from SYN-RECV)"),
            N_("Linux keeps the listener in LISTEN and drops a request from its SYN queue")))
