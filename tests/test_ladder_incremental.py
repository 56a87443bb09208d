"""The incremental ladder (tcplab/diagrams/ladder/incremental.py): after every event its
SVG is the full draw's (``sequence_diagram``), byte for byte, over random traces, windows
that slide, undo and reset; and it does place less than a full draw."""

import random

import pytest

from tcplab import Flag, Network, Segment, sequence_diagram
from tcplab.diagrams.ladder.incremental import IncrementalLadder, latest_start
from tcplab.diagrams.picture import scale_svg
from tcplab.widgets import ConnectionLab
from tcplab.widgets.many import ServerLab


def random_story(rng: random.Random, net, hosts):
    """Random application calls, faults and steps on ``net``: yields after each one."""
    calls = ("listen", "connect", "send", "close", "abort")
    weights = (2, 2, 3, 2, 0.3)
    for _ in range(rng.randint(40, 80)):
        roll = rng.random()
        host = rng.choice(hosts)
        if roll < 0.3:
            call = rng.choices(calls, weights)[0]
            args = ((rng.choice([h.name for h in hosts if h is not host]),)
                    if call == "connect" else (b"x" * rng.randint(1, 900),)
                    if call == "send" else ())
            try:
                getattr(host, call)(*args)
            except ValueError:
                continue                 # an illegal call changes nothing
        elif roll < 0.35:
            net.drop(lambda s: True, count=1)
        elif roll < 0.4:
            net.duplicate(lambda s: True, count=1)
        elif roll < 0.45:
            held = net.hold(lambda s: True, count=1)
            if rng.random() < 0.7:
                yield
                net.run(until=net.now + rng.choice([0.05, 0.3, 2.0]))
                yield
                held.release()
        elif roll < 0.47:
            net.inject(Segment("P", host.name, Flag.SYN, seq=rng.randrange(2**32), ack=0))
        elif net.idle:
            continue
        else:
            net.step()
        yield


def network(rng: random.Random) -> Network:
    return Network(seed=rng.randrange(10**6), delay=rng.choice([0.1, 0.05, 0.3]),
                   loss=rng.choice([0.0, 0.1, 0.25]), duplicate=rng.choice([0.0, 0.1]),
                   jitter=rng.choice([0.0, 0.05]))


def same_after_every_event(net, story, *, latest=None, notation="symbolic", **options):
    """Draw after every event of ``story`` both ways; returns how many were compared
    and the ladder (for its memo's counts)."""
    ladder = IncrementalLadder()
    compared = 0
    for _ in story:
        start = latest_start(net.sent, latest) if latest else None
        kw = dict(options, start=start, max_segments=latest or 60)
        full = sequence_diagram(net, notation, **kw).svg()
        mine = ladder.draw(net, notation, **kw).svg()
        assert mine == full, f"differs after {len(net.trace)} records"
        compared += 1
    return compared, ladder


@pytest.mark.parametrize("seed", range(12))
def test_same_svg_as_the_full_draw_after_every_event_of_a_random_trace(seed):
    rng = random.Random(seed)
    net = network(rng)
    hosts = [net.host("A", iss=rng.choice([None, 100])), net.host("B")]
    compared, _ladder = same_after_every_event(net, random_story(rng, net, hosts),
                                               notation=rng.choice(["symbolic", "numeric"]))
    assert compared >= 10 and net.sent


@pytest.mark.parametrize("seed", range(8))
def test_same_svg_in_the_window_of_the_latest_segments_as_it_slides(seed):
    rng = random.Random(100 + seed)
    net = network(rng)
    hosts = [net.host("A"), net.host("B")]
    starts = set()

    def story():
        for step in random_story(rng, net, hosts):
            starts.add(latest_start(net.sent, 6))
            yield step
    same_after_every_event(net, story(), latest=6)
    assert len(starts) > 2 or len(net.sent) <= 7       # the window did slide


@pytest.mark.parametrize("seed", range(4))
def test_same_svg_with_three_hosts_and_connections_with_ports(seed):
    rng = random.Random(200 + seed)
    net = network(rng)
    a, b, c = net.host("A"), net.host("B"), net.host("C")
    b.listen(port=80)

    def story():
        conns = []
        for _ in range(40):
            roll = rng.random()
            if roll < 0.15:
                conns.append(rng.choice([a, c]).connect("B", port=80))
            elif roll < 0.25 and conns:
                try:
                    rng.choice(conns).close()
                except ValueError:
                    pass
            elif roll < 0.3:
                b.accept()
            elif not net.idle:
                net.step()
            yield
    same_after_every_event(net, story(), latest=rng.choice([None, 8]))


def test_same_svg_when_the_delay_changes_mid_trace():
    net = Network(seed=3, delay=0.1, loss=0.2)
    a, b = net.host("A"), net.host("B")

    def story():
        b.listen()
        a.connect("B")
        yield
        for i in range(40):
            if i == 12:
                net.delay = 0.4
            if i == 20:
                a.send(b"abc" * 100)
            if not net.idle:
                net.step()
            yield
    same_after_every_event(net, story())


def test_a_new_network_is_read_afresh():
    ladder = IncrementalLadder()
    for seed in (1, 1, 2):
        net = Network(seed=seed, loss=0.2)
        a, b = net.host("A"), net.host("B")
        b.listen()
        a.connect("B")
        net.run(until=3)
        assert ladder.draw(net).svg() == sequence_diagram(net).svg()


def test_only_what_changed_is_placed_again():
    net = Network(seed=5, delay=0.1)
    a, b = net.host("A"), net.host("B")
    b.listen()
    a.connect("B")
    net.run()
    a.send(b"hello")
    net.run()
    ladder = IncrementalLadder()
    ladder.draw(net)
    placed = ladder.memo.misses
    assert placed > 10                   # labels, marks and state boxes, the first time
    ladder.draw(net)                     # nothing new: every placement is known
    assert ladder.memo.misses == placed
    a.close()                            # one FIN leaves: its label and what is near it
    ladder.draw(net)
    assert 0 < ladder.memo.misses - placed < placed / 2


def lab_ladder(lab) -> str:
    start = latest_start(lab.net.sent, lab.LADDER_SEGMENTS)
    return scale_svg(sequence_diagram(lab.net, notation=lab.notation.value, start=start,
                                      max_segments=lab.LADDER_SEGMENTS).svg(),
                     max_width="900px")


def test_connection_lab_ladder_is_the_full_draw_through_clicks_undo_and_reset():
    lab = ConnectionLab(seed=4, loss=0.2)
    rng = random.Random(7)
    buttons = ([lab.panels[h].buttons[c] for h in ("A", "B") for c in
                ("listen", "connect", "send", "close")]
               + [lab.step_button] * 6 + list(lab.fault_buttons.values()))
    for i in range(70):
        if i % 23 == 22:
            lab.undo_button.click()
        elif i == 50:
            lab.reset_button.click()
        else:
            rng.choice(buttons).click()
        if i == 30:
            lab.notation.value = "numeric"
        if lab.net.trace:
            assert lab.ladder.value == lab_ladder(lab), f"click {i}"
    assert len(lab.net.sent) > 0


def test_connection_lab_ladder_as_its_window_slides():
    lab = ConnectionLab(seed=2)
    lab.LADDER_SEGMENTS = 5
    lab.panels["B"].buttons["listen"].click()
    lab.panels["A"].buttons["connect"].click()
    for _ in range(3):
        lab.step_button.click()
    for _ in range(4):
        lab.panels["A"].buttons["send"].click()
        lab.panels["B"].buttons["send"].click()
        for _ in range(3):
            lab.step_button.click()
            assert lab.ladder.value == lab_ladder(lab)
    assert latest_start(lab.net.sent, 5) is not None


def server_ladder(lab) -> str:
    """ServerLab's ladder drawn whole, as the lab drew it before the incremental ladder."""
    pair = lab.chosen
    if lab.ladder_scope.value == "one":
        ends = {pair.client.local, pair.client.remote}
        mine = [(t, s) for t, s in lab.net.sent if {(s.src, s.sport), (s.dst, s.dport)} == ends]
        kw = {"connection": pair.client, "notation": "symbolic"}
    else:
        mine, kw = lab.net.sent, {"notation": "numeric"}
    return scale_svg(sequence_diagram(lab.net, start=latest_start(mine, lab.LADDER_SEGMENTS),
                                      max_segments=lab.LADDER_SEGMENTS, **kw).svg(),
                     max_width="900px")


def test_server_lab_ladder_is_the_full_draw_for_one_connection_and_for_all():
    lab = ServerLab(loss=0.1)
    lab.LADDER_SEGMENTS = 6
    compared = 0
    for i in range(30):
        (lab.connect_button if i % 6 == 0 else lab.step_button).click()
        if i % 7 == 3:
            lab.next_button.click()
        for scope in ("all", "one"):
            lab.ladder_scope.value = scope
            if lab.chosen is not None:
                assert lab.ladder.value == server_ladder(lab), f"click {i}, {scope}"
                compared += 1
    assert compared > 40
