"""The experiments of lessons 03 and 04, and the postpone rule they need.

The experiments must be right in shape (one row per handshake or TIME-WAIT
length, counts that add up), right in the direction the lessons claim (two
segments open connections for nobody, three never; old duplicates corrupt a
new incarnation with a short TIME-WAIT, never with MSL or 2MSL), and
deterministic.
"""

import pytest

import tcplab
from tcplab import Flag, Network, State, stories
from tcplab.endpoint import clock_isn
from tcplab.experiments import (TIME_WAIT_SETUP, StaleSynResult, TimeWaitResult,
                                lost_last_ack, side_by_side, stale_syn_experiment,
                                stale_syn_run, time_wait_experiment, time_wait_run)
from tcplab.network import Postpone

S = State

#: A few hundred runs of an experiment: left out of `make check` (see tests/conftest.py).
monte_carlo = pytest.mark.slow


# --------------------------------------------------------------------------- postpone

def journeys(net, seg):
    """(kind, time, sent_at) of each end of ``seg``'s journeys (arrive or expire)."""
    return [(r.kind, r.time, r.sent_at) for r in net.trace
            if r.kind in ("arrive", "expire") and r.segment == seg]


def test_postpone_adds_its_delay_and_says_so(connection):
    net, a, b = connection
    rule = net.postpone(lambda s: s.data == b"late", by=0.5)
    assert isinstance(rule, Postpone) and rule.action == "postpone"
    a.send(b"late")
    net.run(until=1.55)
    assert b.received == b""                      # 0.1 s of delay + 0.5 s of detour
    net.run(until=1.65)
    assert b.received == b"late"
    seg = next(s for _, s in net.sent if s.data == b"late")
    assert journeys(net, seg) == [("arrive", pytest.approx(1.6), pytest.approx(1.0))]
    note = next(r for r in net.trace if r.kind == "postpone")
    assert note.segment == seg and note.host == "A" and "0.5 s" in note.detail
    assert not rule.active                        # count=1: used up


def test_a_postponed_segment_older_than_msl_expires_at_msl():
    net, a, b = stories.opened(msl=30.0)
    net.postpone(lambda s: s.data == b"slow", by=45.0)
    a.send(b"slow")
    net.run()
    seg = next(s for _, s in net.sent if s.data == b"slow")
    ends = journeys(net, seg)
    # the original dies at 1.0 + msl; A's retransmission at 2.0 arrives normally
    assert ("expire", pytest.approx(31.0), pytest.approx(1.0)) in ends
    assert ("arrive", pytest.approx(2.1), pytest.approx(2.0)) in ends
    assert b.received == b"slow"
    expire = next(r for r in net.trace if r.kind == "expire")
    assert "MSL" in expire.detail


def test_postpone_exactly_to_msl_still_arrives():
    net, a, b = stories.opened(msl=2.0)
    net.postpone(lambda s: s.data == b"edge", by=1.9)   # 0.1 + 1.9 = msl: not older
    a.send(b"edge")
    net.run(until=3.5)
    seg = next(s for _, s in net.sent if s.data == b"edge")
    assert ("arrive", pytest.approx(3.0), pytest.approx(1.0)) in journeys(net, seg)


def test_postpone_count_and_callable_by(connection):
    net, a, b = connection
    extra = iter([0.3, 0.7])
    net.postpone(lambda s: s.src == "A" and bool(s.data), by=lambda s: next(extra), count=2)
    a.send(b"one")
    net.run(until=1.2)
    a.send(b"two")
    net.run(until=1.4)
    a.send(b"three")
    net.run(until=5.0)
    notes = [r.detail for r in net.trace if r.kind == "postpone"]
    assert notes == ["slow path: 0.3 s extra in the network",
                     "slow path: 0.7 s extra in the network"]
    assert b.received == b"onetwothree"


def test_postpone_rejects_bad_arguments():
    net = Network(seed=0)
    with pytest.raises(ValueError):
        net.postpone(lambda s: True, by=-1.0)
    with pytest.raises(TypeError):
        net.postpone(lambda s: True, by="soon")
    with pytest.raises(TypeError):
        net.postpone("SYN", by=1.0)
    with pytest.raises(ValueError):
        net.postpone(lambda s: True, by=1.0, count=0)


def test_the_ladder_draws_an_expired_postponed_segment():
    net, a, b = stories.opened(msl=5.0)
    net.postpone(lambda s: s.data == b"slow", by=9.0)
    a.send(b"slow")
    net.run()
    svg = tcplab.sequence_diagram(net).svg()
    assert "expired (MSL)" in svg


# --------------------------------------------------------------------------- lesson 03

@pytest.fixture(scope="module")
def stale():
    return stale_syn_experiment()


@monte_carlo
def test_stale_syn_experiment_shape(stale):
    assert isinstance(stale, StaleSynResult)
    assert [r.handshake for r in stale.rows] == ["two-way", "three-way"]
    for row in stale.rows:
        assert row.runs == 200 and row.connections == 400
        assert 0 <= row.established <= row.answered <= row.runs
        assert 0 <= row.stuck <= row.established
        assert 0 <= row.worked <= row.connections
        assert row.held > 0
    with pytest.raises(KeyError):
        stale["four-way"]


@monte_carlo
def test_two_segments_open_connections_for_nobody_three_never(stale):
    two, three = stale["two-way"], stale["three-way"]
    # old SYNs reach a listening B in both ...
    assert two.answered > 0 and three.answered > 0
    # ... but only the two-way B believes in them, waits for ever, and blocks A
    assert two.established == two.answered
    assert two.stuck > 0
    assert two.worked < two.connections
    assert three.established == 0 and three.stuck == 0
    assert three.worked == three.connections
    # the three-way B's half-open waits end (RST or B gives up): bounded
    assert 0 < three.longest_wait < 70


@monte_carlo
def test_stale_syn_experiment_is_deterministic(stale):
    small = stale_syn_experiment(n=30, seed=3)
    assert stale_syn_experiment(n=30, seed=3) == small
    assert stale_syn_experiment(n=30, seed=4) != small
    assert stale_syn_experiment() == stale


@monte_carlo
def test_stale_syn_result_prints_as_a_table(stale):
    text = repr(stale)
    assert "B ESTABLISHED for nobody" in text and "three-way" in text
    lines = text.splitlines()
    assert len(lines) == 1 + 2 + 2                 # caption, header, rule, two rows
    html = stale._repr_html_()
    assert html.count("<tr>") == 3 and "two-way" in html and "<caption" in html


def test_a_stale_syn_run_of_each_kind():
    two, three = stale_syn_run("two-way", 3), stale_syn_run("three-way", 3)
    assert two.established == 1 and two.stuck and two.worked == 1
    assert two.b.state is S.ESTABLISHED and "gave up" in two.a.error
    assert three.established == 0 and not three.stuck and three.worked == 2
    assert any(s.src == "A" and Flag.RST in s.flags for _, s in three.net.sent)


def test_stale_syn_experiment_rejects_a_bad_n():
    with pytest.raises(ValueError):
        stale_syn_experiment(n=0)


# --------------------------------------------------------------------------- lesson 04

@pytest.fixture(scope="module")
def tw():
    return time_wait_experiment()


@monte_carlo
def test_time_wait_experiment_shape(tw):
    msl = TIME_WAIT_SETUP["msl"]
    assert isinstance(tw, TimeWaitResult)
    assert [r.time_wait for r in tw.rows] == [0, 0.25 * msl, 0.5 * msl, msl, 2 * msl]
    for row in tw.rows:
        assert row.runs == 150
        assert row.expired + row.before + row.harmless + row.corrupted == row.runs
        assert row.in_new == row.harmless + row.corrupted


@monte_carlo
def test_old_duplicates_corrupt_with_a_short_time_wait_never_with_msl_or_2msl(tw):
    msl = TIME_WAIT_SETUP["msl"]
    rows = tw.rows
    assert tw[0].corrupted > 0
    assert tw[msl].corrupted == 0 and tw[msl].in_new == 0
    assert tw[2 * msl].corrupted == 0 and tw[2 * msl].in_new == 0
    # MSL alone decides which slow segments die: the same in every row
    assert len({r.expired for r in rows}) == 1 and rows[0].expired > 0
    # the longer the wait, the fewer old segments meet the new incarnation
    assert all(x.in_new >= y.in_new for x, y in zip(rows, rows[1:]))
    assert all(x.corrupted >= y.corrupted for x, y in zip(rows, rows[1:]))
    # some meet it and are dropped: there the clock-driven ISN protects
    assert tw[0].harmless > 0


@monte_carlo
def test_time_wait_experiment_is_deterministic(tw):
    again = time_wait_experiment([0.0, 1.0], n=20, seed=5)
    assert time_wait_experiment([0.0, 1.0], n=20, seed=5) == again
    assert time_wait_experiment() == tw


@monte_carlo
def test_time_wait_result_prints_as_a_table(tw):
    text = repr(tw)
    assert "corrupted its data" in text and "2 s = 2MSL" in text and "¼ MSL" in text
    assert len(text.splitlines()) == 1 + 2 + 5
    html = tw._repr_html_()
    assert html.count("<tr>") == 6 and "died on the wire (MSL)" in html
    with pytest.raises(KeyError):
        tw[0.1]


def test_the_story_without_time_wait_corrupts_the_new_incarnation():
    run = time_wait_run(0.0)
    assert run.fate == "corrupted" and run.corrupted
    assert run.old_bytes > 0 and len(run.new_bytes) == 64_000
    assert run.a.error is None and run.b.error is None        # nobody notices
    assert run.reconnect == pytest.approx(run.old_closed)
    # the ISNs come from RFC 793's clock, and the old numbers ran ahead of it
    assert run.x1 == clock_isn(0.3) and run.x2 == clock_isn(run.reconnect)
    fin = next(s for _, s in run.net.sent if s.src == "A" and Flag.FIN in s.flags)
    assert run.x1 < run.x2 < fin.seq
    assert run.slow.seq <= run.x2 + 1 < run.slow.end            # it covers x2+1
    assert run.new_open < run.fate_time < run.slow_sent + run.net.msl
    assert "B took old bytes" in str(run)


def test_the_story_with_2msl_is_safe():
    msl = TIME_WAIT_SETUP["msl"]
    run = time_wait_run(2 * msl)
    assert run.fate == "before" and run.old_bytes == 0
    assert run.reconnect == pytest.approx(run.old_closed + 2 * msl)
    assert run.new_bytes == b"n" * 64_000
    assert run.slow_sent + msl < run.reconnect


def test_a_slow_path_longer_than_msl_expires():
    run = time_wait_run(0.0, slow_by=1.3)
    assert run.fate == "expired"
    assert run.fate_time == pytest.approx(run.slow_sent + run.net.msl)
    assert run.old_bytes == 0


def test_time_wait_runs_never_raise_and_always_classify():
    for i, by in enumerate([0.0, 0.1, 0.25, 0.6, 0.95, 1.0, 1.4]):
        for index in range(5):
            run = time_wait_run(0.25, slow_segment=index, slow_by=by, seed=i)
            assert run.fate in ("expired", "before", "harmless", "corrupted")


# --------------------------------------------------------------------------- lesson 04 (a)

def test_the_lost_last_ack_scenario_drops_the_last_ack():
    from tcplab import scenarios
    session = scenarios.play("lost-last-ack")
    a, b = session.host("A"), session.host("B")
    assert (a.state, b.state) == (S.FIN_WAIT_2, S.LAST_ACK)
    assert session.armed_faults() == ["drop"]
    session.do("step")                          # B's FIN arrives; A's ACK is dropped
    assert a.state is S.TIME_WAIT
    assert session.net.trace[-1].kind == "drop"


def test_lost_last_ack_is_answered_from_time_wait():
    session = lost_last_ack()
    net, a, b = session.net, session.host("A"), session.host("B")
    assert b.state is S.CLOSED and b.error is None
    fins = [t for t, s in net.sent if s.src == "B" and Flag.FIN in s.flags]
    assert fins == [pytest.approx(2.0), pytest.approx(3.0)]
    closed = [r.time for r in net.trace if r.kind == "state" and r.host == "A"
              and r.state is S.CLOSED]
    assert closed[-1] == pytest.approx(3.1 + 2 * net.msl)      # the timer restarted


def test_without_time_wait_the_repeated_fin_gets_rst():
    session = lost_last_ack(time_wait=0.0)
    net, b = session.net, session.host("B")
    rst = [s for t, s in net.sent if s.src == "A" and Flag.RST in s.flags]
    assert len(rst) == 1
    assert b.state is S.CLOSED and "reset" in b.error


def test_side_by_side_shows_each_picture_with_its_title(connection):
    net, a, b = connection
    row = side_by_side(tcplab.sequence_diagram(net), tcplab.state_diagram(a),
                       titles=("ladder", "states"))
    html = row._repr_html_()
    assert html.count("<img") == 2 and "<svg" not in html      # images, shown untrusted
    assert "ladder" in html and "states" in html
    assert repr(row) == "ladder | states"
