"""Exercises of lesson 03, why the handshake has three segments (已失效的连接请求报文段).

Each checker plays its question's story — the canned scenarios "stale-syn",
"stale-syn-two-way" and "stale-syn-time-wait", with the question's numbers — or runs the lesson's
experiment, and reads the right answer off the run; a wrong part gets the
reason that fits the mistake.  ``stale-syn-lab`` reads what a student did in a
:class:`~tcplab.widgets.ConnectionLab`.  The numbers of most questions are each student's
own (``vary=``).  At the end: the lesson's two predictions, its trace exercises (the
story's table with blanks, the connection's segments as shuffled cards) and its two
explain-in-words questions.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ..fsm import State
from ..grading.answers import (flags_as_written, mistake, read_lab, read_state_part,
                               seconds_part, state_part)
from ..grading.blanks import Blanks
from ..grading.explain import explanation
from ..grading.framework import Feedback, Part, compare, exercise
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..segment import Flag
from ..text import N_, _

LESSON = "03-why-three-way"


def _story(handshake: str = "three-way", x: int = 100, y: int = 300, delay: float = 0.1,
           after: float | None = None):
    """The lesson's story played to the end (or to ``after`` seconds past the release):
    the old SYN released and everything delivered.

    Returns the :class:`~tcplab.session.Session` (``.net``, ``.host(name)``)
    and the time of the release.
    """
    from ..scenarios import get
    from ..session import Session
    scenario = get("stale-syn" if handshake == "three-way" else "stale-syn-two-way")
    config = replace(scenario.config, iss=(x, y), delay=delay)
    session = Session(config, scenario.actions)
    released = session.net.now
    session.do("release", 0)
    session.do("run", *(() if after is None else (released + after,)))
    return session, released


# --------------------------------------------------------------------------- variants
# Each student's numbers come from these ranges (tcplab.grading.variants); the demo
# student gets the numbers the saved outputs were made with.  A's ISNs and B's come from
# ranges that do not overlap, so no hint mistakes x+1 for y.

def _isn_a(demo: int) -> Choice:
    return Choice(range(100, 30000, 10), demo)


def _isn_b(demo: int) -> Choice:
    return Choice(range(30000, 60000, 10), demo)


#: one-way delays, 0.05 … 0.40 s: a round trip stays below B's first retransmission
#: timeout (1 s) and no delay makes 2 × delay equal to the 1 s a hint names
_DELAYS = tuple(round(0.01 * i, 2) for i in range(5, 41))
#: seconds after the router lets the old SYN go: all after B has answered it, at any delay
_AFTER = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 300.0)


# --------------------------------------------------------------------------- exercises

@exercise("stale-syn-rst",
          N_("Three-way handshake, as in this lesson, but A's ISN is x={x} and B's is y={y}. "
          "The old SYN (seq=x) reaches B long after the connection is gone; B answers with "
          "SYN+ACK. What does A send back: which flags, and which sequence number? Answer "
          "with checks.check('stale-syn-rst', flags='...', seq=...)."), LESSON,
          vary=dict(x=_isn_a(500), y=_isn_b(900)))
def stale_syn_rst(v, /, flags=None, seq=None):
    session, released = _story("three-way", v["x"], v["y"])
    after = [s for t, s in session.net.sent if t >= released]
    syn_ack = next(s for s in after if s.src == "B" and s.has(Flag.SYN | Flag.ACK))
    answer = next(s for s in after if s.src == "A")
    x, y = v["x"], syn_ack.seq
    given_flags = flags_as_written(flags)
    flags_part = Part("flags", str(answer.flags), mistake(given_flags, (
        _("A has no connection with B any more (it is CLOSED): it refuses B's SYN+ACK.")), {
        "ACK": _("An ACK would complete the handshake for a connection A never asked for — "
               "exactly what goes wrong with two segments. A is CLOSED: it refuses with a "
               "reset."),
        "RST+ACK": _("Close: A resets. But B's SYN+ACK carried an ACK number, so A's RST takes "
                   "its seq from it and carries no ACK of its own (RFC 9293 §3.10.7.1: "
                   "<SEQ=SEG.ACK><CTL=RST>)."),
        "ACK+RST": _("Close: A resets. But B's SYN+ACK carried an ACK number, so A's RST takes "
                   "its seq from it and carries no ACK of its own (RFC 9293 §3.10.7.1: "
                   "<SEQ=SEG.ACK><CTL=RST>)."),
        "SYN+ACK": _("A does not accept the connection: it never asked for it."),
        "": _("Saying nothing is what the broken two-way client does; then B would wait, "
            "ESTABLISHED, for nobody. A refuses: with which flag?"),
        "NONE": _("Saying nothing is what the broken two-way client does; then B would wait, "
                "ESTABLISHED, for nobody. A refuses: with which flag?"),
        "NOTHING": _("Saying nothing is what the broken two-way client does; then B would wait, "
                   "ESTABLISHED, for nobody. A refuses: with which flag?"),
        "FIN": _("A FIN closes a connection that exists; A has none. It refuses with a reset."),
    }))
    if given_flags is not None and not isinstance(given_flags, str):
        flags_part = Part("flags", str(answer.flags),
                          _("Give the flags as text, like flags='SYN+ACK', or a Flag, like "
                          "flags=Flag.SYN."))
    return compare({"flags": given_flags, "seq": seq}, [
        flags_part,
        Part("seq", answer.seq, mistake(seq, (
            _("An RST that answers a segment with an ACK number takes that number as its seq: "
            "look at B's SYN+ACK.")), {
            x: _("{x} is x, the number of the old SYN itself. The RST's seq is copied from the "
               "ack field of B's SYN+ACK, which is x+1.").format(x=x),
            y: _("{y} is y, B's own number. A's RST is numbered in A's sequence space: it "
               "copies B's ack field, x+1.").format(y=y),
            y + 1: _("{y_1} is y+1, what A would acknowledge if it accepted the connection. An "
                   "RST acknowledges nothing: its seq is the ack of B's SYN+ACK, x+1.").format(y_1=y + 1),
            0: _("The RST needs a sequence number B will believe: the ack field of B's SYN+ACK, "
               "x+1, which B expects next from A."),
        })),
    ], praise=_("A answers RST, seq=x+1 (={answer_seq}): the number B's SYN+ACK acknowledged. "
              "B takes it and goes back to LISTEN.").format(answer_seq=answer.seq))


@exercise("stale-syn-two-way-state",
          N_("Now the broken two-way handshake, same story on a network whose one-way delay "
          "is {delay:g} s: the router lets the old SYN go after the connection is gone, and "
          "everything that follows is delivered. {after:g} s after the router let it go, in "
          "which state is A, and in which is B? Answer with "
          "checks.check('stale-syn-two-way-state', a='...', b='...')."), LESSON,
          vary=dict(delay=Choice(_DELAYS, 0.1), after=Choice(_AFTER, 60.0)))
def two_way_state(v, /, a=None, b=None):
    session, _run = _story("two-way", delay=v["delay"], after=v["after"])
    host_a, host_b = session.host("A"), session.host("B")
    return compare({"a": a, "b": b}, [
        state_part("a", host_a.state, a, (
            _("A's connection ended long ago; B's SYN+ACK does not change A's state.")), {
            State.ESTABLISHED: _("A never asked for this connection. A two-way client ignores "
                               "a SYN+ACK it did not ask for (and sends no third segment)."),
            State.TIME_WAIT: _("A's TIME-WAIT (2MSL) was over before the old SYN came out of "
                             "the router: A is back in its first state."),
            State.SYN_SENT: _("A has not called connect() again: it does not send anything."),
            State.LISTEN: _("A is a client; it never listened."),
        }),
        state_part("b", host_b.state, b, (
            _("With two segments, answering a SYN is enough for B to believe in a connection.")), {
            State.LISTEN: _("That is the three-way ending: A's RST sends B back to LISTEN. With "
                          "two segments nobody tells B that the request was old."),
            State.SYN_RECEIVED: _("A two-way server skips SYN-RECEIVED: it is ESTABLISHED as "
                                "soon as it has answered a SYN."),
            State.CLOSED: _("Nothing closes B's new connection: A stays silent."),
            State.CLOSE_WAIT: _("B would need a FIN from A; A sends nothing."),
        }),
    ], praise=_("A stays CLOSED, B sits in ESTABLISHED for a connection nobody wants, waiting "
              "for data that never comes: a wasted TCB."))


@exercise("stale-syn-listen-again",
          N_("Three-way handshake on a slower network: the one-way delay is {delay:g} s. How many "
          "seconds after the old SYN reaches B is B back in LISTEN? Answer with "
          "checks.check('stale-syn-listen-again', after=...)."), LESSON,
          vary=dict(delay=Choice(_DELAYS, 0.25)))
def listen_again(v, /, after=None):
    delay = v["delay"]
    session, released = _story("three-way", delay=delay)
    net = session.net
    states = [r for r in net.trace if r.kind == "state" and r.host == "B" and r.time >= released]
    start = next(r.time for r in states if r.state is State.SYN_RECEIVED)
    back = next(r.time for r in states if r.state is State.LISTEN and r.time > start)
    return compare({"after": after}, [
        seconds_part("after", back - start, after, (
            _("Follow the segments: B's SYN+ACK goes to A, and A's answer comes back.")), {
            delay: _("{delay:g} s is one delay: B's SYN+ACK has reached A, but A's RST still "
                   "has to come back.").format(delay=delay),
            3 * delay: _("{n_3_delay:g} s would be three delays, but the old SYN was already "
                       "at B when we started counting: only the SYN+ACK and the RST remain.").format(n_3_delay=3 * delay),
            1.0: _("B does not wait for a timeout: A's RST ends SYN-RECEIVED as soon as it "
                 "arrives."),
            0.0: _("B first enters SYN-RECEIVED and answers with SYN+ACK; only A's RST sends it "
                 "back."),
        }),
    ], praise=_("One round trip, 2 × {delay:g} s: SYN+ACK out, RST back. That is all the old "
              "SYN costs with three segments.").format(delay=delay))


@lru_cache(maxsize=64)
def _experiment(seed: int = 0):
    from ..experiments import stale_syn_experiment
    return stale_syn_experiment(seed=seed)


@exercise("stale-syn-experiment",
          N_("Run the experiment of this lesson with your own seed, "
          "stale_syn_experiment(seed={seed}) (200 runs per handshake; the lesson's table is "
          "seed=0), and read its table. In how many runs did B become ESTABLISHED for a "
          "connection nobody wanted, with the two-way handshake and with the three-way "
          "handshake? Answer with checks.check('stale-syn-experiment', two_way=..., "
          "three_way=...)."), LESSON,
          # 20 seeds, not thousands: each is 400 runs to play (in the checker and in the tests)
          vary=dict(seed=Choice(range(1, 21), 0)))
def experiment_counts(v, /, two_way=None, three_way=None):
    result = _experiment(v["seed"])
    two, three = result["two-way"], result["three-way"]

    def known(row):
        out = {}
        if row.answered != row.established:
            out[row.answered] = (_("That is the column before: the runs in which B answered an "
                                 "old SYN. Count those in which it became ESTABLISHED."))
        if row.stuck != row.established:
            out[row.stuck] = (_("That is the runs that ended with B still waiting; count every "
                              "run in which B became ESTABLISHED for nobody."))
        pct = round(100 * row.established / row.runs)
        if pct != row.established:
            out[pct] = _("That is the percentage; give the number of runs.")
        return out

    return compare({"two_way": two_way, "three_way": three_way}, [
        Part("two_way", two.established, mistake(two_way, (
            _("Look at the column 'B ESTABLISHED for nobody', row two-way.")), known(two))),
        Part("three_way", three.established, mistake(three_way, (
            _("Look at the row three-way: with three segments B becomes ESTABLISHED only when "
            "A's ACK confirms the request, and A never confirms an old one.")),
            known(three))),
    ], praise=_("{two_established} runs against {three_established}: with three segments an "
              "old SYN never opens a connection.").format(two_established=two.established, three_established=three.established))


# --------------------------------------------------------------------------- the lab

def _time_wait_story(x: int = 100, y: int = 300):
    """Section 6's story (the scenario "stale-syn-time-wait"): the old SYN released at
    t = 10 s, while A is in TIME-WAIT, and everything delivered."""
    from ..scenarios import get
    from ..session import Session
    scenario = get("stale-syn-time-wait")
    session = Session(replace(scenario.config, iss=(x, y)), scenario.actions)
    released = session.net.now
    session.do("release", 0)
    session.do("run")
    return session, released


_RST_NOT_ACK = N_("B's answer is a reset. In SYN-RECEIVED an ACK whose acknowledgment number "
                "B never sent is answered with <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.4, "
                "fifth step): no ACK flag.")


@exercise("stale-syn-time-wait",
          N_("Lesson 03, section 6, with x={x} and y={y} (neither side of the old connection "
          "sent data): the old SYN reaches B while A is still in TIME-WAIT. B answers "
          "SYN+ACK, seq=y, ack=x+1, and A answers that with ACK, seq=x+2, ack=y+2. What does "
          "B send back (which flags, which sequence number), and in which state is A just "
          "after that arrives? Answer with checks.check('stale-syn-time-wait', flags='...', "
          "seq=..., a='...')."), LESSON, vary=dict(x=_isn_a(500), y=_isn_b(900)))
def stale_syn_time_wait(v, /, flags=None, seq=None, a=None):
    x, y = v["x"], v["y"]
    session, released = _time_wait_story(x, y)
    sent, trace = session.net.sent, session.net.trace
    t_ack, a_ack = next((t, s) for t, s in sent if t >= released and s.src == "A")
    answer = next(s for t, s in sent if t > t_ack and s.src == "B")
    arrives = next(r.time for r in trace if r.kind == "arrive" and r.host == "A"
                   and r.segment == answer)
    a_then = [r.state for r in trace if r.kind == "state" and r.host == "A"
              and r.time <= arrives][-1]
    given_flags = flags_as_written(flags)
    if given_flags is not None and not isinstance(given_flags, str):
        flags_part = Part("flags", str(answer.flags),
                          _("Give the flags as text, like flags='SYN+ACK', or a Flag, like "
                          "flags=Flag.SYN."))
    else:
        flags_part = Part("flags", str(answer.flags), mistake(given_flags, _(_RST_NOT_ACK), {
            "ACK": _("B would answer with a bare ACK if A's seq, x+2, lay outside its receive "
                   "window; it lies just after x+1, inside. So B reads the acknowledgment "
                   "number, y+2, which it never sent — and resets."),
            "RST+ACK": _(_RST_NOT_ACK), "ACK+RST": _(_RST_NOT_ACK),
            "NOTHING": _("B does not stay silent: the ACK is acceptable and acknowledges "
                       "something B never sent."),
        }))
    return compare({"flags": given_flags, "seq": seq, "a": a}, [
        flags_part,
        Part("seq", answer.seq, mistake(seq, (
            _("The reset's seq is copied from the ack field of the segment it answers.")), {
            x + 1: _("{x_1} = x+1 is the RST a CLOSED A would send. Here B resets, copying "
                   "the ack field of A's ACK.").format(x_1=x + 1),
            a_ack.seq: _("{a_ack_seq} = x+2 is the seq of A's ACK. The reset takes the ACK's "
                       "ack field, not its seq: <SEQ=SEG.ACK>.").format(a_ack_seq=a_ack.seq),
            y + 1: _("{y_1} = y+1 is B's next number, but a reset answering an ACK copies "
                   "that ACK's ack field, y+2.").format(y_1=y + 1),
        })),
        state_part("a", a_then, a, (
            _("A's TIME-WAIT expects exactly this number next (w+1 = y+2): the RST is "
            "acceptable, and an acceptable RST ends TIME-WAIT.")), {
            State.TIME_WAIT: _("That is what RFC 1337 wishes (and Linux with "
                             "net.ipv4.tcp_rfc1337=1 does). But RFC 9293 and Linux's default "
                             "take an acceptable RST in TIME-WAIT: A's TIME-WAIT ends at once."),
            State.LISTEN: _("A never listened: it was the client. The RST ends its TIME-WAIT."),
        }),
    ], praise=_("B sends RST, seq=y+{answer_seq_y} (={answer_seq}), the ack field of A's ACK; it carries "
              "exactly the number A's TIME-WAIT expects, so A is CLOSED at once: TIME-WAIT "
              "assassination (RFC 1337).").format(answer_seq_y=answer.seq - y, answer_seq=answer.seq))


@exercise("stale-syn-lab",
          N_("In the lab of this lesson (ConnectionLab.from_scenario('stale-syn')), release the "
          "old SYN held in the network and deliver what follows, until B is back in LISTEN. "
          "Then check with checks.check('stale-syn-lab', lab=lab)."), LESSON)
def stale_syn_lab(lab=None):
    net = read_lab("stale-syn-lab", lab, page="lesson")
    if isinstance(net, Feedback):
        return net
    a, b = net.hosts["A"], net.hosts["B"]
    releases = [r for r in net.trace if r.kind == "release" and r.segment is not None
                and r.segment.has(Flag.SYN) and r.segment.src == "A"]
    if not releases:
        if net.held:
            return Feedback(False, [_("The old SYN is still held in the network. Click the "
                                    "button 'release A→B SYN, seq=x' under the lab's controls, "
                                    "then 'deliver next'.")])
        return Feedback(False, [_("This lab holds no old SYN (was it reset?). Run the lab's cell "
                                "again: ConnectionLab.from_scenario('stale-syn') opens with "
                                "the old SYN held, B listening.")])
    released = releases[0].time
    later = [r for r in net.trace if r.time >= released]
    rst = any(r.kind == "send" and r.host == "A" and r.segment is not None
              and Flag.RST in r.segment.flags for r in later)
    b_states = [r.state for r in later if r.kind == "state" and r.host == "B"]
    refused = False                   # B answered the old SYN, A reset it, B listens again
    if rst and State.SYN_RECEIVED in b_states:
        refused = State.LISTEN in b_states[b_states.index(State.SYN_RECEIVED):]
    if b.handshake == "two-way":
        if b.state is State.ESTABLISHED:
            return Feedback(False, [
                _("This lab runs the broken two-way handshake: B is ESTABLISHED for a "
                "connection nobody wants, and A, which ignores B's SYN+ACK, will never tell "
                "it. That is the failure of this lesson. For the exercise, open the "
                "three-way lab: ConnectionLab.from_scenario('stale-syn').")])
        return Feedback(False, [_("This lab runs the two-way handshake; the exercise is about "
                                "the three-way one: ConnectionLab.from_scenario('stale-syn').")])
    if net.held:
        return Feedback(False, [_("Another segment is held in the network: release it too, "
                                "then 'deliver next' until nothing is left.")])
    if refused and b.state is State.LISTEN:
        return Feedback(True, [_("B answered the old SYN (SYN-RECEIVED, SYN+ACK), A refused it "
                               "with RST, and B is back in LISTEN: no connection for nobody.")],
                        1.0)
    if refused:
        return Feedback(True, [_("A refused the old SYN with RST and B went back to LISTEN; "
                               "since then you went on playing (B is now in {b_state}).").format(b_state=b.state)],
                        1.0)
    if b.state is State.SYN_RECEIVED:
        return Feedback(False, [_("B has answered the old SYN with SYN+ACK and waits in "
                                "SYN-RECEIVED. Click 'deliver next': the SYN+ACK must reach "
                                "A, and A's answer must come back.")], 0.5)
    if b.state is State.LISTEN:
        return Feedback(False, [_("B listens, but the old SYN has not reached it yet: click "
                                "'deliver next'.")], 0.5)
    if b.state is State.ESTABLISHED and a.state is State.ESTABLISHED:
        return Feedback(False, [_("A and B have a new connection — did A connect() again? "
                                "Click 'undo' back to the release, and only deliver.")], 0.5)
    return Feedback(False, [_("B is in {b_state} and A in {a_state}. Click 'reset' (or run the "
                            "lab's cell again), release the old SYN and click 'deliver next' "
                            "until nothing is left.").format(b_state=b.state, a_state=a.state)], 0.5)


# --------------------------------------------------------------------------- predictions

@exercise("predict-stale-syn",
          N_("The router lets the old SYN go, in both stories. When everything has been "
             "delivered, which state is B in with the two-way handshake (two_way=...), and "
             "which with the three-way handshake (three_way=...)?"), LESSON, kind="predict")
def predict_stale_syn(two_way=None, three_way=None, **other):
    two, three = _story("two-way")[0].host("B"), _story("three-way")[0].host("B")
    two_given, two_part = read_state_part("two_way", two.state, two_way, _(
        "with two segments B commits as soon as it has answered a SYN: ESTABLISHED, for a "
        "connection A never asked for, and nobody tells it otherwise."), {
        State.LISTEN: _("that is the three-way ending. With two segments B is ESTABLISHED "
                        "once it has answered; A ignores the SYN+ACK, so nothing sends B "
                        "back."),
        State.SYN_RECEIVED: _("a two-way server has no SYN-RECEIVED: answering the SYN is "
                              "all it waits for.")})
    three_given, three_part = read_state_part("three_way", three.state, three_way, _(
        "B answers in SYN-RECEIVED and waits for A's ACK of y; A, CLOSED, refuses the "
        "SYN+ACK with RST, and the RST sends B back to LISTEN."), {
        State.ESTABLISHED: _("B would need A's ACK of its SYN+ACK; A has no connection and "
                             "refuses it with RST."),
        State.SYN_RECEIVED: _("B does not stay there: A's RST ends SYN-RECEIVED at once."),
        State.CLOSED: _("a passive open that is reset returns to LISTEN, not CLOSED "
                        "(RFC 9293 §3.10.7.4): B keeps listening for real clients.")})
    return compare({"two_way": two_given, "three_way": three_given, **other},
                   [two_part, three_part],
                   praise=_("two-way: B ESTABLISHED for nobody; three-way: B back in LISTEN."))


@exercise("predict-stale-syn-time-wait",
          N_("This time the old SYN comes out at t = 10 s, while A still waits out its 2MSL "
             "in TIME-WAIT and B listens again. When everything has been delivered, which "
             "state is A in (a=...), and which is B in (b=...)?"), LESSON, kind="predict")
def predict_stale_syn_time_wait(a=None, b=None, **other):
    session, _released = _time_wait_story()
    host_a, host_b = session.host("A"), session.host("B")
    a_given, a_part = read_state_part("a", host_a.state, a, _(
        "A answers B's SYN+ACK from TIME-WAIT with its own current numbers, ACK x+2, y+2; B "
        "resets that ACK with seq=y+2, exactly the number A's TIME-WAIT expects, and an "
        "acceptable RST closes A at once."), {
        State.TIME_WAIT: _("that is what RFC 1337 asks for (and Linux with "
                           "net.ipv4.tcp_rfc1337=1). RFC 9293 and Linux's default take an "
                           "acceptable RST in TIME-WAIT: A's TIME-WAIT ends early."),
        State.ESTABLISHED: _("A does not reopen the connection: it answers with the numbers "
                             "of the connection it is waiting out.")})
    b_given, b_part = read_state_part("b", host_b.state, b, _(
        "B answers the old SYN, resets A's ACK, retransmits its SYN+ACK, and A, now CLOSED, "
        "resets that: B is back where it started."), {
        State.ESTABLISHED: _("A's ACK acknowledges y+2, a number B never sent: B resets it "
                             "instead of believing in the connection."),
        State.SYN_RECEIVED: _("B's retransmitted SYN+ACK reaches A once A is CLOSED; A's "
                              "RST then ends B's SYN-RECEIVED.")})
    return compare({"a": a_given, "b": b_given, **other}, [a_part, b_part],
                   praise=_("A CLOSED before its 2MSL is over, B in LISTEN: the old SYN cut "
                            "A's TIME-WAIT short (TIME-WAIT assassination, RFC 1337)."))


# --------------------------------------------------------------------------- trace exercises

def _story_rows(v) -> list:
    """Section 1's three-way story with the student's ISNs: every segment sent."""
    return rows_of(_story("three-way", v["x"], v["y"])[0].net)


#: blanks the rules fill from the visible fields; never a number the old SYN's answer
#: (segments 9 and 10) takes from outside the usual counting
STORY_BLANKS = Blanks(("seq2", "ack3", "state3", "ack6", "seq8", "ack8", "state8", "state9",
                       "flags10"))


@exercise("trace-stale-syn",
          N_("Section 1's three-way story with A's ISN x={x} and B's y={y}: A's first SYN is "
             "held in a router, the retransmitted one opens the connection, both close, and "
             "then the router lets the old SYN go (its own row is the first, when it was "
             "sent). Fill in the blanks of the table TCP sent: "
             "checks.check('trace-stale-syn', seq2=…, ack3=…, …)."), LESSON,
          kind="trace", parts=STORY_BLANKS.names,
          vary=dict(x=_isn_a(100), y=_isn_b(30000)),
          figure=lambda v: STORY_BLANKS.figure(_story_rows(v)))
def trace_stale_syn(v, /, **answers):
    return STORY_BLANKS.judge(_story_rows(v), answers)


def _connection_rows(v) -> list:
    """The connection the retransmitted SYN opened, A sending n bytes before it closes:
    its segments, without the held copy of the first SYN."""
    from ..scenarios import get
    from ..session import Session
    scenario = get("stale-syn")
    config = replace(scenario.config, iss=(v["x"], v["y"]))
    session = Session(config, (("arm", "hold"),) + _connection_script(v["n"]))
    return [replace(r, n=i) for i, r in enumerate(rows_of(session.net)[1:], 1)]


def _connection_script(n: int) -> tuple:
    from ..stories import _stale_syn_connection
    return _stale_syn_connection(bytes(n)) + (("run",),)


@exercise("order-stale-syn",
          N_("The connection of section 1 with x={x} and y={y}, in which A sends {n} bytes "
             "before it closes: here are the segments it sent (without the held copy of the "
             "first SYN) as cards, shuffled. Put them back in the order they were sent, "
             "reading only the numbers: checks.check('order-stale-syn', order=[…])."), LESSON,
          kind="order",
          vary=dict(x=_isn_a(2000), y=_isn_b(40000), n=Choice(range(20, 537), 100),
                    # 9! orderings: every card may land anywhere
                    shuffle=Choice(range(1, 362880), demo=1703)),
          figure=lambda v: Cards(_connection_rows(v), v["shuffle"]))
def order_stale_syn(v, /, order=None, **other):
    return Cards(_connection_rows(v), v["shuffle"]).judge(order, other)


# --------------------------------------------------------------------------- explain in words

explanation(
    "explain-third-segment", LESSON,
    question=N_("Why does B wait for a third segment before it believes in a connection? "
                "What would go wrong with two, and would a reset from A be enough to save a "
                "two-way handshake?"),
    model=N_("A SYN proves only that someone, at some time, wanted a connection: an old "
             "duplicate SYN looks exactly like a new one. With two segments B commits "
             "(ESTABLISHED: its application is told, buffers are set aside) as soon as it has "
             "answered, so every old SYN opens a connection nobody wants; the lecture's A "
             "ignores B's answer (不予理睬) and B waits for nobody. With three segments B only "
             "enters SYN-RECEIVED and waits for an ACK of its own number y, which only the "
             "real A, hearing B's SYN+ACK now, can send (RFC 9293 §3.5: the handshake exists "
             "to stop old duplicate connection initiations). A real A, CLOSED, does not stay "
             "silent: it answers the SYN+ACK with RST, seq=x+1, and B goes back to LISTEN. "
             "That reset would not save a two-way handshake: B would already have committed, "
             "and an old data segment numbered from x+1 could be delivered before the reset "
             "arrives. The third segment also completes the exchange of both ISNs: each side "
             "hears its own number acknowledged."),
    points=(N_("an old duplicate SYN cannot be told from a new one, so B must not commit on "
               "a SYN alone"),
            N_("the third segment acknowledges B's ISN y, which only a current A can do; B "
               "waits in SYN-RECEIVED until then"),
            N_("a CLOSED A answers the SYN+ACK with RST (RFC 9293), where the lecture says A "
               "ignores it; with two segments the RST would come after B committed")))

explanation(
    "explain-time-wait-assassination", LESSON,
    question=N_("In section 6 an old SYN ends A's TIME-WAIT early. How does that happen, why "
                "is it a risk, and what do RFC 9293, RFC 1337 and Linux do about it?"),
    model=N_("B, listening again, answers the old SYN with SYN+ACK, ack=x+1. A, in TIME-WAIT, "
             "answers with the numbers of the connection it is waiting out, ACK seq=x+2, "
             "ack=y+2. B, in SYN-RECEIVED, finds x+2 in its window but an acknowledgment of "
             "y+2 it never sent, and resets it with <SEQ=SEG.ACK><CTL=RST>, seq=y+2: exactly "
             "the number A's TIME-WAIT expects, so the RST is acceptable and, by RFC 9293 "
             "(§3.10.7.4), A goes to CLOSED at once. The 2MSL that was to let old segments "
             "die is cut short, so a new incarnation could meet them (TIME-WAIT "
             "assassination). RFC 1337 recommends that TIME-WAIT ignore RSTs; Linux follows "
             "RFC 9293 by default and follows RFC 1337 with net.ipv4.tcp_rfc1337=1. The "
             "lecture does not discuss this case. It happens only when A's numbers fall in B's "
             "window, as when the old SYN belongs to the connection A is waiting out."),
    points=(N_("the chain: B's SYN+ACK, A's ACK with its current numbers (x+2, y+2), B's RST "
               "with seq=y+2, which is acceptable to A"),
            N_("an acceptable RST in TIME-WAIT closes the connection (RFC 9293), so old "
               "segments may outlive A's wait"),
            N_("RFC 1337 says to ignore RSTs in TIME-WAIT; Linux does so only with "
               "net.ipv4.tcp_rfc1337=1, its default follows RFC 9293")))
