"""Lesson 02's exercises of the new kinds: predictions, trace exercises, explanations.

Predictions come before the close's key demonstrations (what B does when A's FIN
arrives; the states after B's FIN); the trace exercises show the close with the
student's own numbers (blanked fields; shuffled cards); the explanations ask why
four segments and why the active closer waits.  The answer-checked exercises of
the lesson are in :mod:`.close`.
"""

from __future__ import annotations

from dataclasses import replace

from .. import stories
from ..fsm import State
from ..grading.answers import read_flags_part, read_state_part, sent_by, state_part
from ..grading.blanks import Blanks
from ..grading.explain import explanation
from ..grading.framework import compare, exercise
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..segment import Flag
from ..text import N_, _
from .close import _A_NUMBERS, _B_NUMBERS, LESSON
# --------------------------------------------------------------------------- predict, then see

@exercise("predict-b-after-fin",
          N_("The connection is open; A calls close() and its FIN is on its way to B. B's "
             "application has not closed. When the FIN arrives, which state does B enter, "
             "and which control bits does B's answer carry?"), LESSON, kind="predict")
def b_after_fin(state=None, bits=None, **other):
    net, a, b = stories.opened(a_iss=100, b_iss=300)
    a.close()
    net.run(until=1.15)                        # the FIN has arrived, B has answered
    answer = sent_by(net, "B", Flag.ACK, after=1.0)[0]
    state_given, state = read_state_part("state", b.state, state, _(
        "B acknowledges the FIN at once and tells its application that A has finished "
        "sending; it waits for its own application's close() in CLOSE-WAIT."), {
        State.LAST_ACK: _("B enters LAST-ACK only when it sends its own FIN, and B's "
                          "application has not closed yet."),
        State.CLOSED: _("only A's direction is closed; B may still send data (the "
                        "half-close, 半关闭), so B keeps the connection."),
        State.TIME_WAIT: _("TIME-WAIT belongs to the side that closed first, A, at the very "
                           "end of the close."),
        State.FIN_WAIT_1: _("the FIN-WAIT states belong to the side that sent the first "
                            "FIN, A; B received it."),
        State.ESTABLISHED: _("the FIN moves B out of ESTABLISHED: B now knows that A will "
                             "send nothing more.")})
    bits_given, bits = read_flags_part("bits", str(answer.flags), bits, _(
        "B acknowledges the FIN (ack=u+1) with a bare ACK: its own FIN must wait for its "
        "application."), {
        "FIN+ACK": _("B's TCP may not close B's direction by itself: its FIN waits for B's "
                     "application to call close(). (When the application closes at once, "
                     "Linux often sends both in one segment, FIN+ACK: a question at the end "
                     "of the lesson asks why.)"),
        "FIN": _("B's FIN waits for B's application to call close(); what B sends at once "
                 "is the acknowledgment of A's FIN."),
        "RST": _("nothing is wrong: a FIN is the orderly end of A's direction, answered "
                 "with an ACK."),
        "nothing": _("a FIN occupies a sequence number, so B acknowledges it, at once.")})
    return compare({"state": state_given, "bits": bits_given, **other}, [state, bits],
                   praise=_("B enters CLOSE-WAIT and answers ACK, ack=u+1; its FIN waits "
                            "for its application."))


@exercise("predict-a-after-fin",
          N_("A is in FIN-WAIT-2 and B in CLOSE-WAIT. Now B's application calls close(). "
             "Which state is B in once its FIN has left, and which state does A enter when "
             "that FIN arrives?"), LESSON, kind="predict")
def a_after_fin(b=None, a=None, **other):
    net, host_a, host_b = stories.half_closed()
    host_b.close()
    net.run()
    b_then = next(r.state for r in net.trace if r.kind == "state" and r.host == "B"
                  and r.time >= 2.0)
    a_then = next(r.state for r in net.trace if r.kind == "state" and r.host == "A"
                  and r.time >= 2.0)
    return compare({"b": b, "a": a, **other}, [
        state_part("b", b_then, b, _(
            "B has sent its FIN and waits for its acknowledgment, the last ACK."), {
            State.CLOSED: _("B still holds its FIN in its retransmission queue: it is done "
                            "only when A acknowledges it. It waits in LAST-ACK."),
            State.CLOSE_WAIT: _("B leaves CLOSE-WAIT when its application closes and it "
                                "sends its FIN."),
            State.TIME_WAIT: _("TIME-WAIT belongs to the side that closed first, A; B, the "
                               "passive closer, waits only for the last ACK."),
            State.FIN_WAIT_1: _("B closes second: from CLOSE-WAIT its FIN takes it to "
                                "LAST-ACK, not to the FIN-WAIT states of the first closer."),
        }),
        state_part("a", a_then, a, _(
            "A acknowledges B's FIN with the last ACK and keeps the connection for 2MSL."), {
            State.CLOSED: _("A cannot know whether its last ACK will arrive (nobody "
                            "acknowledges an ACK), so it stays, in TIME-WAIT, for 2MSL."),
            State.CLOSING: _("CLOSING is for a simultaneous close: a FIN that arrives before "
                             "one's own FIN is acknowledged. A's FIN was acknowledged long "
                             "ago."),
            State.LAST_ACK: _("LAST-ACK is for the side that closes second, B: A sends no "
                              "FIN now, only the last ACK."),
            State.FIN_WAIT_2: _("B's FIN is what A was waiting for in FIN-WAIT-2: A leaves "
                                "it."),
        }),
    ], praise=_("B waits in LAST-ACK for the last ACK; A sends it and enters TIME-WAIT."))


# --------------------------------------------------------------------------- trace exercises

#: bytes of data that fit one segment (the MSS is 536): each story keeps its segments
_ONE_SEGMENT = range(20, 537)


def _renumbered(rows: list, first: int) -> list:
    """The rows from row ``first`` on, numbered 1, 2, … (the handshake left out)."""
    return [replace(r, n=i) for i, r in enumerate(rows[first - 1:], 1)]


def _close_with_data(v) -> list:
    """Opened (x, y); A sends n bytes, closes; B, half-closed, sends m bytes, closes."""
    net, a, b = stories.opened(a_iss=v["x"], b_iss=v["y"])
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.send(bytes(v["m"]))
    net.run(until=4.0)
    b.close()
    net.run(until=5.0)
    return _renumbered(rows_of(net), 4)


#: the blanks of the close's table: the same cells for every student, their own numbers
CLOSE_BLANKS = Blanks(("seq3", "state3", "ack4", "state4", "seq5", "ack5", "ack6", "state6",
                       "seq7", "ack7", "state7", "ack8", "state8"))


@exercise("trace-close",
          N_("After the handshake (x={x}, y={y}), A sends {n} bytes and closes; B, "
             "half-closed, sends {m} bytes and then closes too. Fill in the blanks of the "
             "table TCP sent (u, v, w and the states): checks.check('trace-close', "
             "seq3=…, state3=…, …)."), LESSON,
          kind="trace", parts=CLOSE_BLANKS.names,
          vary=dict(x=Choice(_A_NUMBERS, 100), y=Choice(_B_NUMBERS, 30000),
                    n=Choice(_ONE_SEGMENT, 200), m=Choice(_ONE_SEGMENT, 300)),
          figure=lambda v: CLOSE_BLANKS.figure(_close_with_data(v)))
def trace_close(v, /, **answers):
    return CLOSE_BLANKS.judge(_close_with_data(v), answers)


def _half_close(v) -> list:
    """Opened (x, y); B answers k bytes; A closes; half-closed, B sends m bytes more and
    closes just as A's ACK of them leaves A (the two cross: either order is right)."""
    net, a, b = stories.opened(a_iss=v["x"], b_iss=v["y"])
    b.send(bytes(v["k"]))
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.send(bytes(v["m"]))
    net.run(until=3.0 + net.delay)
    b.close()
    net.run(until=4.0)
    return _renumbered(rows_of(net), 4)


@exercise("order-half-close",
          N_("B sends A {k} bytes; then A closes first, and half-closed, B still sends {m} "
             "bytes before it closes too. Here are the segments of this story as cards, "
             "shuffled. Put them back in the order they were sent, reading only the "
             "numbers: checks.check('order-half-close', order=[…])."), LESSON,
          kind="order",
          vary=dict(x=Choice(_A_NUMBERS, 5000), y=Choice(_B_NUMBERS, 40000),
                    k=Choice(_ONE_SEGMENT, 400), m=Choice(_ONE_SEGMENT, 100),
                    shuffle=Choice(range(1, 40320), demo=1717)),
          figure=lambda v: Cards(_half_close(v), v["shuffle"]))
def order_half_close(v, /, order=None, **other):
    return Cards(_half_close(v), v["shuffle"]).judge(order, other)


# --------------------------------------------------------------------------- explain in words

explanation(
    "explain-four-segments", LESSON,
    question=N_("Opening a connection takes three segments; why does closing it take four? "
                "And when do you see only three?"),
    model=N_("In the handshake B's SYN and B's ACK of A's SYN are caused by the same event, "
             "the arrival of A's SYN, so they travel together as SYN+ACK. In the close they "
             "are not: the ACK of A's FIN is TCP's own business and can go at once, but B's FIN "
             "closes B's direction, which only B's application may decide, and it may still "
             "have data to send (the half-close, 半关闭). So the ACK (ack=u+1) and the FIN "
             "(seq=w) usually go separately: four segments, as the lecture and RFC 9293 "
             "(§3.6, Figure 12) draw them. If B's application closes as soon as it reads the "
             "end of A's data, B's FIN can ride on the ACK: FIN+ACK, three segments. Linux "
             "does this: it delays the ACK of a FIN by a few tens of milliseconds, and a close() "
             "meanwhile sends FIN+ACK in one segment (on this course's machine a peer that "
             "closed at once usually answered with one segment, one that waited 0.5 s always "
             "with two)."),
    points=(N_("the ACK of A's FIN is TCP's own to send, but B's FIN waits for B's "
               "application: it decides when B's direction ends"),
            N_("in between B may still send data: the half-close, which the handshake has no "
               "equivalent of"),
            N_("when B's application closes at once, the FIN rides on the (delayed) ACK: "
               "FIN+ACK, three segments, as Linux often sends them")))

explanation(
    "explain-who-waits", LESSON,
    question=N_("Why does the side that closes first (the active closer) wait in TIME-WAIT, "
                "and not the side that closes second?"),
    model=N_("The active closer sends the last segment of the close, the ACK of the other's "
             "FIN. Nobody acknowledges an ACK, so it can never learn whether it arrived. If it "
             "was lost, B retransmits its FIN from LAST-ACK, and A must still hold the "
             "connection's numbers to answer with the right ACK; a host that had deleted its "
             "TCB would answer with RST, and B's application would see an error instead of an "
             "orderly close. The passive closer's last segment is its FIN, which its own "
             "retransmission timer guards: when the ACK arrives B knows that everything is "
             "over and may forget the connection at once. The second reason for 2MSL is that "
             "old duplicates of this connection die out before a new connection between the "
             "same ends begins (the lecture's 已失效的连接请求报文段); A keeps the pair of "
             "ends busy until then. RFC 9293 sets TIME-WAIT to 2MSL (MSL: 2 minutes in RFC "
             "793); Linux waits a fixed 60 s. In a simultaneous close both sides are active "
             "closers, and both wait."),
    points=(N_("the last segment is A's ACK of B's FIN; nobody acknowledges an ACK, so A "
               "cannot know it arrived"),
            N_("if it was lost, B repeats its FIN, and A must still be there to answer with "
               "the ACK, not with RST"),
            N_("B's last segment, its FIN, is guarded by B's own retransmission timer, so B "
               "needs no wait"),
            N_("2MSL also lets old segments of the connection die out before the same ends "
               "are used again")))
