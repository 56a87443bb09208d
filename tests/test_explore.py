"""tcplab.explore: the model checker of lesson 09.

The two-way handshake breaks "B is never ESTABLISHED for a connection A never asked for"
and the shortest counterexample replays on a real network to the same violation; the
three-way handshake does not break it within the lesson's bounds; TIME-WAIT = 0 lets an
old segment into a new incarnation, 2MSL does not; states are de-duplicated; the search
is deterministic; bad arguments are explained.
"""

import dataclasses

import pytest

from tcplab import Flag, State
from tcplab.explore import (HANDSHAKE_SCRIPTS, LESSON_BOUNDS, RECONNECT_SCRIPTS, Bounds, Call,
                            World, explore, no_old_segment_accepted, no_unasked_connection)
from tcplab.explore.model import Model
from tcplab.explore.world import _scripts
from tcplab.session import Session
from tcplab.widgets import ConnectionLab


@pytest.fixture(scope="module")
def two_way():
    return explore(no_unasked_connection, handshake="two-way", bounds=LESSON_BOUNDS)


@pytest.fixture(scope="module")
def three_way():
    return explore(no_unasked_connection, handshake="three-way", bounds=LESSON_BOUNDS)


@pytest.fixture(scope="module")
def hasty():
    return explore(no_old_segment_accepted, scripts=RECONNECT_SCRIPTS, time_wait=0,
                   bounds=LESSON_BOUNDS)


# --------------------------------------------------------------------------- the handshake

def test_two_way_handshake_breaks_the_property(two_way):
    assert two_way.violated and not two_way.holds
    cx = two_way.counterexample
    assert cx.property is no_unasked_connection
    final = cx.final
    assert final.B.state is State.ESTABLISHED
    assert final.A.state in (State.CLOSED, State.LISTEN) or final.A.iss != final.B.irs
    assert no_unasked_connection(final) is False
    # every world before the last one satisfies it
    assert all(no_unasked_connection(s.world) for s in cx.steps[:-1])
    assert two_way.depth == len(cx)


def test_the_counterexample_is_a_shortest_one(two_way):
    n = len(two_way.counterexample)
    shorter = explore(no_unasked_connection, handshake="two-way",
                      bounds=dataclasses.replace(LESSON_BOUNDS, depth=n - 1))
    assert shorter.holds           # nothing shorter breaks it
    assert shorter.depth == n - 1


def test_the_counterexample_replays_to_the_same_violation_on_a_network(two_way):
    cx = two_way.counterexample
    session = cx.session()          # checks every step against the explorer's worlds
    net = session.net
    assert net.hosts["A"].state is cx.final.A.state
    assert net.hosts["B"].state is State.ESTABLISHED
    assert no_unasked_connection(cx.replayed_world(session)) is False
    # the segments the network carried are those the explorer's steps sent, in order
    sent = [seg for _, seg in net.sent]
    assert sent == [p.segment for s in cx.steps for p in s.info["emitted"]]
    # a plain lab session rebuilt from the actions (what ConnectionLab does) gets there too
    again = Session(cx.config, cx.actions)
    assert [h.state for h in again.hosts] == [net.hosts["A"].state, net.hosts["B"].state]
    assert [s for _, s in again.net.sent] == sent
    svg = cx.ladder().svg()
    assert svg.startswith("<svg") and "ESTABLISHED" in svg


def test_the_counterexample_opens_in_a_lab(two_way):
    cx = two_way.counterexample
    lab = ConnectionLab.from_counterexample(cx)
    assert isinstance(lab, ConnectionLab)
    assert lab.host("B").state is State.ESTABLISHED
    assert list(lab.session.actions) == cx.actions
    while lab.session.actions:       # undo walks the story back to the start
        assert lab.session.undo()
    assert lab.host("A").state is lab.host("B").state is State.CLOSED
    lab2 = ConnectionLab(cx.config, cx.actions)
    assert lab2.host("B").state is State.ESTABLISHED


def test_three_way_handshake_has_no_violation_within_the_bounds(three_way):
    assert three_way.verdict == "holds" and three_way.holds
    assert three_way.counterexample is None
    assert three_way.states > 1000
    assert three_way.transitions > three_way.states
    assert three_way.depth > len(explore(no_unasked_connection, handshake="two-way",
                                         bounds=LESSON_BOUNDS).counterexample)
    text = str(three_way)
    assert "no violation within these bounds" in text
    assert f"{three_way.states:,} states" in text and "states/s" in text


def test_the_bounds_matter_fixed_isns_versus_a_new_isn_per_connection():
    wider = Bounds(in_flight=3, duplicates=0, retransmissions=1, reorders=2)
    fixed = explore(no_unasked_connection, bounds=wider)
    assert fixed.violated       # an old SYN and an old ACK play a whole handshake
    cx = fixed.counterexample
    assert cx.final.A.state is State.CLOSED and cx.final.B.state is State.ESTABLISHED
    assert no_unasked_connection(cx.replayed_world()) is False
    fresh = explore(no_unasked_connection, bounds=wider, iss=((100, 9100), (300, 9300)))
    assert fresh.holds


# --------------------------------------------------------------------------- TIME-WAIT

def test_no_time_wait_lets_an_old_segment_into_a_new_incarnation(hasty):
    assert hasty.violated
    cx = hasty.counterexample
    d = cx.final.delivered
    assert d is not None and d.old and d.accepted
    assert d.packet.incarnation < cx.steps[-2].world.connection(d.to)
    assert "old" in cx.steps[-1].text
    # it happened after both hosts had closed, and A called connect() again
    assert cx.final.incarnation >= 1
    assert [s.info["host"] for s in cx.steps if s.action[0] == "call"].count("A") == 3
    session = cx.session()
    assert no_old_segment_accepted(cx.replayed_world(session)) is False
    assert session.net.hosts["A"].state is cx.final.A.state


def test_two_msl_of_time_wait_keeps_old_segments_out():
    patient = explore(no_old_segment_accepted, scripts=RECONNECT_SCRIPTS,
                      bounds=LESSON_BOUNDS)          # time_wait = 2*msl
    assert patient.holds and patient.time_wait == 60.0
    assert "TIME-WAIT 60 s" in str(patient)


# --------------------------------------------------------------------------- the search

def _tree_size(model, world, depth):
    """Behaviours (paths) of at most ``depth`` steps, counted without de-duplication."""
    if depth == 0:
        return 1
    total = 1
    for action in model.actions(world):
        nxt = model.apply(world, action)
        if nxt is not None:
            total += _tree_size(model, nxt, depth - 1)
    return total


def test_deduplication_visits_fewer_states_than_there_are_paths():
    depth = 9
    result = explore(no_unasked_connection, bounds=dataclasses.replace(LESSON_BOUNDS,
                                                                       depth=depth))
    model = Model(handshake="three-way", scripts=_scripts(None), bounds=LESSON_BOUNDS,
                  msl=30.0, time_wait=60.0, iss=((100,), (300,)), max_retries=6,
                  payload=b"hello")
    paths = _tree_size(model, model.initial(), depth)
    assert result.states < paths / 3
    assert result.transitions < paths


def test_a_world_is_identified_by_what_it_is_not_how_it_was_reached():
    model = Model(handshake="three-way", scripts=_scripts(None), bounds=LESSON_BOUNDS,
                  msl=30.0, time_wait=60.0, iss=((100,), (300,)), max_retries=6,
                  payload=b"hello")
    w0 = model.initial()
    ab = model.apply(model.apply(w0, ("call", 0)), ("call", 1))     # A connects, B listens
    ba = model.apply(model.apply(w0, ("call", 1)), ("call", 0))     # the other way round
    assert ab.key == ba.key
    assert ab.A.transitions == ba.A.transitions
    # ... and a different world has a different key
    delivered = model.apply(ab, ("deliver", 0))
    assert delivered.key != ab.key
    # the worlds share nothing mutable: stepping one leaves the other as it was
    assert ab.B.state is State.LISTEN and delivered.B.state is State.SYN_RECEIVED
    assert ab.A.history == [State.CLOSED, State.SYN_SENT]


def test_the_search_is_deterministic(two_way, three_way):
    again2 = explore(no_unasked_connection, handshake="two-way", bounds=LESSON_BOUNDS)
    assert again2.counterexample.table() == two_way.counterexample.table()
    assert again2.counterexample.path == two_way.counterexample.path
    assert again2.counterexample.actions == two_way.counterexample.actions
    again3 = explore(no_unasked_connection, handshake="three-way", bounds=LESSON_BOUNDS)
    assert (again3.states, again3.transitions, again3.depth) == \
        (three_way.states, three_way.transitions, three_way.depth)
    assert again3.report(timing=False).rows == three_way.report(timing=False).rows


def test_reports_print_and_display(two_way, three_way):
    text = str(two_way)
    assert "VIOLATED" in text and f"{len(two_way.counterexample)} steps" in text
    assert "two-way handshake" in text and "B is never ESTABLISHED" in text
    assert "states/s" not in str(two_way.report(timing=False))
    html = three_way._repr_html_()
    assert "no violation within these bounds" in html and "<table" in html
    table = two_way.counterexample.table()
    assert table.splitlines()[0].startswith("  0  A CLOSED, B CLOSED")
    assert "breaks no_unasked_connection" in table
    assert "<table" in two_way.counterexample._repr_html_()
    assert three_way.states_per_second > 0


def test_a_violation_in_the_initial_world_and_an_incomplete_search():
    first = explore(lambda w: w.A.state is not State.CLOSED)
    assert first.violated and len(first.counterexample) == 0
    assert "initial state" in str(first)
    cut = explore(no_unasked_connection, bounds=dataclasses.replace(LESSON_BOUNDS,
                                                                     max_states=50))
    assert cut.verdict == "incomplete" and cut.states == 50
    assert "INCOMPLETE" in str(cut)


def test_losses_and_network_copies_replay_too():
    lost = explore(lambda w: w.used[0] == 0, bounds=Bounds(losses=1))
    cx = lost.counterexample
    assert [s.action[0] for s in cx.steps][-1] == "lose"
    net = cx.network()
    assert any(r.kind == "drop" for r in net.trace)
    copied = explore(lambda w: w.delivered is None or not w.delivered.packet.copy,
                     bounds=Bounds(duplicates=1))
    cx = copied.counterexample
    assert "duplicate" in [s.action[0] for s in cx.steps]
    lab = ConnectionLab.from_counterexample(cx)                     # the copy is an action of the explorer's own session
    assert any(a[0] == "copy" for a in lab.session.actions)
    assert [h.state for h in lab.session.hosts] == [cx.final.A.state, cx.final.B.state]
    assert any(r.kind == "inject" for r in lab.net.trace)


def test_custom_scripts_and_a_property_of_your_own():
    # simultaneous open: both connect; "never both in SYN-RECEIVED" is broken
    both = explore(lambda w: not (w.A.state is w.B.state is State.SYN_RECEIVED),
                   scripts={"A": ["connect"], "B": ["connect"]})
    assert both.violated
    assert [s.action for s in both.counterexample.steps][:2] == [("call", 0), ("call", 1)]
    assert "A: connect()" in str(both) and "B: connect()" in str(both)
    # close() only where the script allows it
    assert str(Call("close", "ESTABLISHED", State.CLOSE_WAIT)) == \
        "close() in ESTABLISHED or CLOSE-WAIT"
    assert HANDSHAKE_SCRIPTS["A"][1].states == {State.ESTABLISHED}


def test_no_rst_flag_reaches_a_listening_b_in_the_lesson_story(two_way):
    # the story's numbers: x = 100, y = 300 as in the other lessons
    first = two_way.counterexample.steps[0].info["emitted"][0].segment
    assert first.flags == Flag.SYN and first.seq == 100


# --------------------------------------------------------------------------- bad arguments

@pytest.mark.parametrize("call, error, words", [
    (lambda: explore(), TypeError, "at least one property"),
    (lambda: explore(42), TypeError, "a property must be a function"),
    (lambda: explore(no_unasked_connection, handshake="four-way"), ValueError,
     "'three-way' or 'two-way'"),
    (lambda: explore(no_unasked_connection, bounds={"losses": 1}), TypeError,
     "must be a tcplab.explore.Bounds"),
    (lambda: Bounds(losses=-1), ValueError, "losses must be at least 0"),
    (lambda: Bounds(in_flight=0), ValueError, "in_flight must be at least 1"),
    (lambda: Bounds(duplicates=1.5), TypeError, "duplicates must be a whole number"),
    (lambda: Bounds(reorders=True), TypeError, "reorders must be a whole number or None"),
    (lambda: explore(no_unasked_connection, scripts={"C": ["listen"]}), ValueError,
     "hosts are A and B"),
    (lambda: explore(no_unasked_connection, scripts={"A": ["dance"]}), ValueError,
     "listen, connect, send, close, abort"),
    (lambda: explore(no_unasked_connection, scripts=["connect"]), TypeError,
     "scripts must be a dict"),
    (lambda: Call("close", "HALF-OPEN"), ValueError, "state names such as 'ESTABLISHED'"),
    (lambda: explore(no_unasked_connection, iss=(100,)), ValueError,
     "A's and B's initial sequence numbers"),
    (lambda: explore(no_unasked_connection, iss=(100, -1)), ValueError, "[0, 2**32)"),
    (lambda: explore(no_unasked_connection, msl=0), ValueError, "msl must be > 0"),
    (lambda: explore(no_unasked_connection, time_wait="2MSL"), TypeError,
     "time_wait must be a number of seconds"),
    (lambda: explore(lambda w: None), TypeError, "did you forget `return`"),
    (lambda: explore(lambda w: "yes"), TypeError, "must return True"),
])
def test_bad_arguments_are_explained(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_a_property_that_fails_is_named_with_the_world():
    def broken(w):
        return w.C.state is State.CLOSED

    with pytest.raises(RuntimeError, match=r"the property broken raised AttributeError"):
        explore(broken)
    with pytest.raises(RuntimeError, match="raised ValueError: the hosts are A and B"):
        explore(lambda w: w.connection("C") is None)


def test_world_reads_like_the_docs(hasty):
    w = hasty.counterexample.final
    assert isinstance(w, World)
    assert w.hosts["A"] is w.A and w.hosts["B"] is w.B
    assert w.in_flight == w.flight
    assert w.connection("A") is not None
    assert "A:" in repr(w)


def test_the_browser_edition_stops_sooner_and_says_why(monkeypatch):
    from tcplab.explore import report, world
    assert Bounds().max_states == world.MAX_STATES
    monkeypatch.setattr(world, "IN_BROWSER", True)
    small = Bounds()
    assert small.max_states == world.BROWSER_MAX_STATES < world.MAX_STATES
    monkeypatch.setattr(world, "BROWSER_MAX_STATES", 500)
    monkeypatch.setattr(report, "BROWSER_MAX_STATES", 500)
    r = explore(lambda w: True, bounds=Bounds(reorders=None))
    assert r.verdict == "incomplete" and r.states == 500
    assert "the browser edition stops sooner" in str(r.report(timing=False))
    assert "browser" not in str(explore(lambda w: True, bounds=Bounds(max_states=400)).report())
