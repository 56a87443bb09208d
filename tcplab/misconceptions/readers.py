"""Each recognised exercise's story, played by any mutant, and its answers read off.

An exercise here is ``(build, drive, read)``: the same story and numbers as its checker
in :mod:`tcplab.exercises`, played with a mutant's table, options or numbering, and the
answers *that* player would give read off the run (tests check that the library's own
play reads off the exercise's right answer).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

from .. import stories
from ..fsm import State
from ..grading.segment_rows import rows_of
from ..resets import lose_next
from ..segment import Flag, Segment
from .mutants import Mutant, Played, play, tolerant_call

__all__ = ["STORIES", "Story", "answers_of", "played", "numbers"]


class Story(NamedTuple):
    make: Callable[[dict], tuple]            # v -> (build(**host_options), drive(net, a, b))
    read: Callable[..., dict[str, Any]]      # (played) -> answers; (played, v) if by_numbers
    demo: dict[str, Any]                      # the numbers when no variant is given
    by_numbers: bool = False                  # the answers are read at the story's numbers


def _pair(a_iss: int, b_iss: int, **fixed) -> Callable[..., tuple]:
    return lambda **options: stories.pair(a_iss=a_iss, b_iss=b_iss, **fixed, **options)


def _open(net, a, b) -> None:
    tolerant_call(b, "listen")
    tolerant_call(a, "connect", "B")


def _steps(*steps) -> Callable[..., None]:
    """A story: ("A"/"B", call, *args) calls and run-until times (None: to the end)."""
    def drive(net, a, b) -> None:
        hosts = {"A": a, "B": b}
        for step in steps:
            if step == "open":
                _open(net, a, b)
            elif isinstance(step, tuple):
                tolerant_call(hosts[step[0]], step[1], *step[2:])
            else:
                net.run(until=step)
    return drive


def _by(p: Played, host: str, after: float = -1.0) -> list:
    return [s for t, s in p.sent if s.src == host and t > after]


def _state_at(p: Played, host: str, t: float) -> str:
    state = State.CLOSED
    for r in p.net.trace:
        if r.kind == "state" and r.host == host and r.time <= t:
            state = r.state
    return str(state)


def _entered(p: Played, host: str, state: State, after: float = -1.0) -> float | None:
    return next((r.time for r in p.net.trace if r.kind == "state" and r.host == host
                 and r.state is state and r.time > after), None)


def _segment_at(index: int) -> Callable[[Played], dict]:
    def read(p: Played) -> dict:
        s = p.sent[index][1]
        return {"seq": s.seq, "ack": s.ack}
    return read


def _fin_seq(p: Played) -> dict:
    fin_t, fin = next((t, s) for t, s in p.sent if s.src == "A" and Flag.FIN in s.flags)
    answer = next(s for s in _by(p, "B", fin_t) if s.flags == Flag.ACK)
    return {"u": fin.seq, "ack": answer.ack}


def _half_close_fin(p: Played) -> dict:
    fin_t, fin = next((t, s) for t, s in p.sent if s.src == "B" and Flag.FIN in s.flags)
    last = next(s for s in _by(p, "A", fin_t) if s.flags == Flag.ACK)
    return {"seq": fin.seq, "ack": fin.ack, "last_ack": last.ack}


def _states(at: float) -> Callable[[Played], dict]:
    return lambda p: {"a": _state_at(p, "A", at), "b": _state_at(p, "B", at)}


def _time_wait(p: Played) -> dict:
    entered = _entered(p, "A", State.TIME_WAIT)
    left = _entered(p, "A", State.CLOSED, after=1.0 if entered is None else entered)
    return {"duration": round(0.0 if entered is None else left - entered, 9),
            "closed": round(left, 9)}


def _server_path(p: Played, v: dict) -> dict:
    return {"states": [str(s) for s in p.net.hosts["B"].history],
            "at": _state_at(p, "B", v["t"])}


def _simultaneous_close(p: Played) -> dict:
    answer_t, answer = next((t, s) for t, s in p.sent
                            if s.src == "A" and t > 1.0 and s.flags == Flag.ACK)
    tw = _entered(p, "B", State.TIME_WAIT)
    closed = _entered(p, "B", State.CLOSED, after=1.0 if tw is None else tw)
    # A's state when it answered B's FIN: the state that FIN took it to
    return {"state": _state_at(p, "A", answer_t), "ack": answer.ack,
            "b_closed": round(closed, 9)}




def _fin_ack_story(net, a, b) -> None:
    """corner-fin-ack: B's ACK of A's FIN is lost, B closes 0.05 s after the FIN came."""
    _open(net, a, b)
    net.run(until=1.0)
    lose_next(net, "B", Flag.ACK)
    tolerant_call(a, "close")
    net.run(until=1.15)
    tolerant_call(b, "close")
    net.run(until=1.3)


def _fin_ack(p: Played) -> dict:
    fin = next(s for _, s in p.sent if s.src == "B" and Flag.FIN in s.flags)
    return {"seq": fin.seq, "ack": fin.ack, "state": _state_at(p, "A", 1.3)}


def _relative_fin(p: Played) -> dict:
    """wireshark-relative-fin: A's FIN and B's answer, each side counted from its SYN."""
    base = {s.src: s.seq for _, s in reversed(p.sent) if Flag.SYN in s.flags}
    at, fin = next((i, s) for i, (_, s) in enumerate(p.sent)
                   if s.src == "A" and Flag.FIN in s.flags)
    back = next(s for _, s in p.sent[at + 1:] if s.src == "B")
    return {"fin_seq": fin.seq - base["A"], "fin_ack": fin.ack - base["B"],
            "b_ack": back.ack - base["A"]}


def _abort_with_data(p: Played) -> dict:
    ended = next(s for t, s in p.sent if s.src == "A" and t >= 1.05
                 and (s.flags & (Flag.RST | Flag.FIN)))
    b = p.net.hosts["B"]
    told = "connection reset" if b.error and "reset" in b.error else "end of data"
    return {"bits": str(ended.flags), "queued": len(b.received) - 1000,
            "b_state": str(b.state), "told": told}


def _abort(p: Played) -> dict:
    sent = next(s for t, s in p.sent if s.src == "A" and t >= 2.0)
    return {"sends": str(sent.flags), "seq": sent.seq, "b": _state_at(p, "B", 2.2)}


def _b_after_fin(p: Played) -> dict:
    answer = _by(p, "B", 1.0)[0]
    return {"state": _state_at(p, "B", 1.15), "bits": str(answer.flags)}


def _like(net, host, name: str, iss: int):
    """A new host on ``net`` that follows ``host``'s rules (its table, and its way of
    judging resets): the second half of a story played by the same mutant."""
    other = net.host(name, iss=iss, table=host.endpoint.table)
    other.endpoint.__class__ = type(host.endpoint)
    return other


def _rst_syn_received(x: int, y: int) -> Callable[..., None]:
    """B (y) listens and an old SYN of A's (seq x) arrives: A, CLOSED, refuses B's SYN+ACK.
    Then C and D (playing by the same rules) open at once, C's SYN+ACK is lost and C
    aborts: D is in SYN-RECEIVED after a simultaneous open when C's RST arrives."""
    def drive(net, a, b) -> None:
        tolerant_call(b, "listen")
        net.inject(Segment("A", "B", Flag.SYN, x))
        net.run(until=0.35)
        c, d = _like(net, a, "C", x), _like(net, b, "D", y)
        c.connect("D")
        d.connect("C")
        net.drop(lambda s: s.src == "C" and s.flags == Flag.SYN | Flag.ACK, count=1)
        net.run(until=0.5)
        c.abort()
        net.run(until=0.7)
    return drive


def _rst_seq_and_states(p: Played) -> dict:
    rst = next(s for s in _by(p, "A") if Flag.RST in s.flags)
    return {"seq": rst.seq, "passive": _state_at(p, "B", 0.35), "active": _state_at(p, "D", 0.7)}


def _lost_syn_ack(at: float) -> Callable[..., None]:
    """B's SYN+ACK is lost; the story stops at the moment the question asks about."""
    def drive(net, a, b) -> None:
        net.drop(lambda s: s.flags == Flag.SYN | Flag.ACK, count=1)
        _open(net, a, b)
        net.run(until=at)
    return drive


def _blanks(names: tuple[str, ...], first: int = 1) -> Callable[[Played], dict]:
    """A trace exercise's blanks, read off the table of the segments the player sent
    (``first``: the segment the table begins with, numbered 1 there)."""
    def read(p: Played) -> dict:
        rows = rows_of(p.drawn())[first - 1:]
        return {name: str(rows[int(name[len(field):]) - 1].value(field)) if field in (
            "state", "flags") else rows[int(name[len(field):]) - 1].value(field)
            for name in names for field in (name.rstrip("0123456789"),)}
    return read


#: the blanks of lesson 01's trace exercise (tcplab.exercises.handshake.TALK_BLANKS)
_TALK = ("ack2", "state2", "flags3", "seq3", "ack3", "seq4", "ack5", "seq6", "ack7")
#: the blanks of lesson 02's (tcplab.exercises.close_traces.CLOSE_BLANKS), from segment 4 on
_CLOSE = ("seq3", "state3", "ack4", "state4", "seq5", "ack5", "ack6", "state6", "seq7", "ack7",
          "state7", "ack8", "state8")
#: lesson 05's and 06's (state_machine.CLOSE_BLANKS, corner_cases.OPEN_BLANKS)
_BOTH_CLOSE = ("state3", "ack5", "seq6", "state6", "state8", "seq8", "ack8", "state9")
_OPEN_RESET = ("state3", "ack3", "ack4", "seq5", "ack6", "flags7", "seq7", "ack7")


def _story(make: Callable[[dict], tuple], read: Callable[..., dict], *,
           by_numbers: bool = False, **demo) -> Story:
    return Story(make, read, demo, by_numbers)


#: the exercises a misconception can be recognised in, by key.  ``make(v)`` gives the
#: story's (build, drive) for the numbers ``v`` of a student's variant (the names are the
#: exercise's own ``vary`` names; ``demo``: the numbers of an exercise that does not vary)
STORIES: dict[str, Story] = {
    "trace-handshake": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 2.0, ("B", "send", bytes(v["m"])), 3.0)),
        _blanks(_TALK), x=100, y=30000, n=50, m=120),
    "trace-fsm-close": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 2.0, ("A", "close"), ("B", "close"), 4.0)),
        _blanks(_BOTH_CLOSE), x=100, y=30000, n=50),
    "trace-open-and-reset": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        ("A", "connect", "B"), ("B", "connect", "A"), 1.0, ("A", "send", bytes(v["n"])), 2.0,
        ("B", "abort"), 3.0)), _blanks(_OPEN_RESET), x=100, y=30000, n=50),
    "handshake-syn-ack": _story(lambda v: (_pair(v["x"], v["y"]), _steps("open", 1.0)),
                                _segment_at(1), x=5000, y=9000),
    "handshake-third-segment": _story(lambda v: (_pair(v["x"], v["y"]), _steps("open", 1.0)),
                                      _segment_at(2), x=700, y=4000),
    "handshake-lost-syn-ack": _story(
        lambda v: (_pair(100, 300, delay=v["delay"]), _lost_syn_ack(v["at"])),
        lambda p, v: _states(v["at"])(p), by_numbers=True, delay=0.1, at=0.5),
    "time-wait-closed-at": _story(lambda v: (_pair(100, 300, msl=v["msl"]), _steps(
        "open", 1.0, ("A", "close"), round(v["entered"] - 0.1, 1), ("B", "close"), None)),
        lambda p: {"closed": _time_wait(p)["closed"]}, msl=30.0, entered=3.1),
    "close-fin-seq": _story(lambda v: (_pair(v["x"], 3000), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 2.0, ("A", "close"), 3.0)),
        _fin_seq, x=1000, n=250),
    "close-half-close-fin": _story(lambda v: (_pair(v["u"] - 1, v["v"] - 1), _steps(
        "open", 1.0, ("A", "close"), 2.0, ("B", "send", bytes(v["n"])), 3.0, ("B", "close"),
        4.0)), _half_close_fin, u=2001, v=7001, n=300),
    "close-state-after-ack": _story(lambda v: (_pair(100, 300), _steps(
        "open", 1.0, ("A", "close"), 1.25)), _states(1.25)),
    "close-time-wait": _story(lambda v: (_pair(100, 300, msl=v["msl"], delay=v["delay"]),
                                         _steps("open", 1.0, ("A", "close"), 2.0,
                                                ("B", "close"), None)),
                              _time_wait, msl=20.0, delay=0.1),
    "fsm-server-path": _story(lambda v: (_pair(100, 300), _steps(
        "open", 1.0, ("A", "close"), 2.0, ("B", "close"), None)), _server_path,
        by_numbers=True, t=1.5),
    "corner-simultaneous-close": _story(lambda v: (
        _pair(v["x"], v["y"], delay=v["delay"], msl=v["msl"]),
        _steps("open", 1.0, ("A", "close"), ("B", "close"), None)), _simultaneous_close,
        x=500, y=900, delay=0.1, msl=30.0),
    "corner-fin-ack": _story(lambda v: (_pair(v["x"], v["y"]), _fin_ack_story), _fin_ack,
                             x=4000, y=6000),
    "wireshark-relative-fin": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 2.0, ("A", "close"), 3.0)),
        _relative_fin, x=5000, y=9000, n=40),
    "close-abort-with-data": _story(lambda v: (_pair(100, 300, window=1000), _steps(
        "open", 1.0, ("A", "send", b"x" * 3000), 1.05, ("A", "abort"), None)),
        _abort_with_data),
    "predict-b-after-fin": _story(lambda v: (_pair(100, 300), _steps(
        "open", 1.0, ("A", "close"), 1.15)), _b_after_fin),
    "trace-close": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 2.0, ("A", "close"), 3.0,
        ("B", "send", bytes(v["m"])), 4.0, ("B", "close"), 5.0)), _blanks(_CLOSE, first=4),
        x=100, y=30000, n=200, m=300),
    "corner-abort": _story(lambda v: (_pair(v["x"], v["y"]), _steps(
        "open", 1.0, ("A", "send", bytes(v["n"])), 1.5, ("B", "close"), 2.0, ("A", "abort"),
        None)), _abort, x=1000, y=5000, n=20),
    "corner-rst-syn-received": _story(lambda v: (_pair(v["x"], v["y"]),
                                                 _rst_syn_received(v["x"], v["y"])),
                                      _rst_seq_and_states, x=650, y=4000),
}


def numbers(key: str, variant: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The numbers of exercise ``key``'s story: the demo's, replaced by a variant's."""
    demo = STORIES[key].demo
    given = dict(variant or {})
    return {name: given.get(name, value) for name, value in demo.items()}


def played(key: str, mutant: Mutant, variant: Mapping[str, Any] | None = None) -> Played:
    """Exercise ``key``'s story played by ``mutant`` (with a student's numbers)."""
    v = numbers(key, variant)
    build, drive = STORIES[key].make(v)
    return play(mutant, build, drive, v)


def answers_of(key: str, mutant: Mutant,
               variant: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The answers to exercise ``key`` that a player of ``mutant`` would give."""
    story = STORIES[key]
    p = played(key, mutant, variant)
    return story.read(p, numbers(key, variant)) if story.by_numbers else story.read(p)
