"""Exercises of lesson 07, simultaneous close, retransmission and a SYN in TIME-WAIT.

Each checker plays its question's story on a :class:`~tcplab.network.Network`
with the question's numbers (not the notebook's x=100, y=300) and reads the
right answer off the run; a wrong part gets the reason that fits the mistake.
States and control bits are read forgivingly (:mod:`tcplab.grading.answers`).
The lesson's lab exercise, ``corner-lab``, is in :mod:`tcplab.exercises.corner_lab`.
"""

from __future__ import annotations

from .. import stories
from ..fsm import Event, State, lookup
# a checker below has a local "entered": the helper goes by _entered here
from ..grading.answers import entered as _entered
from ..grading.answers import (mistake, read_flags_part, read_state_part, seconds_part,
                               sent_by)
from ..grading.framework import Part, compare, exercise
from ..grading.variants import Choice
from ..network import Network
from ..resets import lose_next
from ..segment import Flag, Segment
from ..text import N_, _

LESSON = "07-close-and-retransmit"

S = State

_lose = lose_next


def _segment_flags(seg: Segment | None) -> str:
    return "nothing" if seg is None else str(seg.flags)


# --------------------------------------------------------------------------- variants
# Each student's numbers come from these ranges (tcplab.grading.variants); the demo
# student gets the numbers the saved outputs were made with.  A's numbers and B's come
# from ranges that do not overlap, so no hint mistakes one side's number for the other's.

_A_NUMBERS = range(100, 30000, 10)
_B_NUMBERS = range(30000, 60000, 10)
#: one-way delays: the handshake (3 delays) is over before anyone closes at t=1 s
_DELAYS = tuple(round(0.01 * i, 2) for i in range(5, 31))
_MSLS = (10.0, 15.0, 20.0, 25.0, 40.0, 45.0, 50.0)
#: corner-retransmit: a round trip and its variation (6 delays) stay below the timeout, so
#: the RTO stays the one the question gives; and no moment asked about (hundredths ending
#: in 5) is ever the moment A enters FIN-WAIT-2 (5 s + RTO + an even number of hundredths),
#: so A is in FIN-WAIT-1 or FIN-WAIT-2 then, depending on the student's numbers
_RETRANSMIT_DELAYS = tuple(round(0.01 * i, 2) for i in range(5, 16))
_RTOS = (1.0, 1.5, 2.0, 2.5, 3.0)
_LOOKS = tuple(round(5.25 + 0.1 * i, 2) for i in range(22))      # 5.25 … 7.35 s


# --------------------------------------------------------------------------- 1. simultaneous close

@exercise("corner-simultaneous-close",
          N_("A (x={x}) and B (y={y}) are connected and have sent no data; the one-way delay is "
          "{delay:g} s and msl={msl:g} s. Both call close() at t=1 s. Which state does A enter when "
          "B's FIN arrives, what is the ack of the ACK A sends then, and at what time is B "
          "CLOSED? Answer with checks.check('corner-simultaneous-close', state=..., "
          "ack=..., b_closed=...)."), LESSON,
          vary=dict(x=Choice(_A_NUMBERS, 500), y=Choice(_B_NUMBERS, 900),
                    delay=Choice(_DELAYS, 0.1), msl=Choice(_MSLS, 30.0)))
def simultaneous_close(v, /, state=None, ack=None, b_closed=None, **other):
    delay = v["delay"]
    net, a, b = stories.opened(a_iss=v["x"], b_iss=v["y"], delay=delay, msl=v["msl"])
    a.close()
    b.close()
    net.run(until=1.0 + 1.5 * delay)          # B's FIN has arrived, A's ACK not yet
    a_state = a.state
    net.run()
    fin_b = sent_by(net, "B", Flag.FIN)[0]
    answer = next(s for s in sent_by(net, "A", Flag.ACK, after=1.0)
                  if Flag.FIN not in s.flags)
    tw = _entered(net, "B", S.TIME_WAIT)
    closed = _entered(net, "B", S.CLOSED, after=tw)
    two_msl = closed - tw
    given_state, state_part = read_state_part("state", a_state, state, (
        _("A has sent its FIN and waits for its ACK; what arrives is B's FIN, which does not "
        "acknowledge A's FIN (B sent it before A's FIN arrived).")), {
        S.TIME_WAIT: _("Not yet: B's FIN does not acknowledge A's FIN (B sent it before A's FIN "
                     "arrived). A still waits for the ACK of its FIN."),
        S.FIN_WAIT_2: _("FIN-WAIT-2 needs the ACK of A's FIN; what arrives is B's FIN, sent "
                      "before B had A's FIN."),
        S.CLOSE_WAIT: _("CLOSE-WAIT is for the side whose application has not closed yet; A "
                      "has closed already (it is in FIN-WAIT-1)."),
        S.LAST_ACK: _("LAST-ACK is for the side that closes second; here both closed at once."),
        S.FIN_WAIT_1: _("A leaves FIN-WAIT-1 as soon as B's FIN arrives: it acknowledges the "
                      "FIN and goes on waiting for the ACK of its own."),
    })
    return compare({"state": given_state, "ack": ack, "b_closed": b_closed, **other}, [
        state_part,
        Part("ack", answer.ack, mistake(ack, (
            _("A acknowledges B's FIN: the number after it.")), {
            fin_b.seq: _("{fin_b_seq} is the number of B's FIN itself; the FIN occupies one "
                       "number, so A acknowledges the next one.").format(fin_b_seq=fin_b.seq),
            answer.seq: _("{answer_seq} is in A's own sequence space (A's FIN was "
                        "{answer_seq_1}); ack names B's next number.").format(answer_seq=answer.seq, answer_seq_1=answer.seq - 1),
            fin_b.seq + 2: _("B sent nothing after its FIN, so A acknowledges just the FIN."),
        })),
        seconds_part("b_closed", closed, b_closed, (
            _("Both hosts closed actively, so both go through CLOSING to TIME-WAIT and wait "
            "2MSL there.")), {
            tw: _("That is when B enters TIME-WAIT (when A's ACK arrives): in a simultaneous "
                "close B closed actively too, so B waits 2MSL there as well."),
            tw + two_msl / 2: _("That is one MSL after B entered TIME-WAIT; TIME-WAIT lasts 2MSL."),
            two_msl: _("2MSL counts from the moment B enters TIME-WAIT, not from t=0."),
            1.0 + two_msl: _("2MSL counts from the moment B enters TIME-WAIT (when A's ACK "
                           "arrives), not from the close() call."),
            tw - delay + two_msl: _("B enters TIME-WAIT when A's ACK arrives (after B's FIN "
                                "came), not when A's FIN arrives."),
        }),
    ], praise=_("Both hosts pass through CLOSING and both wait 2MSL in TIME-WAIT."))


# --------------------------------------------------------------------------- 2. FIN+ACK in FIN-WAIT-1

@exercise("corner-fin-ack",
          N_("A (x={x}) and B (y={y}) are connected and have sent no data. A calls close(); "
          "B's ACK of A's FIN is lost, and B's application calls close() 0.05 s after A's FIN "
          "arrived. What are the seq and ack of B's FIN+ACK, and which state does A enter "
          "when it arrives? Answer with checks.check('corner-fin-ack', seq=..., ack=..., "
          "state=...)."), LESSON,
          vary=dict(x=Choice(_A_NUMBERS, 4000), y=Choice(_B_NUMBERS, 6000)))
def fin_ack(v, /, seq=None, ack=None, state=None, **other):
    y = v["y"]
    net, a, b = stories.opened(a_iss=v["x"], b_iss=y)
    _lose(net, "B", Flag.ACK)
    a.close()
    net.run(until=1.15)
    b.close()
    net.run(until=1.3)
    u = sent_by(net, "A", Flag.FIN)[0].seq
    fin = sent_by(net, "B", Flag.FIN)[0]
    target = lookup(S.FIN_WAIT_1, Event.RCV_FIN_ACK).target
    assert a.state is target
    given_state, state_part = read_state_part("state", a.state, state, (
        _("This one segment brings both the ACK of A's FIN and B's FIN.")), {
        S.FIN_WAIT_2: _("FIN-WAIT-2 waits for the peer's FIN once ours is acknowledged; this "
                      "segment brings both at once, the ACK (ack=u+1) and B's FIN."),
        S.CLOSING: _("CLOSING follows a FIN that does not acknowledge ours (the FINs crossed). "
                   "This FIN+ACK acknowledges A's FIN (ack=u+1): nothing is left to wait for "
                   "but 2MSL."),
        S.CLOSED: _("Not yet: A answers with the last ACK, which may be lost, so A waits 2MSL "
                  "first."),
        S.FIN_WAIT_1: _("A leaves FIN-WAIT-1 when its FIN is acknowledged, and this segment "
                      "acknowledges it."),
        S.CLOSE_WAIT: _("CLOSE-WAIT belongs to the side that closes second, B."),
        S.LAST_ACK: _("LAST-ACK belongs to the side that closes second, B."),
    })
    return compare({"seq": seq, "ack": ack, "state": given_state, **other}, [
        Part("seq", fin.seq, mistake(seq, (
            _("B has sent no data: its FIN takes B's next number, y+1.")), {
            y: _("{y} is y, the number of B's SYN; that SYN occupied it, so B's FIN takes "
                 "y+1.").format(y=y),
            y + 2: _("{y_2} is y+2: B sent only its SYN (one number) before the FIN.").format(
                y_2=y + 2),
            u + 1: _("{u_1} is u+1, in A's sequence space: it goes in the ack field.").format(u_1=u + 1),
        })),
        Part("ack", fin.ack, mistake(ack, (
            _("B has received A's FIN, which occupies one number: B acknowledges u+1.")), {
            u: _("{u} is u, the number of A's FIN (x+1: A sent no data). B has received "
               "that FIN, which occupies one number, so B acknowledges u+1.").format(u=u),
            fin.seq + 1: _("{fin_seq_1} is B's own next number; ack names A's.").format(fin_seq_1=fin.seq + 1),
        })),
        state_part,
    ], praise=_("B's FIN+ACK (seq=y+1, ack=u+1) acknowledges A's FIN and brings B's: A goes "
              "from FIN-WAIT-1 straight to TIME-WAIT, without FIN-WAIT-2."))


# --------------------------------------------------------------------------- 3. retransmitted FIN

@exercise("corner-retransmit",
          N_("A (x={x}) and B (y={y}) are connected and have sent no data; the one-way delay is "
          "{delay:g} s and A's retransmission timeout is {rto:g} s. A calls close() at t=5 s and this "
          "first FIN is lost. What is the seq of the FIN A sends again, which state is A in at "
          "t={look:g} s, and at what time does A enter FIN-WAIT-2? Answer with "
          "checks.check('corner-retransmit', seq=..., state=..., fin_wait_2=...)."), LESSON,
          vary=dict(x=Choice(_A_NUMBERS, 600), y=Choice(_B_NUMBERS, 2000),
                    delay=Choice(_RETRANSMIT_DELAYS, 0.1), rto=Choice(_RTOS, 1.0),
                    look=Choice(_LOOKS, 5.5)))
def retransmit(v, /, seq=None, state=None, fin_wait_2=None, **other):
    delay, x = v["delay"], v["x"]
    net = Network(seed=0, delay=delay)
    a = net.host("A", iss=x, rto_initial=v["rto"])
    b = net.host("B", iss=v["y"], rto_initial=v["rto"])
    b.listen()
    a.connect("B")
    net.run(until=5.0)
    net.drop(lambda s: s.src == "A" and Flag.FIN in s.flags, count=1)
    a.close()
    net.run(until=v["look"])
    waiting = a.state
    net.run(until=12.0)
    fins = [(t, s) for t, s in net.sent if s.src == "A" and Flag.FIN in s.flags]
    (t0, first), (t1, again) = fins[:2]
    rto = t1 - t0
    entered = _entered(net, "A", S.FIN_WAIT_2)
    if waiting is S.FIN_WAIT_1:
        usual = _("A has sent its FIN and has no ACK for it: it waits, and retransmits when "
                  "its timer expires.")
        wrong_wait = {S.FIN_WAIT_2: _("FIN-WAIT-2 needs the ACK of A's FIN, and the FIN was "
                                      "lost: nothing came back.")}
    else:
        usual = _("By t={look:g} s the FIN sent again at t={t1:g} s has been acknowledged "
                  "(at t={entered:g} s), and B has not closed.").format(
                      look=v["look"], t1=t1, entered=entered)
        wrong_wait = {S.FIN_WAIT_1: _("A waits in FIN-WAIT-1 only until the ACK of its FIN "
                                      "arrives: the FIN sent again at t={t1:g} s is "
                                      "acknowledged at t={entered:g} s.").format(
                                          t1=t1, entered=entered)}
    given_state, state_part = read_state_part("state", waiting, state, usual, {
        **wrong_wait,
        S.ESTABLISHED: _("close() took A out of ESTABLISHED at once, whether the FIN arrives or "
                       "not."),
        S.CLOSED: _("A does not give up after one loss: it retransmits the FIN."),
        S.TIME_WAIT: _("TIME-WAIT needs B's FIN; B does not even know A closed."),
    })
    late = {} if rto == 1.0 else {
        5.0 + 1.0 + 2 * delay: _("A's retransmission timeout here is {rto:g} s, not "
                                 "1 s.").format(rto=rto)}
    return compare({"seq": seq, "state": given_state, "fin_wait_2": fin_wait_2, **other}, [
        Part("seq", again.seq, mistake(seq, (
            _("A sends the same FIN again: nothing was acknowledged, so the numbers do not "
            "move.")), {
            first.seq + 1: _("{first_seq_1} is u+1. The lost FIN was never acknowledged, so "
                           "A sends the very same FIN again, with the same seq u.").format(first_seq_1=first.seq + 1),
            x: _("{x} is x, A's SYN; the FIN takes the number after it (no data).").format(x=x),
            0: _("A retransmission is the same segment again, same seq."),
        })),
        state_part,
        seconds_part("fin_wait_2", entered, fin_wait_2, (
            _("A retransmits its FIN when the timer expires; the ACK then needs a round trip.")), {
            5.0 + 2 * delay: _("The first FIN was lost, so no ACK came {rtt:g} s after it; A "
                               "sends the FIN again when its timer expires.").format(
                                   rtt=2 * delay),
            t1: _("That is when A sends the FIN again; B's ACK needs a round trip to come back."),
            t1 + delay: _("B receives the FIN then; its ACK needs another {delay:g} s to reach "
                          "A.").format(delay=delay),
            t0 + 2 * rto + 2 * delay: _("The timer doubles only if the retransmission is lost "
                                        "too; this one arrives."),
            **late,
        }),
    ], praise=_("The same FIN (seq=u) goes again one RTO later, at t={t1:g} s; A waits in "
              "FIN-WAIT-1 until its ACK comes back.").format(t1=t1))


# --------------------------------------------------------------------------- 4. SYN in TIME-WAIT

def _time_wait_answer(rule: str, rcv_nxt: int, new_isn: int) -> str:
    """What A, in TIME-WAIT with ``rcv_nxt``, sends first to B's SYN with seq ``new_isn``."""
    # B sent only its SYN and its FIN before: RCV.NXT is B's old ISN + 2
    net, a, b = stories.syn_in_time_wait(rule, old_iss=rcv_nxt - 2, new_iss=new_isn)
    net.run(until=3.15)
    return _segment_flags(next((s for t, s in net.sent if s.src == "A" and t >= 3.0), None))


#: A's receive window in the story (the hosts' default)
_WINDOW = 4096
#: RCV.NXT: always between the two SYNs' numbers, so that seq=4000 is always below it and
#: seq=9500 above; whether 9500 lies inside the window [RCV.NXT, RCV.NXT+4096) depends on
#: the student (it does from RCV.NXT=5405 on)
_RCV_NXTS = range(4012, 9500, 6)


@exercise("corner-time-wait-syn",
          N_("A closed first and waits in TIME-WAIT: it has received everything up to B's FIN, "
          "its RCV.NXT is {rcv_nxt} and its receive window 4096. Now a SYN from B arrives. What "
          "does A send first (control bits, or 'nothing') under the rule 'reopen' "
          "(RFC 1122) and under 'rfc793', if the SYN has seq=4000, and if it has seq=9500? "
          "Answer with checks.check('corner-time-wait-syn', reopen_4000=..., "
          "rfc793_4000=..., reopen_9500=..., rfc793_9500=...)."), LESSON,
          vary=dict(rcv_nxt=Choice(_RCV_NXTS, 5002)))
def time_wait_syn(v, /, reopen_4000=None, rfc793_4000=None, reopen_9500=None,
                  rfc793_9500=None, **other):
    low, high, window = 4000, 9500, _WINDOW
    rcv_nxt = v["rcv_nxt"]
    answers = {(rule, isn): _time_wait_answer(rule, rcv_nxt, isn)
               for rule in ("reopen", "rfc793") for isn in (low, high)}
    below = (_("seq={low} lies below RCV.NXT={rcv_nxt}: below the old connection's numbers, "
             "so it may be an old duplicate").format(low=low, rcv_nxt=rcv_nxt))
    inside = high < rcv_nxt + window
    if inside:
        where = _("seq={high} lies inside the window [{rcv_nxt}, {rcv_nxt_window})").format(
            high=high, rcv_nxt=rcv_nxt, rcv_nxt_window=rcv_nxt + window)
        rfc793_high = (_("RFC 793 treats a SYN inside the window as an error and resets the "
                         "connection."), {
            "ACK": _("{where}: it passes the first check (the sequence number), and RFC 793 "
                     "answers a SYN in the window with a reset.").format(where=where),
            "SYN+ACK": _("Only the 'reopen' rule (RFC 1122) ever reopens from TIME-WAIT."),
            "nothing": _("{where}: RFC 793 answers a SYN in the window with a "
                         "reset.").format(where=where),
        }, ("RST",))
    else:
        where = _("seq={high} lies beyond the window [{rcv_nxt}, {rcv_nxt_window})").format(
            high=high, rcv_nxt=rcv_nxt, rcv_nxt_window=rcv_nxt + window)
        rfc793_high = (_("RFC 793 checks the sequence number first."), {
            "RST": _("RFC 793 resets only for a SYN inside the window; {outside}: the first "
                     "check fails, and that is answered with an ACK.").format(outside=where),
            "RST+ACK": _("RFC 793 resets only for a SYN inside the window; {outside}: the "
                         "first check fails, and that is answered with an ACK.").format(
                             outside=where),
            "SYN+ACK": _("Only the 'reopen' rule (RFC 1122) ever reopens from TIME-WAIT."),
            "nothing": _("An unacceptable segment is answered with an ACK."),
        }, ())
    parts, given = [], {}
    for name, value, rule, isn, usual, known, accept in (
        ("reopen_4000", reopen_4000, "reopen", low,
         _("RFC 1122 reopens only for a SYN above the old connection's numbers."), {
             "SYN+ACK": _("RFC 1122 reopens only for a SYN above the old numbers; {below}. "
                        "A keeps its TIME-WAIT and only acknowledges.").format(below=below),
             "RST": _("{below}: it fails the first check (the sequence number), which is "
                    "answered with an ACK, never a reset.").format(below=below),
             "nothing": _("{below}. An unacceptable segment is answered with an ACK "
                        "(RFC 9293 §3.10.7.4).").format(below=below),
         }, ()),
        ("rfc793_4000", rfc793_4000, "rfc793", low,
         _("RFC 793 resets only for a SYN inside the receive window."), {
             "RST": _("RFC 793 resets only for a SYN inside the window; {below} and outside "
                    "the window: the first check fails and A answers with an ACK.").format(below=below),
             "RST+ACK": _("RFC 793 resets only for a SYN inside the window; {below} and "
                        "outside the window: the first check fails and A answers with an ACK.").format(below=below),
             "SYN+ACK": _("Only the 'reopen' rule (RFC 1122) ever reopens from TIME-WAIT."),
             "nothing": _("An unacceptable segment is answered with an ACK."),
         }, ()),
        ("reopen_9500", reopen_9500, "reopen", high,
         _("RFC 1122 reopens for a SYN above the old connection's numbers."), {
             "ACK": _("{outside}, but RFC 1122 asks only that the SYN be above the old "
                    "numbers, and it is: A reopens the connection.").format(outside=where),
             "RST": _("A reopens the connection: the SYN is above the old numbers."),
             "RST+ACK": _("A reopens the connection: the SYN is above the old numbers."),
             "nothing": _("A reopens the connection: the SYN is above the old numbers."),
         }, ()),
        ("rfc793_9500", rfc793_9500, "rfc793", high, *rfc793_high),
    ):
        given[name], part = read_flags_part(name, answers[(rule, isn)], value, usual, known,
                                            accept=accept)
        parts.append(part)
    return compare({**given, **other}, parts,
                   praise=_("Only a SYN above the old numbers reopens (RFC 1122), and RFC 793 "
                          "resets only for a SYN inside the window; every other SYN gets an "
                          "ACK and A stays in TIME-WAIT."))
