"""Exercises of lesson 01, the three-way handshake.

Every checker plays its own story on a :class:`~tcplab.network.Network` with
the numbers of its question and reads the right answer off the run, so the
answers follow the library.  A wrong part gets the reason that fits the
mistake (``ack=y`` instead of ``y+1``, a state one step too early ...); the
hint helpers (:func:`~tcplab.grading.answers.mistake`, ``seconds_part``,
``state_part``) live in :mod:`tcplab.grading.answers`.
"""

from __future__ import annotations

from ..grading.answers import STATE_NAMES  # noqa: F401 - still importable from here
from .. import stories
from ..grading.answers import (entered, mistake, read_flags_part, read_state_part, seconds_part,
                               sent_by, state_part)
from ..grading.blanks import Blanks
from ..grading.explain import explanation
from ..grading.framework import Part, compare, exercise
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..fsm import State
from ..network import Cause, Network
from ..segment import Flag
from ..text import N_, _

LESSON = "01-three-way-handshake"


# --------------------------------------------------------------------------- helpers

def handshake_net(x: int, y: int, delay: float = 0.1, **options) -> tuple:
    """A network with A (ISN x) and B (ISN y); B listens. Returns (net, a, b)."""
    net = Network(seed=0, delay=delay, **options)
    a, b = net.host("A", iss=x), net.host("B", iss=y)
    b.listen()
    return net, a, b


def _handshake(x: int, y: int) -> list:
    net, a, b = handshake_net(x, y)
    a.connect("B")
    net.run(until=1.0)
    return [s for _, s in net.sent]


_entered = entered


# --------------------------------------------------------------------------- variants
# Each student's numbers come from these ranges (tcplab.grading.variants); the demo
# student gets the numbers the saved outputs were made with.  A's ISNs and B's are
# drawn from ranges that do not overlap, so no hint mistakes x+1 for y.

def _isn_a(demo: int) -> Choice:
    return Choice(range(100, 30000, 10), demo)


def _isn_b(demo: int) -> Choice:
    return Choice(range(30000, 60000, 10), demo)


#: one-way delays a question may use, 0.05 … 0.40 s: a round trip stays below the
#: first retransmission timeout (1 s), so no question meets a retransmission it did not ask
_DELAYS = tuple(round(0.01 * i, 2) for i in range(5, 41))


# --------------------------------------------------------------------------- exercises

@exercise("handshake-third-segment",
          N_("B chose y={y} and A's SYN had seq={x}. What are the seq and ack of the third "
          "segment of the handshake? Answer with checks.check('handshake-third-segment', "
          "seq=..., ack=...)."), LESSON, vary=dict(x=_isn_a(700), y=_isn_b(4000)))
def third_segment(v, /, seq=None, ack=None, **other):
    syn, syn_ack, third = _handshake(v["x"], v["y"])[:3]
    x, y = syn.seq, syn_ack.seq
    return compare({"seq": seq, "ack": ack, **other}, [
        Part("seq", third.seq, mistake(seq, (
            _("A's SYN used sequence number x={x}, so A's next byte is numbered x+1.").format(
                x=x)), {
            x: _("{x} is x, the number A's SYN already used; the SYN occupies one sequence "
               "number, so A's next segment is numbered x+1.").format(x=x),
            y + 1: _("{y_1} is y+1, a number of B's sequence space; seq counts A's own "
                   "bytes, which start at x+1.").format(y_1=y + 1),
        })),
        Part("ack", third.ack, mistake(ack, (
            _("A acknowledges B's SYN: the ACK number is the next sequence number A expects "
            "from B, y+1 (the SYN occupies one number).")), {
            y: _("{y} is y, the number of B's SYN itself. The ACK number is the next number A "
               "expects from B: y+1, because the SYN occupies one sequence number.").format(y=y),
            x + 1: _("{x_1} is x+1, A's own next number; ack names a number of B's sequence "
                   "space: y+1.").format(x_1=x + 1),
        })),
    ], praise=_("A sends ACK, seq=x+1, ack=y+1."))


@exercise("handshake-syn-ack",
          N_("A chose the initial sequence number x={x} and B chose y={y}. What are the seq "
          "and ack of B's SYN+ACK, the second segment? Answer with "
          "checks.check('handshake-syn-ack', seq=..., ack=...)."), LESSON,
          vary=dict(x=_isn_a(5000), y=_isn_b(9000)))
def syn_ack(v, /, seq=None, ack=None, **other):
    syn, second = _handshake(v["x"], v["y"])[:2]
    x, y = syn.seq, second.seq
    return compare({"seq": seq, "ack": ack, **other}, [
        Part("seq", second.seq, mistake(seq, (
            _("B's SYN+ACK carries B's own initial sequence number y: its seq is y.")), {
            x + 1: _("{x_1} is x+1, A's number: it goes in the ack field. The seq field of "
                   "B's segment counts B's bytes and starts at B's ISN, y.").format(x_1=x + 1),
            y + 1: _("{y_1} is y+1, the number after B's SYN. The SYN itself carries y; y+1 "
                   "is what A will acknowledge.").format(y_1=y + 1),
        })),
        Part("ack", second.ack, mistake(ack, (
            _("B acknowledges A's SYN: ack is the next number B expects from A, x+1.")), {
            x: _("{x} is x, the number of A's SYN itself. The SYN occupies one sequence number, "
               "so B expects x+1 next: ack=x+1.").format(x=x),
            y + 1: _("{y_1} is in B's own sequence space; ack names the next number B expects "
                   "from A: x+1.").format(y_1=y + 1),
        })),
    ], praise=_("B sends SYN+ACK, seq=y, ack=x+1: its own ISN, and A's ISN plus one."))


#: the moments a question may ask about: never a delay of _DELAYS (at which a segment is
#: just arriving), always before A's first retransmission (1 s)
_MOMENTS = tuple(round(0.015 + 0.02 * i, 3) for i in range(48))


@exercise("handshake-lost-syn-ack",
          N_("B listens and A connects at t=0; the one-way delay is {delay:g} s. B's SYN+ACK "
          "is lost on the way. At t={at:g} s, before any retransmission, which state is A in, "
          "and which is B in? Answer with checks.check('handshake-lost-syn-ack', a='...', "
          "b='...')."), LESSON,
          vary=dict(delay=Choice(_DELAYS, 0.1), at=Choice(_MOMENTS, 0.5)))
def lost_syn_ack(v, /, a=None, b=None, **other):
    d, at = v["delay"], v["at"]
    net, host_a, host_b = handshake_net(100, 300, delay=d)
    net.drop(lambda s: s.flags == Flag.SYN | Flag.ACK, count=1)
    host_a.connect("B")
    net.run(until=at)
    arrived = at > d                       # has A's SYN reached B yet?
    return compare({"a": a, "b": b, **other}, [
        state_part("a", host_a.state, a, (
            _("A has sent its SYN and nothing has come back, so it is still waiting for B's "
            "answer.")), {
            State.ESTABLISHED: _("A would be ESTABLISHED only once B's SYN+ACK arrived, and it "
                               "was lost. A is still waiting: SYN-SENT."),
            State.CLOSED: _("A has not given up: it keeps waiting for an answer and will send "
                          "its SYN again when its retransmission timer fires (t=1 s)."),
            State.SYN_RECEIVED: _("SYN-RECEIVED is the state of the side that received a SYN. "
                                "A sent one and waits for the answer."),
        }),
        state_part("b", host_b.state, b, (
            _("B received A's SYN and answered; it is waiting for the ACK of its own SYN.")
            if arrived else _("A's SYN reaches B only at t={delay:g} s: at t={at:g} s it is "
                              "still on its way, and B still listens.").format(delay=d, at=at)),
            {
            State.ESTABLISHED: _("B answered the SYN, but with the three-way handshake it "
                               "waits for A's ACK of its SYN+ACK before it believes in the "
                               "connection.") if arrived else _(
                "B has not even received A's SYN yet: it arrives at t={delay:g} s.").format(
                    delay=d),
            State.LISTEN: _("B left LISTEN when A's SYN arrived (t={delay:g} s) and answered it "
                          "with SYN+ACK. Losing that answer does not take B back.").format(
                              delay=d),
            State.SYN_SENT: _("SYN-SENT is the state of the side that sent the first SYN (A); "
                            "B received that SYN."),
        }),
    ], praise=_("A waits in SYN-SENT, B in SYN-RECEIVED; both will retransmit.") if arrived
        else _("A waits in SYN-SENT; B still listens, A's SYN has not reached it yet."))


@exercise("handshake-established-times",
          N_("The one-way delay is {delay:g} s. B listens; A calls connect() at t=0. At what "
          "time is A's application told that the connection is established, and at what "
          "time is B's? Answer in seconds with checks.check('handshake-established-times', "
          "a=..., b=...)."), LESSON, vary=dict(delay=Choice(_DELAYS, 0.25)))
def established_times(v, /, a=None, b=None, **other):
    delay = v["delay"]
    net, host_a, host_b = handshake_net(100, 300, delay=delay)
    host_a.connect("B")
    net.run(until=5.0)
    # each application is told "connection established" as its host enters ESTABLISHED
    told = {h: _entered(net, h, State.ESTABLISHED) for h in ("A", "B")}
    ta, tb = told["A"], told["B"]
    return compare({"a": a, "b": b, **other}, [
        seconds_part("a", ta, a, (
            _("A is told when B's SYN+ACK arrives: one round trip (two one-way delays) after "
            "its SYN left.")), {
            delay: _("At {delay:g} s A's SYN reaches B. A must still wait for B's SYN+ACK to "
                   "come back.").format(delay=delay),
            tb: _("A learns it before B does: as soon as B's SYN+ACK arrives."),
        }),
        seconds_part("b", tb, b, (
            _("B is told when A's third segment (the ACK of B's SYN) arrives, one delay after "
            "A sent it.")), {
            ta: _("At {ta:g} s A is told and sends the third segment; B is told only when "
                "that ACK arrives.").format(ta=ta),
            delay: _("At {delay:g} s B has only received A's SYN. It answers SYN+ACK and waits "
                   "in SYN-RECEIVED until A's ACK arrives.").format(delay=delay),
        }),
    ], praise=_("A learns it after one round trip, B half a round trip later."))


@exercise("handshake-retransmitted-syn",
          N_("A chose x={x}, the one-way delay is {delay:g} s, and A's first SYN is lost "
          "(net.drop(lambda s: s.flags == Flag.SYN, count=1)). A's retransmission timer "
          "starts at 1 s. At what time does A send its SYN again, with which seq, and at "
          "what time does B become ESTABLISHED? Answer with "
          "checks.check('handshake-retransmitted-syn', resent=..., seq=..., "
          "b_established=...)."), LESSON,
          vary=dict(x=_isn_a(2000), delay=Choice(_DELAYS, 0.2)))
def retransmitted_syn(v, /, resent=None, seq=None, b_established=None, **other):
    delay = v["delay"]
    net, host_a, host_b = handshake_net(v["x"], 6000, delay=delay)
    net.drop(lambda s: s.flags == Flag.SYN, count=1)
    host_a.connect("B")
    net.run(until=10.0)
    again = next(r for r in net.trace if r.kind == "send" and r.host == "A"
                 and r.cause is Cause.RETRANSMISSION)
    x = host_a.iss
    t_b = _entered(net, "B", State.ESTABLISHED)
    t_a = _entered(net, "A", State.ESTABLISHED)
    return compare({"resent": resent, "seq": seq, "b_established": b_established, **other}, [
        seconds_part("resent", again.time, resent, (
            _("A cannot see the loss; it sends the SYN again when its retransmission timer "
            "(started with the SYN at t=0) fires.")), {
            2 * delay: _("{n_2_delay:g} s is one round trip, but nothing tells A that the SYN "
                       "is lost: A waits for its retransmission timer to fire.").format(n_2_delay=2 * delay),
            2.0: _("The timeout doubles only after it has fired once: the first one is 1 s, "
                 "counted from the first SYN."),
            3.0: _("The timeout doubles only after it has fired once: the first one is 1 s, "
                 "counted from the first SYN."),
        }),
        Part("seq", again.segment.seq, mistake(seq, (
            _("A retransmission repeats the same SYN, with the same initial sequence number.")), {
            x + 1: _("{x_1} is x+1. The lost SYN was never acknowledged, so A sends the very "
                   "same SYN again, seq=x: a retransmission reuses its sequence number.").format(x_1=x + 1),
        })),
        seconds_part("b_established", t_b, b_established, (
            _("Count from the retransmission: the SYN takes one delay to B, the SYN+ACK one back "
            "to A, the ACK one more to B.")), {
            t_a: _("{t_a:g} s is when A becomes ESTABLISHED (B's SYN+ACK arrives). B needs "
                 "A's ACK, which takes one more delay.").format(t_a=t_a),
            3 * delay: _("{n_3_delay:g} s would be right without the loss. The handshake "
                       "only starts when the SYN is sent again.").format(n_3_delay=3 * delay),
        }),
    ], praise=_("The same SYN (seq=x) again after 1 s, then the handshake as usual."))


@exercise("handshake-lost-third-ack",
          N_("B listens and A connects; the one-way delay is {delay:g} s and a retransmission timer "
          "starts at 1 s. A's ACK, the third segment of the handshake, is lost, and A has "
          "no data to send. Which host sends a segment again (who='A' or 'B'), with which "
          "control bits (bits='...'), and at what time does B become ESTABLISHED? And if A "
          "had instead sent data at t=0.5 s, when would B become ESTABLISHED? Answer with "
          "checks.check('handshake-lost-third-ack', who=..., bits=..., b_established=..., "
          "with_data=...)."), LESSON,
          vary=dict(delay=Choice(_DELAYS[:16], 0.1)))    # A is ESTABLISHED before t=0.5 s
def lost_third_ack(v, /, who=None, bits=None, b_established=None, with_data=None, **other):
    net, a, b = stories.lost_third_ack(delay=v["delay"])
    again = next(r for r in net.trace if r.kind == "send" and r.cause is Cause.RETRANSMISSION)
    t_b = _entered(net, "B", State.ESTABLISHED)
    data_net, _a, _b = stories.lost_third_ack(data_at=0.5, delay=v["delay"])
    t_data = _entered(data_net, "B", State.ESTABLISHED)
    t_again = again.time
    delay = net.delay
    bits_given, bits_part = read_flags_part("bits", str(again.segment.flags), bits, (
        _("B retransmits what its timer guards: its SYN, which went out together with the "
        "ACK of A's SYN.")), {
        "ACK": _("A's ACK is what was lost, but nobody retransmits an ACK: it occupies no "
               "sequence number, so nothing acknowledges it and no timer guards it. B's timer "
               "guards its SYN+ACK."),
        "SYN": _("B's SYN went out together with the acknowledgment of A's SYN, and goes out "
               "again the same way: SYN+ACK."),
        "RST": _("Nothing is wrong with the connection: B simply has no answer yet and "
               "repeats its SYN+ACK."),
    })
    return compare({"who": who, "bits": bits_given, "b_established": b_established,
                    "with_data": with_data, **other}, [
        Part("who", again.host, mistake(who, (
            _("Only a segment that occupies sequence numbers (a SYN, a FIN, data) is "
            "acknowledged and retransmitted. Which host is waiting for an acknowledgment?")), {
            "A": _("A is ESTABLISHED and has nothing to retransmit: its ACK occupies no "
                 "sequence number, nobody acknowledges it, and A cannot know it was lost. "
                 "B, in SYN-RECEIVED, waits for the acknowledgment of its SYN+ACK."),
        })),
        bits_part,
        seconds_part("b_established", t_b, b_established, (
            _("B's timer fires 1 s after B sent its SYN+ACK; then the SYN+ACK goes to A and "
            "A's ACK comes back, {delay:g} s each way.").format(delay=delay)), {
            3 * delay: _("{n_3_delay:g} s is the handshake without loss; the ACK A sent then "
                       "never arrives.").format(n_3_delay=3 * delay),
            t_again: _("At {t_again:g} s B only sends its SYN+ACK again; A's answer has to "
                     "come back first.").format(t_again=t_again),
            t_again + delay: _("At {t_again_delay:g} s A answers with its ACK again; it "
                             "arrives {delay:g} s later.").format(t_again_delay=t_again + delay, delay=delay),
            1.0 + 2 * delay: _("B's timer started when B sent its SYN+ACK (t={delay:g} s), "
                             "not at t=0.").format(delay=delay),
        }),
        seconds_part("with_data", t_data, with_data, (
            _("Every segment A sends after its SYN carries the ACK bit and ack=y+1, data "
            "segments too.")), {
            t_b: _("A's data segment carries ack=y+1 like the lost ACK did: it acknowledges "
                 "B's SYN and completes B's handshake as it arrives, long before B's timer."),
            0.5: _("A sends the data at 0.5 s; it reaches B {delay:g} s later.").format(delay=delay),
        }),
    ], praise=_("B notices (its SYN+ACK is not acknowledged) and repeats it; A, already "
              "ESTABLISHED, answers with the same ACK. A data segment from A would have "
              "completed B's handshake at once."))


# --------------------------------------------------------------------------- predict, then see

@exercise("predict-b-after-syn",
          N_("B listens; A's SYN is on its way to B. When it arrives, which state does B "
             "enter, and which control bits does B's answer carry?"), LESSON, kind="predict")
def b_after_syn(state=None, bits=None, **other):
    net, a, b = handshake_net(100, 300)
    a.connect("B")
    net.run(until=0.1)
    answer = sent_by(net, "B", Flag.SYN)[0]
    state_given, state = read_state_part("state", b.state, state, _(
        "B was in LISTEN, waiting for any client; a SYN makes it create the connection, "
        "answer, and wait for the third segment in SYN-RECEIVED (同步收到)."), {
        State.ESTABLISHED: _("not yet: B has heard A, but does not know yet that A hears B. "
                             "Only the third segment, an ACK of B's own number y, shows "
                             "that: B waits for it in SYN-RECEIVED.")})
    bits_given, bits = read_flags_part("bits", str(answer.flags), bits, _(
        "B answers with its own SYN (its ISN y) and an ACK of A's SYN (ack=x+1), in one "
        "segment: SYN+ACK."), {
        "ACK": _("an ACK alone would not give A B's own initial number: B's answer also "
                 "carries a SYN, seq=y."),
        "SYN": _("B also acknowledges A's SYN (ack=x+1) in the same segment: SYN+ACK.")})
    return compare({"state": state_given, "bits": bits_given, **other}, [state, bits],
                   praise=_("B enters SYN-RECEIVED and answers SYN+ACK, seq=y, ack=x+1."))



@exercise("predict-lost-syn",
          N_("B listens; A connects, and A's SYN is lost on the way (the one-way delay is "
             "0.1 s). Which state is B in while this happens, what does A send next "
             "(control bits), and at what time?"), LESSON, kind="predict")
def lost_syn(b=None, sends=None, at=None, **other):
    net, host_a, host_b = handshake_net(100, 300, delay=0.1)
    net.drop(lambda s: s.flags == Flag.SYN, count=1)
    host_a.connect("B")
    net.run(until=0.5)
    b_then = host_b.state
    net.run(until=5.0)
    again = next(r for r in net.trace if r.kind == "send" and r.host == "A"
                 and r.cause is Cause.RETRANSMISSION)
    b_given, b_part = read_state_part("b", b_then, b, _(
        "B never saw the SYN: for B nothing has happened, and it waits in LISTEN."), {
        State.SYN_RECEIVED: _("B would enter SYN-RECEIVED when a SYN arrives, and this one "
                              "was lost: B knows nothing of A yet."),
        State.CLOSED: _("B called listen() and waits in LISTEN; a lost segment does not "
                        "change B's state, since B never sees it.")})
    sends_given, sends_part = read_flags_part("sends", str(again.segment.flags), sends, _(
        "A cannot see the loss; it only waits for the answer to its SYN, and repeats what "
        "is not acknowledged: the SYN."), {
        "RST": _("Nothing tells A that anything went wrong: it hears nothing at all, so it "
                 "has nothing to reset. It simply asks again: the same SYN."),
        "nothing": _("A does not give up after one loss: the SYN is guarded by a "
                     "retransmission timer, and when it fires A sends the SYN again."),
        "SYN+ACK": _("A has received nothing it could acknowledge: its next segment is its "
                     "own SYN again, without ACK.")})
    at_part = seconds_part("at", again.time, at, _(
        "A's retransmission timer started with the SYN at t=0; its first timeout is 1 s "
        "(RFC 6298, and Linux's too)."), {
        0.2: _("0.2 s is one round trip, but A cannot know that the SYN is lost rather than "
               "slow: it waits for its retransmission timer (1 s at first)."),
        2.0: _("The timeout doubles only after it has fired once: the first one is 1 s."),
        3.0: _("The timeout doubles only after it has fired once: the first one is 1 s."),
    })
    return compare({"b": b_given, "sends": sends_given, "at": at, **other},
                   [b_part, sends_part, at_part],
                   praise=_("B stays in LISTEN; A sends the same SYN (seq=x) again when its "
                            "retransmission timer fires, 1 s after the first."))

# --------------------------------------------------------------------------- trace exercises

def _talk(v) -> list:
    """The handshake, then A sends n bytes, B acknowledges them and answers m bytes."""
    net, a, b = handshake_net(v["x"], v["y"], delay=0.1)
    a.connect("B")
    net.run(until=1.0)
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    b.send(bytes(v["m"]))
    net.run(until=3.0)
    return rows_of(net)


#: the blanks of the handshake's table: the same cells for every student, their own numbers
TALK_BLANKS = Blanks(("ack2", "state2", "flags3", "seq3", "ack3", "seq4", "ack5", "seq6",
                      "ack7"))
#: bytes of data that fit one segment (the MSS is 536): each story keeps its 7 segments
_LENGTHS = range(20, 537)


@exercise("trace-handshake",
          N_("A (ISN x={x}) connects to B (ISN y={y}); then A sends {n} bytes, and B, "
             "after acknowledging them, answers with {m} bytes. Fill in the blanks of the "
             "table TCP sent: checks.check('trace-handshake', ack2=…, state2=…, …)."), LESSON,
          kind="trace", parts=TALK_BLANKS.names,
          vary=dict(x=_isn_a(100), y=_isn_b(30000), n=Choice(_LENGTHS, 50),
                    m=Choice(_LENGTHS, 120)),
          figure=lambda v: TALK_BLANKS.figure(_talk(v)))
def trace_handshake(v, /, **answers):
    return TALK_BLANKS.judge(_talk(v), answers)


@exercise("order-handshake",
          N_("The same story with x={x}, y={y}, {n} bytes from A and {m} from B: here are its "
             "segments as cards, shuffled. Put them back in the order they were sent, reading "
             "only the numbers: checks.check('order-handshake', order=[…])."), LESSON,
          kind="order",
          vary=dict(x=_isn_a(2000), y=_isn_b(40000), n=Choice(_LENGTHS, 300),
                    m=Choice(_LENGTHS, 80), shuffle=Choice(range(1, 5040), demo=2024)),
          figure=lambda v: Cards(_talk(v), v["shuffle"]))
def order_handshake(v, /, order=None, **other):
    return Cards(_talk(v), v["shuffle"]).judge(order, other)


# --------------------------------------------------------------------------- explain in words

explanation(
    "explain-own-isn", LESSON,
    question=N_("Why does each host choose its own initial sequence number, instead of both "
                "starting every connection at 0?"),
    model=N_("Each direction of a connection is its own byte stream, numbered by its sender: "
             "the handshake exists so that each side tells its ISN (SYN, seq=x; SYN, seq=y) "
             "and hears it acknowledged (ack=x+1, ack=y+1). If every connection started at 0, "
             "a delayed segment of an earlier connection between the same ports would carry "
             "numbers that fall in the new connection's window and be taken as new data; "
             "and anyone could guess the numbers and forge a segment or a reset. RFC 9293 "
             "(§3.4.1) therefore has the ISN driven by a clock plus a secret hash of the "
             "connection's addresses and ports (RFC 6528), which is what Linux does; the "
             "lecture's RFC 793 used the clock alone."),
    points=(N_("each side numbers its own bytes, and the handshake makes each side learn "
               "and acknowledge the other's ISN"),
            N_("an old duplicate segment of an earlier connection would fall into a new "
               "connection's window if every connection started at the same number"),
            N_("predictable numbers let an attacker forge segments or resets (so the ISN is "
               "a clock plus a keyed hash, RFC 6528)")))


explanation(
    "explain-synack-resent", LESSON,
    question=N_("When A's ACK, the third segment of the handshake, is lost, B sends its "
                "SYN+ACK again, and nobody sends the lost ACK again by itself. Why the "
                "SYN+ACK, and not the ACK?"),
    model=N_("TCP retransmits only what occupies sequence numbers: a SYN, a FIN, data. "
             "Such a segment is acknowledged, so its sender keeps it in its retransmission "
             "queue under a timer until the acknowledgment comes (RFC 9293 §3.4, §3.8.1; the "
             "lecture: an ACK segment without data consumes no sequence number). A's ACK "
             "occupies no number: nobody acknowledges it, so A can never learn that it was "
             "lost, and no timer guards it; A is ESTABLISHED and waits for nothing. B, in "
             "SYN-RECEIVED, is still waiting for the acknowledgment of its SYN (ack=y+1): "
             "its timer fires and it sends the same SYN+ACK (seq=y, ack=x+1) again. For A "
             "that segment is old (seq=y is below its RCV.NXT=y+1), and RFC 9293 "
             "(§3.10.7.4) answers an unacceptable segment with an ACK of what it expects, "
             "which is the lost ACK. Usually no timer is needed: any later segment of A "
             "carries ack=y+1 and completes B's handshake. Linux does the same, repeating "
             "the SYN+ACK up to net.ipv4.tcp_synack_retries times (5 by default); the "
             "lecture shows only the three segments and does not tell the loss."),
    points=(N_("only segments that occupy sequence numbers (SYN, FIN, data) are acknowledged, "
               "so only they are guarded by a retransmission timer"),
            N_("A's ACK takes no number, is never acknowledged, so A cannot know it was lost "
               "and has nothing to retransmit"),
            N_("B in SYN-RECEIVED waits for the ACK of its SYN, so B's timer repeats the "
               "SYN+ACK, and A's answer to it is the lost ACK (or A's next data segment, "
               "which carries ack=y+1)")))
