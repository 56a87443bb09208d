"""Exercises of lesson 02, the four-way close and the half-close.

As in lesson 01, each checker plays its question's story on a
:class:`~tcplab.network.Network` and reads the right answer off the run; a
wrong part gets the reason that fits the mistake.  ``close-lab`` reads the
state a student drove a :class:`~tcplab.widgets.ConnectionLab` to.
"""

from __future__ import annotations

from .. import stories
from ..fsm import State
# a checker below has a local "entered": the helper goes by _entered here
from ..grading.answers import entered as _entered
from ..grading.answers import (mistake, read_flags_part, read_lab, read_state_part,
                               seconds_part, sent_by, state_part)
from ..grading.framework import Feedback, Part, compare, exercise
from ..grading.variants import Choice
from ..segment import Flag
from ..text import N_, _

LESSON = "02-four-way-close"


# --------------------------------------------------------------------------- variants
# Each student's numbers come from these ranges (tcplab.grading.variants); the demo
# student gets the numbers the saved outputs were made with.  A's numbers and B's come
# from ranges that do not overlap, so no hint mistakes one side's number for the other's.

_A_NUMBERS = range(100, 30000, 10)
_B_NUMBERS = range(30000, 60000, 10)
_LENGTHS = range(100, 1000, 10)           # bytes of data: a few segments at most
#: MSLs in seconds (not 30 s: a hint names 60 s as the default 2MSL)
_MSLS = (10.0, 15.0, 20.0, 25.0, 40.0, 45.0, 50.0)


# --------------------------------------------------------------------------- exercises

@exercise("close-fin-seq",
          N_("A chose x={x} in the handshake, then sent {n} bytes of data to B, all of them "
          "acknowledged. Now A calls close(). What is the sequence number u of A's FIN, and "
          "the acknowledgment number of B's ACK that answers it? Answer with "
          "checks.check('close-fin-seq', u=..., ack=...)."), LESSON,
          vary=dict(x=Choice(_A_NUMBERS, 1000), n=Choice(_LENGTHS, 250)))
def fin_seq(v, /, u=None, ack=None, **other):
    net, a, b = stories.opened(a_iss=v["x"], b_iss=3000)
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    fin = sent_by(net, "A", Flag.FIN)[0]
    answer = next(s for s in sent_by(net, "B", Flag.ACK) if s.ack == fin.end)
    x, n = a.iss, v["n"]
    return compare({"u": u, "ack": ack, **other}, [
        Part("u", fin.seq, mistake(u, (
            _("The SYN used x and the data bytes x+1 … x+{n}; the FIN takes the number "
            "after the last data byte.").format(n=n)), {
            x + n: _("{x_n} is x+{n}, the number of A's last data byte (the SYN used x, so "
                   "the data started at x+1). The FIN takes the next number.").format(
                       x_n=x + n, n=n),
            x + 1: _("{x_1} is x+1, A's first data byte; the {n} bytes since then used {n} "
                   "numbers.").format(x_1=x + 1, n=n),
            x: _("{x} is x, the number of A's SYN; A has sent {n} bytes since.").format(
                x=x, n=n),
            fin.seq + 1: _("{fin_seq_1} is u+1, what B will acknowledge; the FIN itself "
                         "carries u.").format(fin_seq_1=fin.seq + 1),
        })),
        Part("ack", answer.ack, mistake(ack, (
            _("B acknowledges A's FIN: ack is the next number B expects, u+1.")), {
            fin.seq: _("{fin_seq} is u, the FIN's own number. A FIN occupies one sequence "
                     "number, as a SYN does, so B acknowledges u+1. (The lecture's "
                     "'序号为u+1' is this acknowledgment number.)").format(fin_seq=fin.seq),
            x + n: _("{x_n} is A's last data byte. B acknowledges everything up to and "
                   "including the FIN, which comes after it and occupies one number.").format(x_n=x + n),
        })),
    ], praise=_("FIN, seq=u with u = x+1+{n}; B answers ACK, ack=u+1.").format(n=n))


@exercise("close-half-close-fin",
          N_("A closed first: its FIN had seq=u={u}, and B's ACK of it had seq=v={v}. "
          "Half-closed, B then sends {n} bytes to A, and afterwards calls close(). What are "
          "the seq and ack of B's FIN+ACK, and the ack of A's last ACK? Answer with "
          "checks.check('close-half-close-fin', seq=..., ack=..., last_ack=...)."), LESSON,
          vary=dict(u=Choice(range(101, 30000, 10), 2001), v=Choice(range(30001, 60000, 10), 7001),
                    n=Choice(_LENGTHS, 300)))
def half_close_fin(variant, /, seq=None, ack=None, last_ack=None, **other):
    # nothing but the SYNs before the FIN and its ACK: u = x+1, v = y+1
    net, a, b = stories.opened(a_iss=variant["u"] - 1, b_iss=variant["v"] - 1)
    a.close()
    net.run(until=2.0)
    b.send(bytes(variant["n"]))
    net.run(until=3.0)
    b.close()
    net.run(until=4.0)
    u = sent_by(net, "A", Flag.FIN)[0].seq
    fin = sent_by(net, "B", Flag.FIN)[0]
    v = next(s for s in sent_by(net, "B", Flag.ACK) if s.ack == u + 1).seq
    last = next(s for s in sent_by(net, "A", Flag.ACK) if s.ack == fin.end)
    n = variant["n"]
    return compare({"seq": seq, "ack": ack, "last_ack": last_ack, **other}, [
        Part("seq", fin.seq, mistake(seq, (
            _("B's FIN comes after all of B's data: its seq w is v plus the bytes B sent.")), {
            v: _("{v} is v, B's number when it acknowledged A's FIN. B has sent {n} bytes "
               "since (numbered v … v+{last}), so its FIN comes after them.").format(
                   v=v, n=n, last=n - 1),
            v + n - 1: _("{v_n_1} is v+{last}, B's last data byte; the FIN takes the next "
                       "number.").format(v_n_1=v + n - 1, last=n - 1),
            v + n + 1: _("{v_n_1} is w+1, what A will acknowledge; the FIN itself carries "
                       "w.").format(v_n_1=v + n + 1),
        })),
        Part("ack", fin.ack, mistake(ack, (
            _("B has received nothing from A since A's FIN, so it still acknowledges u+1.")), {
            u: _("{u} is u, the number of A's FIN. B has received that FIN, which occupies one "
               "number: B acknowledges u+1.").format(u=u),
            u + 2: _("After its FIN, A sent only empty ACKs, which use no sequence numbers; B "
                   "still expects u+1."),
            u + 1 + n: _("The {n} bytes are B's: they move B's seq, not the ack B sends. ack "
                       "counts what B has received from A.").format(n=n),
            u + n: _("The {n} bytes are B's: they move B's seq, not the ack B sends. ack "
                   "counts what B has received from A.").format(n=n),
        })),
        Part("last_ack", last.ack, mistake(last_ack, (
            _("A acknowledges B's FIN: the next number it expects from B, w+1.")), {
            fin.seq: _("{fin_seq} is w, the number of B's FIN. The FIN occupies one sequence "
                     "number, so A acknowledges w+1.").format(fin_seq=fin.seq),
            v + 1: _("{v_1} is v+1, but B's {n} bytes moved B's numbers on; A acknowledges "
                   "everything up to and including B's FIN.").format(v_1=v + 1, n=n),
        })),
    ], praise=_("B sends FIN+ACK, seq=w, ack=u+1 (w = v+{n}), and A answers ACK, seq=u+1, "
              "ack=w+1.").format(n=n))


@exercise("close-state-after-ack",
          N_("The connection is open. A calls close(); its FIN reaches B, and B's ACK has just "
          "arrived at A. B's application has not called close(). Which state is A in now, and "
          "which is B in? Answer with checks.check('close-state-after-ack', a='...', "
          "b='...')."), LESSON)
def state_after_ack(a=None, b=None, **other):
    delay = 0.1
    net, host_a, host_b = stories.opened(a_iss=100, b_iss=300, delay=delay)
    host_a.close()
    net.run(until=1.0 + 2 * delay + delay / 2)   # the FIN out, the ACK back
    return compare({"a": a, "b": b, **other}, [
        state_part("a", host_a.state, a, (
            _("A's FIN has been acknowledged, but B has not closed its direction yet: A "
            "waits for B's FIN.")), {
            State.FIN_WAIT_1: _("A stays in FIN-WAIT-1 only until its FIN is acknowledged, and "
                              "B's ACK has just arrived."),
            State.TIME_WAIT: _("A enters TIME-WAIT only when B's FIN arrives, and B has not "
                             "closed yet."),
            State.CLOSED: _("A cannot be CLOSED yet: B may still send data (the half-close, "
                          "半关闭), and A must receive B's FIN first."),
            State.CLOSING: _("CLOSING is for a simultaneous close (B's FIN arrives before the "
                           "ACK of A's FIN); here B sent only an ACK."),
            State.ESTABLISHED: _("A left ESTABLISHED when its application called close() and "
                               "it sent its FIN."),
        }),
        state_part("b", host_b.state, b, (
            _("B has received A's FIN and acknowledged it; it waits for its own application to "
            "close.")), {
            State.LAST_ACK: _("B enters LAST-ACK when its application calls close() and B sends "
                            "its FIN; that has not happened yet."),
            State.CLOSED: _("B's direction is still open: B may go on sending data."),
            State.ESTABLISHED: _("A's FIN moved B out of ESTABLISHED: B acknowledged it, and its "
                               "application was told that A has finished sending."),
            State.FIN_WAIT_1: _("The FIN-WAIT states belong to the side that closed first, A."),
            State.FIN_WAIT_2: _("The FIN-WAIT states belong to the side that closed first, A."),
        }),
    ], praise=_("A is in FIN-WAIT-2, B in CLOSE-WAIT: the connection is half-closed (半关闭)."))


@exercise("close-time-wait",
          N_("On a network with msl={msl:g} s and a one-way delay of {delay:g} s, the connection "
          "is open. A calls close() at t=1 s and B calls close() at t=2 s. How long does A "
          "stay in TIME-WAIT, and at what time does A become CLOSED? Answer in seconds with "
          "checks.check('close-time-wait', duration=..., closed=...)."), LESSON,
          vary=dict(msl=Choice(_MSLS, 20.0),
                    delay=Choice(tuple(round(0.01 * i, 2) for i in range(5, 31)), 0.1)))
def time_wait(v, /, duration=None, closed=None, **other):
    delay, msl = v["delay"], v["msl"]
    net, a, b = stories.opened(a_iss=100, b_iss=300, delay=delay, msl=msl)
    a.close()
    net.run(until=2.0)
    b.close()
    net.run()
    entered = _entered(net, "A", State.TIME_WAIT)
    left = next(r.time for r in net.trace if r.kind == "state" and r.host == "A"
                and r.state is State.CLOSED and r.time > entered)
    return compare({"duration": duration, "closed": closed, **other}, [
        seconds_part("duration", left - entered, duration, (
            _("TIME-WAIT lasts 2MSL: twice the maximum segment lifetime.")), {
            msl: _("{msl:g} s is one MSL; A waits twice the maximum segment lifetime (2MSL).").format(msl=msl),
            60.0: _("60 s is 2MSL for the default msl of 30 s; this network has "
                  "msl={msl:g} s.").format(msl=msl),
            2 * delay: _("TIME-WAIT does not depend on the delay: it lasts 2MSL."),
        }),
        seconds_part("closed", left, closed, (
            _("A enters TIME-WAIT when B's FIN+ACK arrives; count 2MSL from then.")), {
            left - entered: _("That is how long TIME-WAIT lasts, counted from t=0. A entered "
                            "TIME-WAIT only when B's FIN arrived."),
            2.0 + (left - entered): _("B sent its FIN at t=2 s; A enters TIME-WAIT when the FIN "
                                    "arrives, one delay later."),
            entered + delay + (left - entered): _("A starts its 2MSL timer when B's FIN arrives "
                                                "and A sends the last ACK, not when that ACK "
                                                "reaches B."),
            entered + msl: _("That is one MSL after A entered TIME-WAIT; A waits 2MSL."),
        }),
    ], praise=_("A waits 2MSL = {two_msl:g} s in TIME-WAIT, counted from the arrival of "
              "B's FIN.").format(two_msl=2 * msl))


# --------------------------------------------------------------------------- the lab

_A_HINTS = {
    State.CLOSED: N_("A has not connected yet: let B listen() and A connect(), deliver the "
                  "handshake, then close A."),
    State.LISTEN: N_("In this exercise A is the client: reset the lab, let B listen() and A "
                  "connect()."),
    State.SYN_SENT: N_("The handshake is not finished: click 'deliver next'."),
    State.SYN_RECEIVED: N_("The handshake is not finished: click 'deliver next'."),
    State.ESTABLISHED: N_("A has not closed yet: click A's close()."),
    State.FIN_WAIT_1: N_("A has sent its FIN, but it has not been acknowledged yet: click "
                      "'deliver next'."),
    State.FIN_WAIT_2: N_("B has acknowledged A's FIN; now B's application must close too: "
                      "click B's close(), then deliver B's FIN."),
    State.CLOSING: N_("Both FINs crossed (a simultaneous close): deliver the remaining ACK."),
    State.CLOSE_WAIT: N_("Here B closed first. In this exercise A closes first: click 'reset', "
                      "open the connection again and close A first."),
    State.LAST_ACK: N_("Here B closed first. In this exercise A closes first: click 'reset', "
                    "open the connection again and close A first."),
}
_B_HINTS = {
    State.CLOSED: N_("B has not even listened yet: let B listen() and A connect()."),
    State.LISTEN: N_("B is still waiting for a connection: let A connect()."),
    State.SYN_RECEIVED: N_("The handshake is not finished: click 'deliver next'."),
    State.ESTABLISHED: N_("B has not received A's FIN yet: click 'deliver next'."),
    State.CLOSE_WAIT: N_("B knows that A has finished sending (the connection is half-closed, "
                      "半关闭), but B's application has not closed: click B's close()."),
    State.LAST_ACK: N_("B has sent its FIN and waits for A's last ACK: click 'deliver next' "
                    "(if that ACK was dropped, keep going: B sends its FIN again)."),
    State.TIME_WAIT: N_("Here B closed first, so B waits in TIME-WAIT. In this exercise A "
                     "closes first: click 'reset' and close A first."),
    State.FIN_WAIT_1: N_("Here B closed first. In this exercise A closes first: click 'reset' "
                      "and close A first."),
    State.FIN_WAIT_2: N_("Here B closed first. In this exercise A closes first: click 'reset' "
                      "and close A first."),
}


def _reference_close() -> tuple[set[State], set[State]]:
    """The states A and B reach at the end of the canned four-way close (scenario 'close')."""
    from ..scenarios import play
    session = play("close")
    session.do("run", 3.0)
    session.do("call", "B", "close")
    session.do("run", 5.0)
    ends_a, ends_b = {session.host("A").state}, {session.host("B").state}
    session.do("run")                     # and after 2MSL
    ends_a.add(session.host("A").state)
    ends_b.add(session.host("B").state)
    return ends_a, ends_b


def _where(host: str, state: State, hint: str) -> str:
    """"A is in FIN-WAIT-2. <what to do next>" (a hint of _A_HINTS or _B_HINTS, or "")."""
    said = (_("{host} is {state}. {hint}") if state is State.CLOSED else
            _("{host} is in {state}. {hint}"))
    return said.format(host=host, state=state, hint=_(hint) if hint else "")


@exercise("close-lab",
          N_("In the lab above, finish the four-way close that A began: deliver A's FIN, let "
          "B close too, and deliver everything, until B is CLOSED and A waits in TIME-WAIT "
          "(or is CLOSED after it). Then check with checks.check('close-lab', lab=lab)."),
          LESSON)
def close_lab(lab=None, **other):
    net = read_lab("close-lab", lab, other)
    if isinstance(net, Feedback):
        return net
    a, b = net.hosts["A"], net.hosts["B"]
    ends_a, ends_b = _reference_close()
    lines, right = [], 0
    b_first = (_("Here B closed first. In this exercise A closes first: click 'reset', let B "
               "listen() and A connect(), then close A first."))
    # A: in TIME-WAIT, or CLOSED after passing through it (not after an abort or a reset)
    if a.state in ends_a and (a.state is State.TIME_WAIT or
                              (State.TIME_WAIT in a.history and a.error is None)):
        right += 1
    elif a.state is State.CLOSED and State.LAST_ACK in a.history and a.error is None:
        lines.append(_("A is CLOSED by the passive close (through LAST-ACK). {b_first}").format(b_first=b_first))
    elif a.state is State.CLOSED and len(a.history) > 1:
        lines.append((_("A is CLOSED, but not by the four-way close ({error}): it never "
                        "passed TIME-WAIT. Click 'reset' and close with close(), not "
                        "abort().") if a.error else
                      _("A is CLOSED, but not by the four-way close: it never passed "
                        "TIME-WAIT. Click 'reset' and close with close(), not abort().")
                      ).format(error=a.error))
    else:
        hint = _A_HINTS.get(a.state, "")
        if a.state is State.FIN_WAIT_2 and b.state is State.LAST_ACK:
            hint = _("B has closed too, and its FIN is on its way to A: click 'deliver next'.")
        lines.append(_where("A", a.state, hint))
    # B: CLOSED by the passive close (or after a simultaneous close and its 2MSL)
    if b.state in ends_b and b.error is None and (
            State.LAST_ACK in b.history or State.CLOSING in b.history):
        right += 1
    elif b.state is State.CLOSED and State.TIME_WAIT in b.history and b.error is None:
        lines.append(_("B is CLOSED after a TIME-WAIT of its own. {b_first}").format(b_first=b_first))
    elif b.state is State.CLOSED and len(b.history) > 1:
        lines.append((_("B is CLOSED, but not by the four-way close ({error}). Click "
                        "'reset' and close with close(), not abort().") if b.error else
                      _("B is CLOSED, but not by the four-way close. Click 'reset' and "
                        "close with close(), not abort().")).format(error=b.error))
    elif b.state is State.TIME_WAIT and State.CLOSING in b.history:
        lines.append(_("B is in TIME-WAIT: both hosts closed at the same time (a simultaneous "
                     "close), so both wait 2MSL. Click 'run' to let the 2MSL pass."))
    else:
        hint = _B_HINTS.get(b.state, "")
        if b.state is State.ESTABLISHED and a.state is State.ESTABLISHED:
            hint = _("Nobody has closed yet: A closes first (A's close()).")
        lines.append(_where("B", b.state, hint))
    if right == 2:
        lines.insert(0, _("B is CLOSED and A waits in TIME-WAIT: the four-way close (四次挥手) "
                          "is complete.") if a.state is State.TIME_WAIT else
                     _("B is CLOSED and A has waited 2MSL in TIME-WAIT and is CLOSED: the "
                       "four-way close (四次挥手) is complete."))
    return Feedback(right == 2, lines, right / 2)


def _told(answer):
    """What a student says B's application is told, as one of two words (else as given)."""
    if isinstance(answer, str):
        text = answer.lower()
        if "reset" in text:
            return "connection reset"
        if any(w in text for w in ("clos", "end of", "eof", "fin")):
            return "end of data"
    return answer


@exercise("close-abort-with-data",
          N_("A and B are ESTABLISHED and B's window is 1000 bytes. At t=1 s A hands TCP 3000 "
          "bytes: two segments with 1000 bytes go out, the other 2000 bytes wait in A's "
          "send queue. At t=1.05 s, before anything is acknowledged, A calls abort(). "
          "Which control bits does A send (bits='...'), how many of the 2000 queued bytes "
          "does B's application ever receive (queued=...), in which state does B end "
          "(b_state='...'), and what is B's application told (told='connection reset' or "
          "told='end of data')? Answer with checks.check('close-abort-with-data', "
          "bits=..., queued=..., b_state=..., told=...)."), LESSON)
def abort_with_data(bits=None, queued=None, b_state=None, told=None, **other):
    net, a, b = stories.abort_with_data()
    rst = next(s for _, s in net.sent if s.src == "A" and Flag.RST in s.flags)
    queued_received = len(b.received) - 1000
    told_right = "connection reset" if b.error and "reset" in b.error else "end of data"
    bits_given, bits_part = read_flags_part("bits", str(rst.flags), bits, (
        _("abort() gives the connection up at once with a reset.")), {
        "FIN": _("A FIN is close(), the orderly release: the queued data would go first, "
               "then the FIN. abort() sends a reset instead."),
        "FIN+ACK": _("A FIN is close(), the orderly release: the queued data would go "
                   "first, then the FIN. abort() sends a reset instead."),
        "nothing": _("B knows of the connection, so A tells it: with a reset."),
    }, accept=("RST",))
    state_given, state_part_ = read_state_part("b_state", b.state, b_state, (
        _("An acceptable RST in ESTABLISHED deletes B's TCB at once.")), {
        State.CLOSE_WAIT: _("CLOSE-WAIT follows a FIN (an orderly close). An RST ends B's "
                          "connection at once: no CLOSE-WAIT, no LAST-ACK."),
        State.TIME_WAIT: _("Neither side waits after a reset: TIME-WAIT belongs to the "
                         "orderly close, and an abort skips it."),
        State.LAST_ACK: _("LAST-ACK comes after B's own FIN; after an RST B sends nothing "
                        "and deletes its TCB."),
    })
    return compare({"bits": bits_given, "queued": queued, "b_state": state_given,
                    "told": _told(told), **other}, [
        bits_part,
        Part("queued", queued_received, mistake(queued, (
            _("RFC 9293's ABORT: all segments queued for transmission or retransmission are "
            "flushed.")), {
            2000: _("That is what close() would do: send what is queued, then FIN. abort() "
                  "flushes the send queue; those 2000 bytes are never sent."),
            1000: _("1000 bytes were already on the wire and do arrive; the question asks "
                  "about the 2000 still queued, which abort() throws away."),
            3000: _("Only what was already on the wire arrives; the 2000 queued bytes are "
                  "flushed by abort()."),
        })),
        state_part_,
        Part("told", told_right, mistake(_told(told), (
            _("B's application is told what the RST means.")), {
            "end of data": _("End of data (a read returning 0) is what a FIN tells. An RST "
                           "tells the application that the connection was reset "
                           "(ECONNRESET): data may have been lost."),
        })),
    ], praise=_("RST, the queue flushed, B CLOSED at once and told \"connection reset\": an "
              "abortive release, where close() would have been an orderly one."))
