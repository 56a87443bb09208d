"""Bad input anywhere a user can type gets an error in words, and changes nothing."""

import pytest

from tcplab import Flag, Network, Segment, checks, sequence_diagram, state_diagram
from tcplab.widgets import ConnectionLab


@pytest.fixture
def world():
    net = Network(seed=0)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run(until=1)
    return net, a, b


def state_of(net):
    return ([(h.name, h.state, list(h.history), h.received) for h in net.hosts.values()],
            list(net.trace), list(net.sent), net.now, len(net._rules))


BAD = [
    ("seed", TypeError, lambda net, a, b: Network(seed="x")),
    ("probability", ValueError, lambda net, a, b: Network(loss=1.5)),
    ("seconds", ValueError, lambda net, a, b: Network(delay=-1)),
    ("cannot exceed msl", ValueError, lambda net, a, b: Network(delay=40, msl=30)),
    ("non-empty string", TypeError, lambda net, a, b: net.host(5)),
    ("already a host named 'A'", ValueError, lambda net, a, b: net.host("A")),
    ("iss must be", ValueError, lambda net, a, b: net.host("C", iss=-1)),
    ("iss must be", ValueError, lambda net, a, b: net.host("C", iss=2**32)),
    ("iss must be None", ValueError, lambda net, a, b: net.host("C", iss="x")),
    ("handshake must be one of", ValueError, lambda net, a, b: net.host("C", handshake="x")),
    ("no option 'bogus'", TypeError, lambda net, a, b: net.host("C", bogus=1)),
    ("mss must be", ValueError, lambda net, a, b: net.host("C", mss=0)),
    ("peer's name as a string", TypeError, lambda net, a, b: a.connect(5)),
    ("not legal in state ESTABLISHED", ValueError, lambda net, a, b: a.connect("B")),
    ("not str", TypeError, lambda net, a, b: a.send("hi")),
    ("takes bytes", TypeError, lambda net, a, b: a.send(5)),
    ("at least one byte", ValueError, lambda net, a, b: a.send(b"")),
    ("match must be a function", TypeError, lambda net, a, b: net.drop(5)),
    ("count must be", ValueError, lambda net, a, b: net.hold(lambda s: True, count=0)),
    ("until must be", ValueError, lambda net, a, b: net.run(until=-1)),
    ("in the past", ValueError, lambda net, a, b: net.run(until=0.5)),
    ("until must be a number", TypeError, lambda net, a, b: net.run(until="x")),
    ("inject() takes a tcplab.Segment", TypeError, lambda net, a, b: net.inject("x")),
    ("seq must be in", ValueError, lambda net, a, b: Segment("A", "B", Flag.SYN, seq=-1)),
    ("ack must be 0", ValueError, lambda net, a, b: Segment("A", "B", Flag.SYN, 1, 5)),
    ("view must be one of", ValueError, lambda net, a, b: state_diagram(a, view="x")),
    ("notation must be", ValueError, lambda net, a, b: sequence_diagram(net, notation="x")),
    ("draws a tcplab Network", TypeError, lambda net, a, b: sequence_diagram(5)),
    ("notation must be", ValueError, lambda net, a, b: net.trace.table("x")),
    ("notation must be", ValueError, lambda net, a, b: ConnectionLab(notation="x")),
    ("no scenario named", ValueError, lambda net, a, b: ConnectionLab.from_scenario("x")),
]


@pytest.mark.parametrize("words, kind, call", BAD, ids=[w for w, _, _ in BAD])
def test_bad_input_is_explained_and_changes_nothing(world, words, kind, call):
    net, a, b = world
    before = state_of(net)
    with pytest.raises(kind) as info:
        call(net, a, b)
    assert words in str(info.value)
    assert state_of(net) == before


def test_checks_never_raise_on_anything():
    weird = [None, 1, "x", [], {}, object(), float("nan"), b"\x00", Flag.SYN]
    for ex in checks.exercises():
        for value in weird:
            fb = checks.check(ex.key, answer=value)
            assert fb.lines, ex.key
