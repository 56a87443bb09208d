"""What a SYN arriving in TIME-WAIT does, under the three rules an endpoint can follow."""

import pytest

from tcplab import Flag, IllegalEvent, Network, State, state_diagram, stories
from tcplab.fsm import TIME_WAIT_SYN_RULES, Event, lookup, table

S = State


def story(rule, new_iss=9000):
    """A closes first (TIME-WAIT); B, now CLOSED, connects again from a higher ISN."""
    net, a, b = stories.syn_in_time_wait(rule, old_iss=5000, new_iss=new_iss)
    assert a.state is S.TIME_WAIT and b.state is S.SYN_SENT
    return net, a, b


def first_answer(net):
    return next(s for t, s in net.sent if s.src == "A" and t >= 3.0)


def test_challenge_ack_is_the_default_and_keeps_time_wait():
    net, a, b = story("challenge-ack")
    net.run(until=3.15)
    answer = first_answer(net)
    assert answer.flags == Flag.ACK and (answer.seq, answer.ack) == (102, 5002)
    assert a.state is S.TIME_WAIT
    assert Network().host("X").time_wait_syn == "challenge-ack"


def test_rfc793_resets_the_old_connection():
    net, a, b = story("rfc793")
    net.run(until=3.15)
    answer = first_answer(net)
    # the reset answers B's SYN, as a closed port would, so B's SYN-SENT accepts it
    assert answer.flags == Flag.RST | Flag.ACK and (answer.seq, answer.ack) == (0, 9001)
    assert a.state is S.CLOSED and a.history[-2:] == [S.TIME_WAIT, S.CLOSED]
    assert "TIME-WAIT" in a.error
    net.run(until=3.3)
    assert b.state is S.CLOSED and "refused" in b.error


def test_rfc1122_reopens_with_a_higher_isn():
    net, a, b = story("reopen")
    net.run(until=10)
    assert a.history[-3:] == [S.TIME_WAIT, S.SYN_RECEIVED, S.ESTABLISHED]
    assert b.state is S.ESTABLISHED and a.error is None and b.error is None
    answer = first_answer(net)
    assert answer.flags == Flag.SYN | Flag.ACK and answer.ack == 9001
    assert answer.seq > 102                     # above every number the old connection used
    a.send(b"new incarnation")
    net.run(until=12)
    assert b.received.endswith(b"new incarnation")


def test_rfc1122_old_duplicate_syn_does_not_reopen():
    net, a, b = story("reopen", new_iss=4000)   # below the old numbers: an old duplicate
    net.run(until=3.15)
    assert a.state is S.TIME_WAIT
    assert first_answer(net).flags == Flag.ACK


def test_rfc1122_returns_to_time_wait_when_the_syn_was_an_old_duplicate():
    net = Network(seed=0)
    a = net.host("A", iss=100, time_wait_syn="reopen")
    b = net.host("B", iss=5000)
    b.listen()
    a.connect("B")
    net.run(until=1)
    a.close()
    net.run(until=2)
    b.close()
    net.run(until=3)
    from tcplab import Segment
    net.inject(Segment("B", "A", Flag.SYN, 7000))      # an old SYN from nowhere in B
    net.run(until=3.5)
    # B (CLOSED) answers A's SYN+ACK with RST: A goes back to TIME-WAIT, old numbers intact
    assert a.state is S.TIME_WAIT
    assert a.history[-3:] == [S.TIME_WAIT, S.SYN_RECEIVED, S.TIME_WAIT]
    assert (a.endpoint.snd_nxt, a.endpoint.rcv_nxt, a.iss) == (102, 5002, 100)
    net.run()
    assert a.state is S.CLOSED


def test_rules_are_table_edges():
    assert lookup(S.TIME_WAIT, Event.RCV_SYN, time_wait_syn="rfc793").target is S.CLOSED
    assert lookup(S.TIME_WAIT, Event.RCV_SYN, time_wait_syn="reopen").target is \
        S.SYN_RECEIVED
    with pytest.raises(IllegalEvent):
        lookup(S.TIME_WAIT, Event.RCV_SYN)
    base = set(table())
    for rule in TIME_WAIT_SYN_RULES:
        assert base <= set(table(time_wait_syn=rule))
    with pytest.raises(ValueError, match="time_wait_syn must be one of"):
        table(time_wait_syn="maybe")
    with pytest.raises(ValueError, match="time_wait_syn must be one of"):
        Network().host("A", time_wait_syn="maybe")


def test_state_diagram_draws_the_chosen_rule():
    net, a, b = story("reopen")
    net.run(until=3.15)
    d = state_diagram(a)
    assert '"TIME-WAIT" [' in d.source or "TIME-WAIT" in d.source
    assert "SYN / SYN+ACK" in d.source and "RST [reopened]" in d.source
    assert "SYN in TIME-WAIT: reopen" in d.source
    plain = state_diagram().source
    assert "reopened" not in plain
