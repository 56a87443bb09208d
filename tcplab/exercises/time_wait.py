"""Exercises of lesson 04, TIME-WAIT and 2MSL.

Each checker plays its question's story on a :class:`~tcplab.network.Network`
(the close of lesson 02, the lost last ACK, the clock-driven ISN, the old
segment of :func:`tcplab.experiments.time_wait_run`) and reads the right
answer off the run; a wrong part gets the reason that fits the mistake.
``time-wait-lab`` reads what a student did in a
:class:`~tcplab.widgets.ConnectionLab`.  The numbers of most questions are each student's
own (``vary=``).  At the end: the lesson's two predictions, its trace exercises (the lost
last ACK's table with blanks, two incarnations with clock ISNs as shuffled cards) and its
two explain-in-words questions.
"""

from __future__ import annotations

from .. import stories
from ..fsm import State
from ..grading.answers import (flags_as_written, mistake, read_flags_part, read_lab,
                               read_state_part, seconds_part, state_part)
from ..grading.blanks import Blanks
from ..grading.explain import explanation
from ..grading.framework import Feedback, Part, compare, exercise
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..network import Cause, Network
from ..segment import Flag
from ..text import N_, _

LESSON = "04-time-wait-2msl"


def _closing(msl: float = 30.0, delay: float = 0.1, time_wait: float | None = None,
             lose_last_ack: bool = False, b_closes: float = 3.0) -> tuple:
    """Open at t=0, A closes at t=1, B closes at ``b_closes``: (net, a, b) after everything."""
    net, a, b = stories.pair(msl=msl, delay=delay, time_wait=time_wait)
    lost = (("drop", stories.ack_from("A"), 1),) if lose_last_ack else ()
    stories.play(net, stories.opening() + stories.closing("A", b_closes)
                 + (("call", "B", "close"),) + lost + (("run",),))
    return net, a, b


def _lost_last_ack(msl: float = 30.0, time_wait: float | None = None):
    """The scenario "lost-last-ack" played to the end on a network with this ``msl``:
    B's FIN+ACK leaves at t=2 s, A's last ACK (t=2.1 s) is dropped."""
    from dataclasses import replace

    from ..scenarios import get
    from ..session import Session
    scenario = get("lost-last-ack")
    session = Session(replace(scenario.config, msl=msl, time_wait=time_wait),
                      scenario.actions)
    session.do("run")
    return session


# --------------------------------------------------------------------------- variants
# Each student's numbers come from these ranges (tcplab.grading.variants); the demo
# student gets the numbers the saved outputs were made with.

#: MSLs in seconds, 10 … 120 s: longer than any time of the close, so no hint's sum
#: (one MSL after A entered TIME-WAIT, 2MSL from t=0 …) equals another
_MSLS = tuple(float(m) for m in range(10, 125, 5))
#: when A enters TIME-WAIT (B's FIN arrives): B closes 0.1 s before, after A's half-close
_ENTERED = tuple(round(0.1 * i, 1) for i in range(16, 100))
#: the time B's state is asked at in the no-TIME-WAIT story: before B repeats its FIN
#: (3.0 s), between that and A's reset arriving (3.2 s), and after; never at an event
_NO_WAIT_AT = (2.5, 2.75, 2.9, 3.05, 3.15, 3.25, 3.5, 4.0, 5.0, 10.0, 30.0, 60.0)


def _exact_clock(t: float) -> bool:
    """True if the 4 µs clock read at ``t`` gives t / 4 µs exactly (no float rounding
    down: 0.29 × 250 000 is 72 499.999…)."""
    return int(t * 250_000) == round(t * 250_000)


#: times to connect at for the clock-ISN question, whole milliseconds whose tick count
#: the clock reads exactly; the early ones under 1 s, the late ones 1.5 … 9.99 s
_EARLY = tuple(t for t in (round(0.001 * i, 3) for i in range(100, 1000)) if _exact_clock(t))
_LATE = tuple(t for t in (round(0.001 * i, 3) for i in range(1500, 10000)) if _exact_clock(t))
#: MSLs of the old-duplicate story: the slow segment (0.8 s late) still arrives
_OLD_MSLS = tuple(0.25 * i for i in range(4, 25))        # 1 … 6 s


def _times(net: Network, host: str, state: State) -> list[float]:
    return [r.time for r in net.trace if r.kind == "state" and r.host == host
            and r.state is state]


# --------------------------------------------------------------------------- exercises

@exercise("time-wait-closed-at",
          N_("On a network with msl={msl:g} s, A entered TIME-WAIT at t={entered:g} s (B's FIN "
          "had just arrived) and nothing else arrives. At what time is A CLOSED? Answer in "
          "seconds with checks.check('time-wait-closed-at', closed=...)."), LESSON,
          vary=dict(msl=Choice(_MSLS, 30.0), entered=Choice(_ENTERED, 3.1)))
def closed_at(v, /, closed=None):
    msl = v["msl"]
    net, a, b = _closing(msl=msl, b_closes=round(v["entered"] - 0.1, 1))
    entered = _times(net, "A", State.TIME_WAIT)[0]
    left = [t for t in _times(net, "A", State.CLOSED) if t > entered][0]
    return compare({"closed": closed}, [
        seconds_part("closed", left, closed, (
            _("TIME-WAIT lasts 2MSL, counted from the moment A entered it.")), {
            entered + msl: _("{entered_msl:g} s is one MSL after {entered:g} s; A waits twice "
                           "the maximum segment lifetime, 2MSL.").format(entered_msl=entered + msl, entered=entered),
            2 * msl: _("{n_2_msl:g} s is how long TIME-WAIT lasts (2MSL); add it to the time A "
                     "entered TIME-WAIT.").format(n_2_msl=2 * msl),
            entered + 2 * msl + net.delay: _("A's timer starts when A enters TIME-WAIT and "
                                           "sends its last ACK, not when that ACK arrives."),
            entered: _("A does not close at once: it waits in TIME-WAIT."),
        }),
    ], praise=f"t = {entered:g} + 2 × {msl:g} = {left:g} s.")


@exercise("time-wait-lost-ack",
          N_("The story of this lesson: one-way delay 0.1 s, msl={msl:g} s, B sends its FIN+ACK at "
          "t=2.0 s, A answers at t=2.1 s — and that last ACK is lost. How many seconds after "
          "its first FIN+ACK does B send it again (B's retransmission timeout, RTO), and at "
          "what time does A become CLOSED? Answer with "
          "checks.check('time-wait-lost-ack', rto=..., closed=...)."), LESSON,
          vary=dict(msl=Choice(_MSLS, 30.0)))
def lost_ack(v, /, rto=None, closed=None):
    session = _lost_last_ack(msl=v["msl"])
    net = session.net
    fins = [t for t, s in net.sent if s.src == "B" and Flag.FIN in s.flags]
    entered = _times(net, "A", State.TIME_WAIT)[0]
    left = [t for t in _times(net, "A", State.CLOSED) if t > entered][0]
    again = next(r.time for r in net.trace if r.kind == "reply" and r.host == "A"
                 and r.segment is not None and Flag.FIN in r.segment.flags)
    msl = net.msl
    return compare({"rto": rto, "closed": closed}, [
        seconds_part("rto", fins[1] - fins[0], rto, (
            _("B starts its retransmission timer when it sends the FIN; the first timeout is "
            "the RTO, 1 s at least (RFC 6298).")), {
            2.0: _("The timeout doubles only after a retransmission; the first one is 1 s."),
            2 * net.delay: _("B cannot know the ACK was lost after one round trip; it waits for "
                           "its retransmission timer, at least 1 s (RFC 6298)."),
            2 * msl: _("2MSL is A's wait in TIME-WAIT; B, in LAST-ACK, retransmits when its "
                     "retransmission timer fires."),
            fins[1]: _("{fins_1:g} s is the time of the retransmission; the question asks how "
                     "many seconds after the first FIN+ACK.").format(fins_1=fins[1]),
        }),
        seconds_part("closed", left, closed, (
            _("When the repeated FIN arrives, A answers it from TIME-WAIT and starts its 2MSL "
            "timer again.")), {
            entered + 2 * msl: _("{entered_2_msl:g} s would be 2MSL after A entered "
                               "TIME-WAIT; but the repeated FIN restarted A's timer at "
                               "t={again:g} s.").format(entered_2_msl=entered + 2 * msl, again=again),
            again + msl: _("One MSL after the repeated FIN; TIME-WAIT is 2MSL long, also when it "
                         "starts again."),
            again: _("A answers the repeated FIN, but it stays in TIME-WAIT for another 2MSL."),
        }),
    ], praise=_("B repeats its FIN after {fins_1_fins_0:g} s; A, still in TIME-WAIT, "
              "acknowledges it again at t={again:g} s and restarts its 2MSL timer: CLOSED at "
              "t={left:g} s.").format(fins_1_fins_0=fins[1] - fins[0], again=again, left=left))


@exercise("time-wait-no-wait",
          N_("Same story, but A has no TIME-WAIT at all (time_wait=0): it is CLOSED as soon as "
          "it has sent its last ACK, and that ACK is lost. What does A send when B's "
          "repeated FIN+ACK arrives (which flags), and in which state is B at t={t:g} s? "
          "Answer with checks.check('time-wait-no-wait', reply='...', b='...')."), LESSON,
          vary=dict(t=Choice(_NO_WAIT_AT, 60.0)))
def no_wait(v, /, reply=None, b=None):
    session = _lost_last_ack(time_wait=0.0)
    net = session.net
    host_b = session.host("B")
    last_fin = [t for t, s in net.sent if s.src == "B" and Flag.FIN in s.flags][-1]
    answer = next(s for t, s in net.sent if s.src == "A" and t > last_fin)
    at = v["t"]
    b_then = [r.state for r in net.trace if r.kind == "state" and r.host == "B"
              and r.time <= at][-1]
    reset_at = next(r.time for r in net.trace if r.kind == "state" and r.host == "B"
                    and r.state is State.CLOSED)
    given = flags_as_written(reply)
    reply_part = Part("reply", str(answer.flags), mistake(given, (
        _("A has forgotten the connection: what does a CLOSED host answer to a segment?")), {
        "ACK": _("An ACK needs a TCB that remembers the numbers; A has deleted it. A CLOSED "
               "host answers any segment (except an RST) with a reset (RFC 9293 §3.10.7.1)."),
        "FIN+ACK": _("A has nothing to close any more: its connection is gone."),
        "": _("A CLOSED host does not stay silent: it answers with a reset."),
        "NONE": _("A CLOSED host does not stay silent: it answers with a reset."),
        "NOTHING": _("A CLOSED host does not stay silent: it answers with a reset."),
    }))
    if given is not None and not isinstance(given, str):
        reply_part = Part("reply", str(answer.flags),
                          _("Give the flags as text, like reply='ACK'."))
    waiting = {
        State.CLOSED: _("At t={t:g} s B is still waiting in LAST-ACK: its FIN+ACK goes again at "
                      "t={again:g} s, and A's reset reaches B only at t={reset:g} s.").format(
                          t=at, again=last_fin, reset=reset_at),
    } if b_then is State.LAST_ACK else {
        State.LAST_ACK: _("By t={t:g} s A's reset has reached B (at t={reset:g} s), and the "
                        "RST ends B's wait: B leaves LAST-ACK.").format(t=at, reset=reset_at),
    }
    return compare({"reply": given, "b": b}, [
        reply_part,
        state_part("b", b_then, b, (
            _("Follow B: what does an RST do to a connection in LAST-ACK, and when does it "
            "arrive?")), {
            **waiting,
            State.TIME_WAIT: _("TIME-WAIT belongs to the host that closed first, A; B closed "
                             "second."),
            State.LISTEN: _("B was not listening before this connection; it goes back to its "
                          "first state."),
        }),
    ], praise=(_("A answers RST and B ends CLOSED — but its application is told: "
               "\"{host_b_error}\", an error, although all its data arrived.").format(
                   host_b_error=host_b.error) if b_then is State.CLOSED else
               _("At t={t:g} s B still waits in LAST-ACK; A will answer its repeated FIN+ACK "
               "with RST, and B's application will be told \"{host_b_error}\", an error, "
               "although all its data arrived.").format(t=at, host_b_error=host_b.error)))


@exercise("time-wait-clock-isn",
          N_("RFC 793's ISN generator is a clock whose lowest bit ticks every 4 µs (tcplab's "
          "iss='clock'). Which initial sequence number does a host choose when it connects "
          "at t={early:g} s, and at t={late:g} s? Answer with "
          "checks.check('time-wait-clock-isn', early=..., late=...)."), LESSON,
          vary=dict(early=Choice(_EARLY, 0.62), late=Choice(_LATE, 2.62)))
def clock_isn(v, /, early=None, late=None):
    def isn_at(t: float) -> int:
        net = Network(seed=0)
        a = net.host("A", iss="clock")
        net.run(until=t)
        a.connect("P")              # no host P: the SYN is simply lost
        return a.iss

    def known(t: float, right: int) -> dict:
        return {
            round(t * 1_000_000): _("{round_t_1000000} counts microseconds; the clock "
                                  "ticks once every 4 µs, 250 000 times a second.").format(round_t_1000000=round(t * 1000000)),
            round(t * 1_000_000 * 4): _("The clock ticks every 4 µs, so it counts a quarter of "
                                      "the microseconds, not four times as many."),
            round(t * 1000): _("That counts milliseconds; the clock ticks every 4 µs."),
            right + 1: _("That is the ISN + 1, the number of the first data byte; the SYN "
                       "itself carries the ISN."),
        }

    t_e, t_l = v["early"], v["late"]
    e, l_ = isn_at(t_e), isn_at(t_l)
    return compare({"early": early, "late": late}, [
        Part("early", e, mistake(early, _("{t:g} s divided into ticks of 4 µs.").format(t=t_e),
                                 known(t_e, e))),
        Part("late", l_, mistake(late, _("{t:g} s divided into ticks of 4 µs.").format(t=t_l),
                                 known(t_l, l_))),
    ], praise=_("{e} and {l}: 250 000 ticks per second. {dt:g} s later the clock has moved "
              "{l__e} numbers on.").format(e=e, l=l_, l__e=l_ - e, dt=round(t_l - t_e, 3)))


@exercise("time-wait-old-segment",
          N_("In the old-duplicate story of this lesson (time_wait_run(0, msl={msl:g})), the slow segment "
          "left A at t=0.34 s, MSL is {msl:g} s, and A entered TIME-WAIT at t=0.62 s. What is the "
          "latest time at which the slow segment could still arrive anywhere, and, with "
          "TIME-WAIT = 2MSL, the earliest time A can connect to B again? Answer with "
          "checks.check('time-wait-old-segment', dead_by=..., reconnect=...)."), LESSON,
          vary=dict(msl=Choice(_OLD_MSLS, 1.0)))
def old_segment(v, /, dead_by=None, reconnect=None):
    from ..experiments import time_wait_run
    run = time_wait_run(0.0, msl=v["msl"])
    msl = run.net.msl
    run2 = time_wait_run(2 * msl, msl=msl)
    return compare({"dead_by": dead_by, "reconnect": reconnect}, [
        seconds_part("dead_by", run.slow_sent + msl, dead_by, (
            _("No segment lives longer than MSL on the wire: count from when it left A.")), {
            run.fate_time: _("{run_fate_time:g} s is when this segment did arrive; the question "
                           "asks for the latest it could — its slow path could have been "
                           "longer.").format(run_fate_time=run.fate_time),
            run.slow_sent + 2 * msl: _("2MSL is what A waits; a single segment lives at most "
                                     "one MSL."),
            run.old_closed + msl: _("Count from when the segment left A, not from when A "
                                  "entered TIME-WAIT."),
        }),
        seconds_part("reconnect", run2.reconnect, reconnect, (
            _("A may connect again when its TIME-WAIT is over: 2MSL after it entered it.")), {
            run.old_closed + msl: _("That would be a TIME-WAIT of one MSL; here it is 2MSL."),
            run.slow_sent + 2 * msl: _("TIME-WAIT starts when A enters it (t=0.62 s), not when "
                                     "the slow segment left."),
            2 * msl: _("2MSL counted from t=0; A entered TIME-WAIT at 0.62 s."),
        }),
    ], praise=_("The slow segment is gone by t={run_slow_sent_msl:g} s at the latest, long "
              "before A may reconnect at t={run2_reconnect:g} s: no old segment can meet "
              "the new connection.").format(run_slow_sent_msl=run.slow_sent + msl, run2_reconnect=run2.reconnect))


# --------------------------------------------------------------------------- the lab

@exercise("time-wait-lab",
          N_("In the lab of this lesson (ConnectionLab.from_scenario('lost-last-ack')), deliver "
          "everything: A's last ACK is dropped, B repeats its FIN+ACK, and A answers it from "
          "TIME-WAIT. Go on until B is CLOSED. Then check with "
          "checks.check('time-wait-lab', lab=lab)."), LESSON)
def time_wait_lab(lab=None):
    net = read_lab("time-wait-lab", lab, page="lesson")
    if isinstance(net, Feedback):
        return net
    a, b = net.hosts["A"], net.hosts["B"]
    dropped = any(r.kind in ("drop", "lost") and r.host == "A" and r.segment is not None
                  and r.segment.flags == Flag.ACK for r in net.trace)
    repeated = any(r.kind == "send" and r.host == "B" and r.cause is Cause.RETRANSMISSION
                   and r.segment is not None and Flag.FIN in r.segment.flags
                   for r in net.trace)
    answered = any(r.kind == "reply" and r.host == "A" and r.segment is not None
                   and Flag.FIN in r.segment.flags for r in net.trace)
    if b.state is State.CLOSED and b.error is None and repeated and answered:
        said = (_("B repeated its FIN+ACK, A acknowledged it again from TIME-WAIT "
                  "(restarting its 2MSL timer), and B is CLOSED; A is still in TIME-WAIT.")
                if a.state is State.TIME_WAIT else
                _("B repeated its FIN+ACK, A acknowledged it again from TIME-WAIT "
                  "(restarting its 2MSL timer), and B is CLOSED; A is {state}."))
        return Feedback(True, [said.format(state=a.state)], 1.0)
    if b.state is State.CLOSED and b.error:
        return Feedback(False, [_("B is CLOSED with an error: {b_error}. Click 'reset' and "
                                "only deliver.").format(b_error=b.error)], 0.5)
    if b.state is State.CLOSED and not dropped:
        return Feedback(False, [_("B is CLOSED, but A's last ACK got through, so B never had to "
                                "repeat its FIN. Click 'reset': the lab arms 'drop next' for "
                                "A's last ACK; then only click 'deliver next'.")], 0.5)
    if b.state is State.LAST_ACK and not dropped:
        return Feedback(False, [_("B waits in LAST-ACK for A's last ACK. Click 'deliver next': "
                                "B's FIN+ACK reaches A, and A's ACK is dropped.")], 0.5)
    if b.state is State.LAST_ACK and not repeated:
        return Feedback(False, [_("A's last ACK was dropped; B waits in LAST-ACK. Click "
                                "'deliver next' until B's retransmission timer fires and "
                                "its FIN+ACK comes again.")], 0.5)
    if b.state is State.LAST_ACK:
        return Feedback(False, [_("B has repeated its FIN+ACK: click 'deliver next' until A's "
                                "answer has reached B.")], 0.5)
    return Feedback(False, [_("A is in {a_state} and B in {b_state}. Click 'reset' (or run the "
                            "lab's cell again) and click 'deliver next' until B is "
                            "CLOSED.").format(a_state=a.state, b_state=b.state)], 0.5)


# --------------------------------------------------------------------------- predictions

@exercise("predict-lost-last-ack",
          N_("A's last ACK is dropped. What does B send again, when its timer fires (which "
             "control bits, bits=...), and which state is A in when that segment arrives "
             "(a=...)?"), LESSON, kind="predict")
def predict_lost_last_ack(bits=None, a=None, **other):
    net = _lost_last_ack().net
    again = next(r for r in net.trace if r.kind == "send" and r.cause is Cause.RETRANSMISSION)
    arrives = next(r.time for r in net.trace if r.kind == "arrive" and r.host == "A"
                   and r.segment == again.segment and r.time > again.time)
    a_then = [r.state for r in net.trace if r.kind == "state" and r.host == "A"
              and r.time <= arrives][-1]
    bits_given, bits_part = read_flags_part("bits", str(again.segment.flags), bits, _(
        "B's timer guards what occupies a sequence number and is not acknowledged: its FIN, "
        "which goes again exactly as before, FIN+ACK."), {
        "ACK": _("nobody retransmits an ACK: it occupies no number, nothing acknowledges it, "
                 "and no timer guards it. B's timer guards its FIN."),
        "FIN": _("B's FIN went out with the ACK bit, like every segment after the handshake, "
                 "and goes again the same way: FIN+ACK."),
        "RST": _("B has no reason to reset: it simply has no answer yet and repeats its FIN."),
    })
    a_given, a_part = read_state_part("a", a_then, a, _(
        "A sent its last ACK from TIME-WAIT and waits there 2MSL; B's FIN comes back after "
        "about one RTO, long before that."), {
        State.CLOSED: _("A closes only 2MSL after its last ACK; B's FIN comes back after "
                        "about a second. That is what TIME-WAIT is for."),
        State.LAST_ACK: _("LAST-ACK is B's state: B closed second."),
        State.FIN_WAIT_2: _("A left FIN-WAIT-2 when B's first FIN arrived; it answered from "
                            "TIME-WAIT."),
    })
    return compare({"bits": bits_given, "a": a_given, **other}, [bits_part, a_part],
                   praise=_("B repeats its FIN+ACK; A, still in TIME-WAIT, can acknowledge "
                            "it again."))


@exercise("predict-old-duplicate",
          N_("A connects to B again as soon as it has sent its last ACK (TIME-WAIT = 0), and "
             "a data segment of the old connection is still on its slow path. Will B's "
             "application receive old bytes in the new connection (corrupted=True or "
             "False)?"), LESSON, kind="predict")
def predict_old_duplicate(corrupted=None, **other):
    from ..experiments import time_wait_run
    run = time_wait_run(0.0)
    right = run.fate == "corrupted"
    return compare({"corrupted": corrupted, **other}, [
        Part("corrupted", right, mistake(corrupted, _(
            "the old segment arrives after the new handshake, and its numbers fall inside the "
            "new connection's window."), {
            False: _("the new ISN comes from the 4 µs clock, but the old connection sent "
                     "faster than the clock runs: its numbers are ahead of the clock, and the "
                     "old segment lands in the new window."),
        }))],
        praise=_("B delivers old bytes as the start of the new connection: without TIME-WAIT "
                 "an old duplicate can corrupt a new incarnation."))


# --------------------------------------------------------------------------- trace exercises

def _close_rows(v) -> list:
    """A sends n bytes and closes, B closes, A's last ACK is lost: every segment sent."""
    net, a, b = stories.pair(a_iss=v["x"], b_iss=v["y"])
    stories.play(net, stories.opening(1.0))
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    net.drop(stories.ack_from("A"), count=1)
    b.close()
    net.run(until=10.0)
    return rows_of(net)


CLOSE_BLANKS = Blanks(("ack5", "seq6", "state6", "ack7", "state8", "seq9", "ack9", "state9",
                       "seq10", "state11"))


@exercise("trace-lost-last-ack",
          N_("A (ISN x={x}) and B (ISN y={y}) open a connection; A sends {n} bytes and closes "
             "at t=2 s, B closes at t=3 s, and A's last ACK is lost. Fill in the blanks of "
             "the table TCP sent: checks.check('trace-lost-last-ack', ack5=…, seq6=…, …)."),
          LESSON, kind="trace", parts=CLOSE_BLANKS.names,
          vary=dict(x=Choice(range(100, 30000, 10), 100), y=Choice(range(30000, 60000, 10), 30000),
                    n=Choice(range(20, 537), 50)),
          figure=lambda v: CLOSE_BLANKS.figure(_close_rows(v)))
def trace_lost_last_ack(v, /, **answers):
    return CLOSE_BLANKS.judge(_close_rows(v), answers)


def _incarnation_rows(v) -> list:
    """Clock ISNs; A connects at ``start``, both close, A waits 2MSL and connects again."""
    net = Network(seed=0, delay=0.1, msl=v["msl"])
    a, b = net.host("A", iss="clock"), net.host("B", iss="clock")
    b.listen()
    net.run(until=v["start"])
    a.connect("B")
    net.run(until=v["start"] + 1.0)
    a.close()
    net.run(until=v["start"] + 2.0)
    b.close()
    net.run()                       # to the end of A's TIME-WAIT
    b.listen()
    a.connect("B")
    net.run()
    return rows_of(net)


@exercise("order-incarnation",
          N_("Both hosts take their ISNs from RFC 793's 4 µs clock (iss='clock'). A connects "
             "to B at t={start:g} s and closes, B closes, A waits 2MSL (MSL = {msl:g} s) in "
             "TIME-WAIT and then connects to B again. Here are the segments of both "
             "incarnations as cards, shuffled. Put them back in the order they were sent, "
             "reading only the numbers: checks.check('order-incarnation', order=[…])."),
          LESSON, kind="order",
          vary=dict(start=Choice(tuple(round(0.01 * i, 2) for i in range(10, 100)), 0.3),
                    msl=Choice(tuple(float(m) for m in range(1, 31)), 5.0),
                    # 10! orderings: every card may land anywhere
                    shuffle=Choice(range(1, 3628800), demo=2718281)),
          figure=lambda v: Cards(_incarnation_rows(v), v["shuffle"]))
def order_incarnation(v, /, order=None, **other):
    return Cards(_incarnation_rows(v), v["shuffle"]).judge(order, other)


# --------------------------------------------------------------------------- explain in words

explanation(
    "explain-two-msl", LESSON,
    question=N_("Why does the host that closes first wait 2MSL in TIME-WAIT: what are the two "
                "reasons, why twice MSL, and how long is that in RFC 9293, in the lecture and "
                "on Linux?"),
    model=N_("The host that closes first sends the last ACK and cannot know whether it "
             "arrives. (a) If it is lost, the other side repeats its FIN from LAST-ACK; A must "
             "still hold the connection's TCB to acknowledge it again, instead of answering "
             "with a reset. The ACK may take up to one MSL to reach B and the repeated FIN up "
             "to another MSL to come back: 2MSL, and every repeated FIN restarts the wait. "
             "(b) Segments of the old connection may still be in the network; after 2MSL "
             "every one of them has died, so a new incarnation between the same two ends "
             "cannot take them for its own. MSL is assumed, not enforced: IP's TTL limits "
             "hops rather than time. RFC 793 and RFC 9293 take MSL = 2 minutes, so TIME-WAIT lasts "
             "4 minutes, as the lecture says (it adds that implementations may use a shorter "
             "MSL); Linux does not use MSL at all and waits a fixed 60 s. RFC 9293 also lets a "
             "host accept a new SYN in TIME-WAIT if the new ISN lies above the old numbers."),
    points=(N_("a lost last ACK: the peer repeats its FIN, and A must still be there to "
               "acknowledge it (otherwise the peer gets a reset)"),
            N_("old duplicates: after 2MSL no segment of the old connection can reach a new "
               "incarnation between the same ends"),
            N_("two MSLs: the ACK's way there and the repeated FIN's way back; MSL = 2 min in "
               "RFC 9293 and the lecture, while Linux waits a fixed 60 s")))

explanation(
    "explain-time-wait-cost", LESSON,
    question=N_("TIME-WAIT falls on the side that closes first (lesson 02). What does it cost "
                "a host that closes many short connections first, and what can be done about "
                "it, at what risk?"),
    model=N_("Each connection a host closes first stays in TIME-WAIT for the whole wait: 2MSL, "
             "4 minutes with RFC 9293's MSL of 2 minutes, a fixed 60 s on Linux. Each entry "
             "costs little memory, but it keeps its pair of addresses and ports in use: a "
             "client or a proxy that opens many connections to the same server can run out "
             "of local ports. A server that closes first suffers less, since RFC 9293 lets it "
             "accept a new SYN for a pair still in TIME-WAIT when the new ISN lies above the "
             "old numbers (Linux does, or compares TCP timestamps). Remedies: choose which "
             "side closes first; on Linux, net.ipv4.tcp_tw_reuse lets a new outgoing "
             "connection reuse a pair still in TIME-WAIT when TCP timestamps tell old "
             "segments from new; an abort (SO_LINGER with a zero timeout) ends the connection "
             "with RST and skips TIME-WAIT, but it throws away unsent data, the peer sees an "
             "error, and both protections of the wait are gone: a lost last ACK and old "
             "duplicates. Shortening the wait below 2MSL brings back the risks this lesson "
             "showed."),
    points=(N_("the cost: each connection closed first holds its addresses and ports for the "
               "whole wait, so a host opening many short connections can run out of local "
               "ports"),
            N_("a server that closes first may still accept a new SYN for a pair in "
               "TIME-WAIT when the new numbers lie above the old ones (RFC 9293; Linux, also "
               "by timestamps)"),
            N_("remedies and their risks: choose who closes first; Linux's tcp_tw_reuse with "
               "timestamps; an RST abort loses data and the protection against a lost last "
               "ACK and old duplicates")))
