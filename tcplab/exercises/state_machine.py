"""Exercises of lesson 05, the finite state machine (有限状态机).

Every expected answer is read off the transition table (``tcplab.fsm``) when
the student checks, and so is most of the feedback: the edge a wrong state
would need, the label of the dashed edge to follow next.  Answers are read
forgivingly (by :mod:`tcplab.grading.answers`): a state may be ``State.TIME_WAIT``, ``"TIME-WAIT"``,
``"time_wait"`` or ``"time wait"``; a list may be a Python list or a string
separated by commas or arrows; a call may be ``"close"``, ``"close()"`` or
``"a.close()"``; a segment ``"SYN+ACK"``, ``"syn, ack"`` or
``Flag.SYN | Flag.ACK``.  Nothing here raises on a wrong type: it says what it
expected instead.
"""

from __future__ import annotations

from typing import Any

from .. import seqnum, stories
from ..fsm import (CLIENT_PATH, SERVER_PATH, TRANSITIONS, Event, EventKind, Path, State,
                   Machine, Transition, legal_events, lookup)
from ..grading.answers import CALLS, STATE_NAMES, Unreadable, parse_calls, parse_flags
from ..grading.answers import mistake, names_note, parse_state, parse_states, read_state_part
from ..grading.blanks import Blanks
from ..grading.framework import Feedback, Judged, Part, compare, exercise, judge, same
from ..grading.ordering import Cards
from ..grading.segment_rows import rows_of
from ..grading.variants import Choice
from ..segment import Flag
from ..text import N_, _

LESSON = "05-state-machine"

# the parsers lived here first: released notebooks import them from this module
__all__ = ["LESSON", "parse_state", "parse_states", "parse_calls", "parse_flags"]

_ALL_CALLS = ", ".join(e.call for e in CALLS)


def _edge(source: State, target: State) -> Transition:
    """The one edge of the table from ``source`` to ``target`` (the exercises ask about such)."""
    (t,) = [t for t in TRANSITIONS if t.source is source and t.target is target]
    return t


def _unknown_states(bad: list) -> str:
    said = (_("{bad} is not a state (the 11 states: {state_names}).") if len(bad) == 1 else
            _("{bad} are not a state (the 11 states: {state_names})."))
    return said.format(bad=", ".join(map(repr, bad)), state_names=STATE_NAMES)


def _unknown_calls(bad: list) -> str:
    said = (_("{bad} is not an application call (the calls: {all_calls}).") if len(bad) == 1
            else _("{bad} are not an application call (the calls: {all_calls})."))
    return said.format(bad=", ".join(map(repr, bad)), all_calls=_ALL_CALLS)


def _number(name: str, expected: int, given: Any, why: str) -> Judged:
    """A part whose answer is a number (a seq or an ack), judged as compare() judges one."""
    if given is not None and (isinstance(given, bool) or not isinstance(given, (int, float))):
        return Judged(name, given, False, line=_(
            "{name} should be a number (like {name}=123), not {given!r}").format(
            name=name, given=given))
    return Judged(name, given, given is not None and same(given, expected), why)


# ------------------------------------------------------------------ 1. FIN+ACK in FIN-WAIT-1

@exercise("fsm-fin-ack",
          N_("A host is in FIN-WAIT-1: it has sent its FIN, seq={u}. Now the peer's FIN "
          "arrives, seq={w}, and its ACK field acknowledges our FIN, ack={u}+1 (a FIN+ACK). "
          "Which state does the host enter, and which ack does its answer carry? "
          "Answer with checks.check('fsm-fin-ack', state=..., ack=...)."), LESSON,
          vary=dict(u=Choice(range(101, 30000, 10), demo=101),
                    w=Choice(range(30001, 60000, 10), demo=301)))
def fin_ack(v, /, state=None, ack=None, **extra):
    t = lookup(State.FIN_WAIT_1, Event.RCV_FIN_ACK)
    net, a, _b = stories.fin_ack_in_fin_wait_1(a_iss=v["u"] - 1, b_iss=v["w"] - 1)
    net.run(until=2.0)
    fin = next(s for _t, s in net.sent if s.src == "B" and Flag.FIN in s.flags)
    answer = next(s for _t, s in net.sent if s.src == "A" and s.flags == Flag.ACK
                  and s.ack == seqnum.add(fin.seq, 1))
    assert a.state is t.target and fin.ack == v["u"] + 1
    s = parse_state(state)
    why = ""
    if state is not None and s is None:
        why = (_("Name one of the 11 states, like state='LISTEN' or state=State.LISTEN "
               "({state_names}).").format(state_names=STATE_NAMES))
    elif s is State.CLOSING:
        why = (_("CLOSING follows a FIN that does not acknowledge ours: the two FINs crossed "
               "(simultaneous close) and we still wait for our FIN's ACK. This FIN+ACK "
               "already acknowledges our FIN, so there is no ACK left to wait for."))
    elif s is State.FIN_WAIT_2:
        why = (_("FIN-WAIT-2 is where we wait for the peer's FIN once ours is acknowledged. "
               "This one segment brings both: the ACK of our FIN and the peer's FIN — two "
               "steps of the usual path at once."))
    elif s in (State.CLOSE_WAIT, State.LAST_ACK):
        why = (_("{s} belongs to the side that closes second, after the peer's FIN; this host "
               "closed first (it is in FIN-WAIT-1), so it stays on the active-close side.").format(s=s))
    elif s is State.CLOSED:
        why = (_("Not yet: the host answers the FIN with the last ACK, and that ACK may be "
               "lost. Which state lets it repeat that ACK if the FIN comes again?"))
    elif s is not None:
        why = _("Look at the edges leaving FIN-WAIT-1 in the diagram: one is labelled " \
              "'{t_label}'.").format(t_label=t.label)
    note = names_note(state)
    w, u = fin.seq, v["u"]
    return judge([Judged("state", state, s is t.target, f"{note} {why}" if note else why,
                         note),
                  _number("ack", answer.ack, ack, mistake(ack, (
                      _("The host acknowledges the peer's FIN: ack is the next number it "
                        "expects from the peer.")), {
                      w: _("{w} is w, the number of the peer's FIN itself. A FIN occupies one "
                           "sequence number, so the host acknowledges w+1.").format(w=w),
                      u + 1: _("{u_1} is u+1, the ack the host received (of its own FIN); "
                               "its answer acknowledges the peer's FIN, in the peer's "
                               "sequence space.").format(u_1=u + 1),
                  }))], extra,
                 _("{edge}: {note}; the last ACK carries ack=w+1.").format(
                     edge=f"FIN-WAIT-1 --{t.label}--> {t.target}", note=t.explanation))


# ------------------------------------------------------------------ 2. the server's usual path

def _core(states: list[State]) -> list[State]:
    """A path without its CLOSED at either end (students may or may not write them)."""
    core = list(states)
    if core and core[0] is State.CLOSED:
        core = core[1:]
    if core and core[-1] is State.CLOSED:
        core = core[:-1]
    return core


#: the times a question may ask B's state at: none within 0.02 s of a change of state
#: (0.1, 0.3, 1.1, 2.0 and 2.2 s), so every student's question has one clear answer
_SERVER_TIMES = (0.05, *(round(0.12 + 0.02 * i, 2) for i in range(9)),
                 *(round(0.4 + 0.1 * i, 1) for i in range(7)),
                 *(round(1.2 + 0.1 * i, 1) for i in range(8)), 2.05, 2.1, 2.15, 2.5, 3.0)


def _server_at(t: float) -> tuple[State, list[float]]:
    """The lecture's connection (B listens, A connects at 0, delay 0.1 s, A closes at 1 s,
    B at 2 s): B's state at ``t``, and the times B's state changed."""
    net, _a, _b = stories.closed_by("A")
    entered = [(r.time, r.state) for r in net.trace if r.kind == "state" and r.host == "B"]
    return [s for when, s in entered if when <= t][-1], [when for when, _s in entered]


@exercise("fsm-server-path",
          N_("B listens and A connects at t=0 s (one-way delay 0.1 s); A calls close() at "
          "t=1 s and B at t=2 s. Name, in order, the states of B's path, the server's usual "
          "path (the thick dashed line), from CLOSED back to CLOSED; and which state is B in "
          "at t={t} s? Answer with checks.check('fsm-server-path', states=[...], at=...) "
          "(or states='CLOSED, ..., CLOSED')."), LESSON,
          vary=dict(t=Choice(_SERVER_TIMES, demo=1.5)))
def server_path(v, /, states=None, at=None, **extra):
    expected = list(SERVER_PATH)
    path_text = " → ".join(map(str, expected))
    b_at, changes = _server_at(v["t"])
    given_at, at_part = read_state_part("at", b_at, at, _(
        "B's state changes at t = {changes} s (one change at each edge of its path): which "
        "change is the last before t={t} s?").format(
        changes=", ".join(f"{c:g}" for c in changes), t=f"{v['t']:g}"))
    at_judged = Judged("at", at, given_at is not None and same(given_at, at_part.expected),
                       at_part.why, at_part.right)
    if states is None:
        return judge([Judged("states", None, False), at_judged], extra, "")
    try:
        given, bad = parse_states(states, '["CLOSED", "LISTEN", ...]')
    except Unreadable as exc:
        return judge([Judged("states", states, False, str(exc) + "."), at_judged], extra, "")
    if bad:
        return judge([Judged("states", states, False, _unknown_states(bad)), at_judged],
                     extra, "")
    want, got = _core(expected), _core(given)
    ok = got == want
    why = ""
    if not ok:
        edges = {t.source: t for t in TRANSITIONS if t.path is Path.SERVER}
        hints = []
        if got == _core(list(CLIENT_PATH)):
            hints.append(_("That is the client's path (the thick solid line: active open, "
                         "active close). The server opens passively (被动打开) and closes "
                         "second."))
        else:
            strangers = [s for s in dict.fromkeys(got) if s not in want]
            for s in strangers:
                if s in CLIENT_PATH:
                    hints.append((_("{s} is on the client's path, not the server's: the "
                                    "server never sends the first SYN, it listens.")
                                  if s is State.SYN_SENT else
                                  _("{s} is on the client's path, not the server's: the "
                                    "server does not close first; the peer's FIN reaches "
                                    "it in ESTABLISHED.")).format(s=s))
                else:
                    hints.append(_("{s} is on neither usual path (it is drawn thin).").format(s=s))
            if not strangers and sorted(got, key=list(State).index) == \
                    sorted(want, key=list(State).index):
                hints.append(_("These are the right states, in the wrong order: follow the "
                             "dashed line from CLOSED."))
            elif not strangers:
                i = next((i for i, (a, b) in enumerate(zip(got, want)) if a is not b),
                         min(len(got), len(want)))
                before = want[i - 1] if i else State.CLOSED
                if i < len(want):
                    hints.append(_("The first {i} state(s) after CLOSED are right. Then follow "
                                 "the dashed edge leaving {before}, labelled "
                                 "'{label}': where does it lead?").format(i=i, before=before, label=edges[before].label))
                else:
                    hints.append(_("After {before} the server's dashed edge "
                                 "'{label}' leads back to CLOSED; "
                                 "the path ends there.").format(before=before, label=edges[before].label))
        why = " ".join(hints)
    note = names_note(states)
    return judge([Judged("states", states, ok, f"{note} {why}" if note else why, note),
                  at_judged], extra,
                 _("The server's path: {path_text}; at t={t} s B is in {b_at}.").format(
                     path_text=path_text, t=f"{v['t']:g}", b_at=b_at))


# ------------------------------------------------------------------ 3. calls in CLOSE-WAIT

_WHY_LEGAL_IN_CLOSE_WAIT = {
    Event.SEND: N_("send() is legal in CLOSE-WAIT: the connection is only half-closed (半关闭). "
                "The peer will send no more, but this side may go on sending until its "
                "application calls close()."),
    Event.CLOSE: N_("close() is legal in CLOSE-WAIT — it is how the application leaves it: "
                 "the table's edge is '{label}' to {target}."),
    Event.ABORT: N_("abort() is legal in CLOSE-WAIT, as in every state that has a connection: "
                 "'{label}' to {target}."),
}


@exercise("fsm-close-wait-calls",
          N_("B is in CLOSE-WAIT: A's FIN has arrived and B has acknowledged it. Which "
          "application calls are legal for B now? Answer with "
          "checks.check('fsm-close-wait-calls', calls=['...', ...])."), LESSON)
def close_wait_calls(calls=None, **extra):
    state = State.CLOSE_WAIT
    expected = legal_events(state, EventKind.CALL)
    if calls is None:
        return judge([Judged("calls", None, False)], extra, "")
    try:
        given, bad = parse_calls(calls, '["send()", "abort()"]')
    except Unreadable as exc:
        return judge([Judged("calls", calls, False, str(exc) + ".")], extra, "")
    hints = [_unknown_calls(bad)] if bad else []
    for e in expected:
        if e not in given:
            t = lookup(state, e)
            hints.append(_(_WHY_LEGAL_IN_CLOSE_WAIT.get(
                e, N_("{call} is legal in CLOSE-WAIT: '{label}' to {target}."))).format(
                call=e.call, label=t.label, target=t.target))
    for e in dict.fromkeys(given):
        if e not in expected:
            hints.append((_("{call} is refused in CLOSE-WAIT: this endpoint already has a "
                            "connection.") if e in (Event.CONNECT, Event.LISTEN) else
                          _("{call} is refused in CLOSE-WAIT: the table has no such edge "
                            "there.")).format(call=e.call))
    ok = not hints
    praise = (_("In CLOSE-WAIT the table allows {calls}: "
              "B may still send (half-close), and B's close() sends the second FIN.").format(
        calls=", ".join(e.call for e in expected)))
    return judge([Judged("calls", calls, ok, " ".join(hints))], extra, praise)


# ------------------------------------------------------------------ 4. where close() is illegal

@exercise("fsm-close-illegal",
          N_("In which states is the application call close() illegal (refused with an error)? "
          "Answer with checks.check('fsm-close-illegal', states=[...]) in any order."), LESSON)
def close_illegal(states=None, **extra):
    expected = [s for s in State if Event.CLOSE not in legal_events(s, EventKind.CALL)]
    if states is None:
        return judge([Judged("states", None, False)], extra, "")
    try:
        given, bad = parse_states(states, '["CLOSED", "LISTEN"]')
    except Unreadable as exc:
        return judge([Judged("states", states, False, str(exc) + ".")], extra, "")
    hints = [_unknown_states(bad)] if bad else []
    for s in dict.fromkeys(given):
        if s not in expected:
            t = lookup(s, Event.CLOSE)
            hints.append((_("close() is legal in {s}: the table's edge is '{label}' to "
                            "{target} ({note}).") if t.note else
                          _("close() is legal in {s}: the table's edge is '{label}' to "
                            "{target}.")).format(s=s, label=t.label, target=t.target,
                                                 note=t.explanation))
    missing = [s for s in expected if s not in given]
    if State.CLOSED in missing:
        hints.append(_("You left out a state with no connection at all: there is nothing to "
                     "close there."))
    others = [s for s in missing if s is not State.CLOSED]
    if others:
        hints.append(_("You left out {len_others} state(s) entered after the application "
                     "has already called close(): a FIN is sent only once, so a second "
                     "close() is refused.").format(len_others=len(others)))
    ok = not hints
    praise = (_("close() is refused in {states}: in CLOSED there is "
              "nothing to close, and in the others close() was already called.").format(
        states=", ".join(map(str, expected))))
    note = names_note(states)
    return judge([Judged("states", states, ok, " ".join(([note] if note else []) + hints),
                         note)], extra, praise)


# ------------------------------------------------------------------ 5. SYN-SENT → SYN-RECEIVED

@exercise("fsm-simultaneous-open",
          N_("A (ISN x={x}) goes from SYN-SENT straight to SYN-RECEIVED; its peer B chose "
          "the ISN y={y}. Which segment arrives, which segment does A send, and which ack "
          "does it carry? Answer with checks.check('fsm-simultaneous-open', arrives='...', "
          "sends='...', ack=...)."), LESSON,
          vary=dict(x=Choice(range(100, 30000, 10), demo=100),
                    y=Choice(range(30000, 60000, 10), demo=300)))
def simultaneous_open(v, /, arrives=None, sends=None, ack=None, **extra):
    t = _edge(State.SYN_SENT, State.SYN_RECEIVED)
    x, y = v["x"], v["y"]
    net, a, _b = stories.simultaneous_open(a_iss=x, b_iss=y)
    net.run(until=0.15)
    assert State.SYN_RECEIVED in a.history
    answer = next(s for _t, s in net.sent if s.src == "A" and s.flags == Flag.SYN | Flag.ACK)
    want_in, want_out = parse_flags(t.event.label), parse_flags(t.action)
    got_in, got_out = parse_flags(arrives), parse_flags(sends)
    unreadable = (_("Name the control bits, like 'SYN', 'SYN+ACK' or Flag.SYN | Flag.ACK "
                  "(or 'nothing')."))
    why_in = ""
    if arrives is not None and got_in is None:
        why_in = unreadable
    elif got_in == frozenset({"SYN", "ACK"}):
        why_in = (_("A SYN+ACK in SYN-SENT is the usual reply to our SYN: it leads to "
                  "ESTABLISHED (the client's path). To reach SYN-RECEIVED, something else "
                  "arrives: the peer is opening too."))
    elif got_in == frozenset({"ACK"}):
        why_in = _("An ACK alone carries no connection request; it does not move SYN-SENT.")
    elif got_in == frozenset({"RST"}):
        why_in = _("An acceptable RST in SYN-SENT means 'connection refused': back to CLOSED.")
    elif got_in is not None:
        why_in = _("Look at the thin edge from SYN-SENT to SYN-RECEIVED in the diagram.")
    why_out = ""
    if sends is not None and got_out is None:
        why_out = unreadable
    elif got_out == frozenset({"ACK"}):
        why_out = (_("The ACK acknowledges the peer's SYN, but our own SYN has not been "
                   "acknowledged yet: the host sends its SYN again (same ISN) with the ACK."))
    elif got_out == frozenset({"SYN"}):
        why_out = (_("Our SYN goes again, but the host must also acknowledge the peer's SYN "
                   "(ack = the peer's ISN + 1)."))
    elif got_out == frozenset({"RST"}):
        why_out = (_("A SYN in SYN-SENT is no error: both hosts called connect() at once "
                   "(simultaneous open), and the connection can still be made."))
    elif got_out is not None:
        why_out = _("Look at the label of the thin edge from SYN-SENT to SYN-RECEIVED.")
    praise = (_("SYN-SENT --{t_label}--> SYN-RECEIVED: a simultaneous open — each host's SYN "
              "reaches the other while it waits in SYN-SENT; A's SYN+ACK repeats seq=x and "
              "carries ack=y+1.").format(t_label=t.label))
    return judge([
        Judged("arrives", arrives, got_in is not None and got_in == want_in, why_in),
        Judged("sends", sends, got_out is not None and got_out == want_out, why_out),
        _number("ack", answer.ack, ack, mistake(ack, (
            _("A acknowledges B's SYN: ack is the next number A expects from B.")), {
            y: _("{y} is y, the number of B's SYN itself; the SYN occupies one sequence "
                 "number, so A acknowledges y+1.").format(y=y),
            x + 1: _("{x_1} is x+1, in A's own sequence space; ack names B's next "
                     "number.").format(x_1=x + 1),
        })),
    ], extra, praise)


# ------------------------------------------------------------------ 6. a walk in the explorer

def _walker(explorer: Any):
    walker = getattr(explorer, "walker", explorer)
    return walker if isinstance(walker, Machine) else None


@exercise("fsm-explorer-closing",
          N_("In the StateMachineExplorer, play a host that opens by a simultaneous open "
          "(both hosts call connect() at once) and then closes by a simultaneous close, and "
          "stop in CLOSING. Then check with checks.check('fsm-explorer-closing', "
          "explorer=lab)."), LESSON)
def explorer_closing(explorer=None, **extra):
    sim_open = _edge(State.SYN_SENT, State.SYN_RECEIVED)
    sim_close = lookup(State.FIN_WAIT_1, Event.RCV_FIN)
    goal = sim_close.target
    if explorer is None:
        return judge([Judged("explorer", None, False)], extra, "")
    walker = _walker(explorer)
    if walker is None:
        return judge([Judged("explorer", explorer, False,
                                  _("Pass the lab itself: explorer=lab, where "
                                  "lab = StateMachineExplorer()."))], extra, "")
    taken = list(walker.transitions)
    ends = [i for i, t in enumerate(taken) if t.target is State.CLOSED]
    conn = taken[ends[-1] + 1:] if ends else taken       # the connection being played now
    where = _("The explorer is in {walker_state} ({history}).").format(
        walker_state=walker.state, history=" → ".join(map(str, walker.history)))
    if extra:
        return judge([Judged("explorer", explorer, True)], extra, "")
    if not taken:
        return Feedback(False, [_("No walk yet: the explorer is in {walker_state} and no event "
                                "has been fired. Click the events in the lab, then run this "
                                "cell again.").format(walker_state=walker.state)], 0.0)
    hints = []
    opened_usual = any(t.source is State.SYN_SENT and t.target is State.ESTABLISHED
                       for t in conn)
    opened_passive = any(t.source is State.LISTEN and t.target is State.SYN_RECEIVED
                         for t in conn)
    if sim_open not in conn:
        if opened_usual:
            hints.append(_("You opened the usual way: a SYN+ACK arrived in SYN-SENT. In a "
                         "simultaneous open the peer's own SYN arrives in SYN-SENT, because "
                         "the peer called connect() too."))
        elif opened_passive:
            hints.append(_("You opened passively (listen(), then a SYN). A simultaneous open "
                         "starts with connect(): both hosts send a SYN."))
        elif walker.state is State.SYN_SENT:
            hints.append(_("Good start: now the peer's SYN arrives (the peer connected too)."))
        elif not conn:
            hints.append(_("The walk ended in CLOSED: press reset (or undo) and start with "
                         "connect()."))
        else:
            hints.append(_("A simultaneous open starts with connect() in CLOSED."))
    if any(t.source is State.FIN_WAIT_1 and t.event is Event.RCV_FIN_ACK for t in conn):
        hints.append(_("In FIN-WAIT-1 a FIN+ACK arrived: that FIN also acknowledged ours, so "
                     "the host went straight to TIME-WAIT. In a simultaneous close the FINs "
                     "cross, so the peer's FIN cannot acknowledge ours yet: press undo."))
    elif any(t.source is State.FIN_WAIT_1 and t.target is State.FIN_WAIT_2 for t in conn):
        hints.append(_("In FIN-WAIT-1 the ACK of our FIN arrived first: that is the usual "
                     "close (FIN-WAIT-2). In a simultaneous close the peer's FIN arrives "
                     "while ours is still unacknowledged: press undo."))
    elif any(t.target is State.CLOSE_WAIT for t in conn):
        hints.append(_("The peer's FIN arrived while you were ESTABLISHED: that is a passive "
                     "close (CLOSE-WAIT). In a simultaneous close this host calls close() "
                     "first, and the peer's FIN arrives after that."))
    elif sim_close in conn and walker.state is not goal:
        hints.append(_("You passed through {goal} and went on: press undo until the "
                     "explorer is back in {goal}.").format(goal=goal))
    elif not hints and walker.state is not goal:
        if walker.state is State.SYN_RECEIVED:
            hints.append(_("Now finish opening (the peer's SYN+ACK acknowledges our SYN: in "
                         "the table that is the event 'ACK'), or close() right away."))
        elif walker.state is State.ESTABLISHED:
            hints.append(_("Opened. Now both hosts close at once: this one calls close() first."))
        elif walker.state is State.FIN_WAIT_1:
            hints.append(_("Our FIN is out. In a simultaneous close, what arrives next is not "
                         "the ACK of our FIN, but the peer's own FIN."))
        else:
            hints.append(_("Stop in {goal}.").format(goal=goal))
    ok = not hints and walker.state is goal
    praise = (_("{where} SYN-SENT --{sim_open_label}--> SYN-RECEIVED opened it and "
              "FIN-WAIT-1 --{sim_close_label}--> {goal} closes it: both FINs are out and "
              "this host waits for the ACK of its own.").format(where=where, sim_open_label=sim_open.label, sim_close_label=sim_close.label, goal=goal))
    if ok:
        return Feedback(True, [praise], 1.0)
    return Feedback(False, [where] + hints, 0.0)


# ------------------------------------------------------------------ predictions

@exercise("predict-who-time-wait",
          N_("B listens, A connects; A closes first, and B closes a second later. Which host "
             "passes through TIME-WAIT, and which state is B in while A waits in "
             "FIN-WAIT-2?"), LESSON, kind="predict")
def who_time_wait(who=None, b=None, **other):
    net, a, host_b = stories.half_closed(a_iss=100, b_iss=300)
    b_then = host_b.state
    host_b.close()
    net.run()
    waited = [h.name for h in (a, host_b) if State.TIME_WAIT in h.history]
    b_given, b_part = read_state_part("b", b_then, b, _(
        "A's FIN has arrived and B has acknowledged it; B's application has not closed "
        "yet."), {
        State.FIN_WAIT_2: _("FIN-WAIT-2 is A's state (its FIN acknowledged); B received that "
                            "FIN: it waits for its own application to close."),
        State.LAST_ACK: _("B enters LAST-ACK only when its application calls close() and B "
                          "sends its FIN."),
        State.ESTABLISHED: _("A's FIN moved B on: the peer's FIN takes ESTABLISHED to another "
                             "state (half-close, 半关闭).")})
    return compare({"who": who, "b": b_given, **other}, [
        Part("who", waited[0], mistake(who, _(
            "TIME-WAIT belongs to the side that closes first: it sends the last ACK, which "
            "may be lost."), {
            "B": _("B closes second: its FIN is answered by A's last ACK, and when that ACK "
                   "arrives B is done (LAST-ACK → CLOSED). A, which sent that ACK, waits."),
            "both": _("Only one side sends the last ACK: the one that closed first.")})),
        b_part,
    ], praise=_("A, which closed first, passes through TIME-WAIT; B waits in CLOSE-WAIT "
                "until its application closes."))


@exercise("predict-simultaneous-close",
          N_("A and B are ESTABLISHED and call close() at the same moment: their FINs cross. "
             "Which state does A enter when B's FIN arrives, and which one when the ACK of "
             "its own FIN arrives?"), LESSON, kind="predict")
def simultaneous_close(first=None, then=None, **other):
    net, a, b = stories.opened()
    a.close()
    b.close()
    net.run(until=1.5)
    closed_at = a.history.index(State.FIN_WAIT_1)
    after = a.history[closed_at + 1:closed_at + 3]
    first_given, first_part = read_state_part("first", after[0], first, _(
        "B's FIN does not acknowledge A's FIN (B sent it before A's FIN arrived): A "
        "acknowledges B's FIN and still waits for the ACK of its own."), {
        State.TIME_WAIT: _("TIME-WAIT needs the ACK of A's own FIN too; B's FIN crossed "
                           "A's and acknowledges nothing of it."),
        State.CLOSE_WAIT: _("CLOSE-WAIT is for a side that has not closed; A already "
                            "sent its FIN (FIN-WAIT-1)."),
        State.FIN_WAIT_2: _("FIN-WAIT-2 follows the ACK of our FIN; what arrives here is "
                            "the peer's FIN, which does not acknowledge ours.")})
    then_given, then_part = read_state_part("then", after[1], then, _(
        "Once its FIN is acknowledged, both directions are closed and A waits 2MSL."), {
        State.CLOSED: _("Both hosts closed first, so both send a last ACK and both wait "
                        "2MSL in TIME-WAIT.")})
    return compare({"first": first_given, "then": then_given, **other},
                   [first_part, then_part],
                   praise=_("FIN-WAIT-1 → CLOSING on the crossing FIN, CLOSING → TIME-WAIT "
                            "on the ACK of its own FIN: both hosts take this path."))


# ------------------------------------------------------------------ trace exercises

def _both_close(v) -> list:
    """A sends n bytes, B acknowledges them; then A and B call close() at once."""
    net, a, b = stories.opened(a_iss=v["x"], b_iss=v["y"])
    a.send(bytes(v["n"]))
    net.run(until=2.0)
    a.close()
    b.close()
    net.run(until=4.0)
    return rows_of(net)


#: the blanks of the simultaneous close: the states the senders are in, and the numbers
CLOSE_BLANKS = Blanks(("state3", "ack5", "seq6", "state6", "state8", "seq8", "ack8",
                       "state9"))
#: bytes of data that fit one segment (the MSS is 536)
_LENGTHS = range(20, 537)


@exercise("trace-fsm-close",
          N_("A (ISN x={x}) and B (ISN y={y}) are connected; A sends {n} bytes, B "
             "acknowledges them, then both call close() at the same moment. Fill in the "
             "blanks of the table TCP sent — each sender's state, and the numbers: "
             "checks.check('trace-fsm-close', state3=…, ack5=…, …)."), LESSON,
          kind="trace", parts=CLOSE_BLANKS.names,
          vary=dict(x=Choice(range(100, 30000, 10), 100),
                    y=Choice(range(30000, 60000, 10), 30000), n=Choice(_LENGTHS, 50)),
          figure=lambda v: CLOSE_BLANKS.figure(_both_close(v)))
def trace_fsm_close(v, /, **answers):
    return CLOSE_BLANKS.judge(_both_close(v), answers)


def _half_close(v) -> list:
    """A closes; B, in CLOSE-WAIT, still sends m bytes, then closes (the half-close)."""
    net, a, b = stories.opened(a_iss=v["x"], b_iss=v["y"])
    a.close()
    net.run(until=2.0)
    b.send(bytes(v["m"]))
    net.run(until=3.0)
    b.close()
    net.run(until=4.0)
    return rows_of(net)


@exercise("order-fsm-half-close",
          N_("A (x={x}) connects to B (y={y}) and closes first; B, half-closed, still sends "
             "{m} bytes, then closes. Here are the segments as cards, shuffled: put them in "
             "the order they were sent, reading only the numbers: "
             "checks.check('order-fsm-half-close', order=[…])."), LESSON, kind="order",
          vary=dict(x=Choice(range(100, 30000, 10), 100),
                    y=Choice(range(30000, 60000, 10), 40000), m=Choice(_LENGTHS, 70),
                    shuffle=Choice(range(1, 5040), demo=505)),
          figure=lambda v: Cards(_half_close(v), v["shuffle"]))
def order_fsm_half_close(v, /, order=None, **other):
    return Cards(_half_close(v), v["shuffle"]).judge(order, other)

