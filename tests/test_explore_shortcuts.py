"""tcplab.explore's shortcuts change nothing a student sees (issue 18: the search made faster).

The search reuses an endpoint step already taken from the same endpoint object, keeps one
endpoint object for endpoints equal in every field, identifies worlds by their key with the
endpoints' keys numbered, and pauses the cycle collector.
Here: the lesson's searches give the figures they always gave; every world a property is
shown is the same, field for field, with the steps recomputed each time and with a plain
breadth-first search over ``World.key``; the collector is left as it was found.
"""

import gc
from collections import deque

import pytest

from tcplab import State
from tcplab.explore import (LESSON_BOUNDS, RECONNECT_SCRIPTS, Bounds, Call, explore,
                            no_old_segment_accepted, no_unasked_connection)
from tcplab.explore import model as model_module
from tcplab.explore.search import _model

#: (verdict, states, transitions, depth, counterexample steps) of lesson 09's searches,
#: as the search gave them before its shortcuts
LESSON_FIGURES = {
    "two-way": ("violated", 141, 200, 6, 6),
    "three-way": ("holds", 3186, 7478, 19, None),
    "TIME-WAIT = 0": ("violated", 2652, 4500, 14, 14),
    "TIME-WAIT = 2MSL": ("holds", 4060, 9240, 23, None),
}
LESSON_RUNS = {
    "two-way": dict(prop=no_unasked_connection, handshake="two-way"),
    "three-way": dict(prop=no_unasked_connection),
    "TIME-WAIT = 0": dict(prop=no_old_segment_accepted, scripts=RECONNECT_SCRIPTS,
                          time_wait=0.0),
    "TIME-WAIT = 2MSL": dict(prop=no_old_segment_accepted, scripts=RECONNECT_SCRIPTS),
}

#: searches that use every kind of step: losses, copies, several ISNs, data, abort
WIDE_RUNS = [
    dict(prop=no_old_segment_accepted, scripts=RECONNECT_SCRIPTS, time_wait=0.0,
         bounds=Bounds(in_flight=3, losses=1, duplicates=2, retransmissions=2,
                       reorders=None, max_states=1500), iss=((100, 9100), (300, 9300))),
    dict(prop=no_unasked_connection,
         scripts={"A": ["connect", "send", Call("close", "ESTABLISHED"), "abort"],
                  "B": ["listen", "send", "close"]},
         bounds=Bounds(in_flight=3, losses=1, duplicates=1, retransmissions=2,
                       max_states=1500)),
    dict(prop=no_unasked_connection, handshake="two-way", scripts=RECONNECT_SCRIPTS,
         bounds=Bounds(depth=6, losses=1), iss=((100, 9100), (300, 9300))),
]


def _endpoint(ep) -> tuple:
    return (ep.state, tuple(ep.history), tuple(ep.transitions), sorted(ep.timers.items()),
            ep.error, ep.received, repr(vars(ep.tcb)))


def _recording(prop, seen: list):
    """``prop``, writing down everything of each world it is shown."""
    def recorded(w):
        seen.append((_endpoint(w.A), _endpoint(w.B), w.now, w.incarnation,
                     w.connection("A"), w.connection("B"), w.delivered, w.key,
                     [(p.segment, p.born, p.incarnation, p.copy, p.id) for p in w.in_flight]))
        return prop(w)
    return recorded


def _run(kw: dict, seen: list):
    kw = dict(kw)
    prop = _recording(kw.pop("prop"), seen)
    kw.setdefault("bounds", LESSON_BOUNDS)
    return explore(prop, **kw)


def _figures(r) -> tuple:
    cx = r.counterexample
    return r.verdict, r.states, r.transitions, r.depth, None if cx is None else len(cx.path)


@pytest.mark.parametrize("name", list(LESSON_RUNS))
def test_the_lessons_searches_give_their_figures(name):
    assert _figures(_run(LESSON_RUNS[name], [])) == LESSON_FIGURES[name]


@pytest.mark.parametrize("kw", [LESSON_RUNS["TIME-WAIT = 0"], *WIDE_RUNS])
def test_remembered_steps_show_the_same_worlds(kw, monkeypatch):
    """Every endpoint step recomputed (nothing remembered) gives the same worlds."""
    shared, fresh = [], []
    r1 = _run(kw, shared)
    monkeypatch.setattr(model_module, "_MEMO_SIZE", 0)
    r2 = _run(kw, fresh)
    assert len(shared) > 100 and len(shared) == len(fresh)
    assert shared == fresh
    assert _figures(r1) == _figures(r2)
    assert r1.counterexample is None or [str(s) for s in r1.counterexample.steps] == \
        [str(s) for s in r2.counterexample.steps]


def _plain_search(kw: dict, seen: list) -> tuple:
    """Breadth-first over ``World.key``, the step function's own (no numbering)."""
    kw = dict(kw)
    prop = _recording(kw.pop("prop"), seen)
    model = _model(kw.get("handshake", "three-way"), kw.get("scripts"),
                   kw.get("bounds", LESSON_BOUNDS), 30.0, kw.get("time_wait"),
                   kw.get("iss", (100, 300)), 6)
    w0 = model.initial()
    prop(w0)
    visited = {w0.key}
    queue = deque([(w0, 0)])
    transitions = depth = 0
    while queue:
        w, d = queue.popleft()
        if model.bounds.depth is not None and d >= model.bounds.depth:
            continue
        for action in model.actions(w):
            nxt = model.apply(w, action)
            if nxt is None:
                continue
            transitions += 1
            if not prop(nxt):
                return "violated", len(visited), transitions, max(depth, d + 1)
            if nxt.key not in visited:
                visited.add(nxt.key)
                depth = max(depth, d + 1)
                queue.append((nxt, d + 1))
                if len(visited) >= model.bounds.max_states:
                    return "incomplete", len(visited), transitions, depth
    return "holds", len(visited), transitions, depth


@pytest.mark.parametrize("kw", [LESSON_RUNS["two-way"], *WIDE_RUNS])
def test_numbered_identity_finds_what_the_key_finds(kw):
    ours, plain = [], []
    r = _run(kw, ours)
    expected = _plain_search(kw, plain)
    assert (r.verdict, r.states, r.transitions, r.depth) == expected
    assert len(ours) > 100 and ours == plain      # the same worlds, in the same order


def test_the_collector_is_left_as_it_was():
    assert gc.isenabled()
    explore(no_unasked_connection, handshake="two-way", bounds=LESSON_BOUNDS)
    assert gc.isenabled()
    gc.disable()
    try:
        explore(no_unasked_connection, handshake="two-way", bounds=LESSON_BOUNDS)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def broken(w):
        if w.B.state is State.SYN_RECEIVED:
            raise KeyError("oops")
        return True
    with pytest.raises(RuntimeError, match="raised KeyError"):
        explore(broken, bounds=LESSON_BOUNDS)
    assert gc.isenabled()


def test_an_endpoints_fingerprint_knows_all_its_fields():
    """A field the fingerprint does not know would turn the shortcut off: name it there."""
    from tcplab import Endpoint
    from tcplab.explore.canonical import fingerprint
    a = Endpoint("A", iss=100)
    assert fingerprint(a) is not None
    a.listen(now=0.0)
    b = a.copy()
    assert fingerprint(a) == fingerprint(b)
    b.close(now=0.0)             # LISTEN -> CLOSED: another state, another history
    assert fingerprint(b) != fingerprint(a)
    c = a.copy()
    c.timer_expired("time-wait", now=1.0)     # not running: a note, and a later clock
    assert fingerprint(c) != fingerprint(a)
    d = a.copy()
    d.tcb.rcv_nxt = 7                          # any TCB variable counts
    assert fingerprint(d) != fingerprint(a)
