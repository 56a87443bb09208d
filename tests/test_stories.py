"""Multi-state stories: the lecture's scenarios, told by two hosts on a network.

Each test is one story of the workbook (:mod:`tcplab.stories`), checked down to
the sequence numbers.
"""

import pytest
from builders import numeric, symbolic

from tcplab import Flag, IllegalEvent, Network, State, stories

S = State


def open_pair(**kw):
    net, a, b = stories.opened(**kw)
    assert a.state is b.state is S.ESTABLISHED
    return net, a, b


def test_three_way_handshake_numbers(connection):
    net, a, b = connection
    assert numeric(net) == ["A→B SYN seq=100", "B→A SYN+ACK seq=300 ack=101",
                            "A→B ACK seq=101 ack=301"]
    assert symbolic(net) == ["A→B SYN, seq=x", "B→A SYN+ACK, seq=y, ack=x+1",
                             "A→B ACK, seq=x+1, ack=y+1"]
    assert a.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED]
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED]
    assert (a.iss, b.iss) == (100, 300)
    # each application is told when its side is established: A after 2 delays, B after 3
    told = [(r.time, r.host) for r in net.trace if r.kind == "notify"
            and r.detail == "connection established"]
    assert told == [(pytest.approx(0.2), "A"), (pytest.approx(0.3), "B")]


def test_handshake_trace_table_reads_as_the_lecture(connection):
    net, a, b = connection
    table = net.trace.table("symbolic", kinds=["send"])
    assert table.splitlines()[1:] == [
        "0.000  A     send  SYN, seq=x",
        "0.100  B     send  SYN+ACK, seq=y, ack=x+1",
        "0.200  A     send  ACK, seq=x+1, ack=y+1"]


def test_four_way_close_numbers_and_2msl():
    net, a, b = open_pair(msl=30.0)
    a.send(b"hello")
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    assert (a.state, b.state) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    b.close()
    net.run(until=4.0)
    assert (a.state, b.state) == (S.TIME_WAIT, S.CLOSED)
    close = symbolic(net)[5:]
    assert close == ["A→B FIN+ACK, seq=u, ack=y+1", "B→A ACK, seq=v, ack=u+1",
                     "B→A FIN+ACK, seq=w, ack=u+1", "A→B ACK, seq=u+1, ack=w+1"]
    u = 100 + 1 + len(b"hello")
    assert numeric(net)[5] == f"A→B FIN+ACK seq={u} ack=301"
    assert numeric(net)[6] == f"B→A ACK seq=301 ack={u + 1}"
    # A entered TIME-WAIT when B's FIN arrived, at 3.1, and stays exactly 2MSL = 60 s
    entered = [r.time for r in net.trace if r.kind == "state" and r.host == "A"
               and r.state is S.TIME_WAIT]
    assert entered == [pytest.approx(3.1)]
    net.run(until=3.1 + 60 - 0.001)
    assert a.state is S.TIME_WAIT
    net.run()
    assert a.state is S.CLOSED
    assert net.now == pytest.approx(63.1)
    assert a.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                         S.TIME_WAIT, S.CLOSED]
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED, S.CLOSE_WAIT,
                         S.LAST_ACK, S.CLOSED]
    assert b.received == b"hello"
    assert a.error is None and b.error is None


def test_half_close_data_flows_from_the_passive_side():
    net, a, b = stories.half_closed()
    assert (a.state, b.state) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    with pytest.raises(IllegalEvent, match="FIN-WAIT-2"):
        a.send(b"too late")
    b.send(b"still talking")
    net.run(until=3.0)
    assert a.received == b"still talking"
    # A acknowledges B's data from FIN-WAIT-2
    last = net.sent[-1][1]
    assert last.src == "A" and last.flags == Flag.ACK
    assert last.ack == 301 + len(b"still talking")
    b.close()
    net.run()
    assert a.state is b.state is S.CLOSED
    assert symbolic(net)[-2:] == ["B→A FIN+ACK, seq=w, ack=u+1", "A→B ACK, seq=u+1, ack=w+1"]
    assert symbolic(net)[4] == "B→A ACK, seq=v, ack=u+1"
    assert symbolic(net)[5] == "B→A ACK, seq=v, ack=u+1, len=13"


def test_simultaneous_open():
    net, a, b = stories.simultaneous_open()
    net.run(until=5.0)
    assert a.state is b.state is S.ESTABLISHED
    for h in (a, b):
        assert h.history == [S.CLOSED, S.SYN_SENT, S.SYN_RECEIVED, S.ESTABLISHED]
    a.send(b"ping")
    b.send(b"pong")
    net.run(until=6.0)
    assert (a.received, b.received) == (b"pong", b"ping")


def test_simultaneous_close_through_closing():
    net, a, b = stories.simultaneous_close()
    net.run(until=2.0)
    for h in (a, b):
        assert h.state is S.TIME_WAIT
        assert h.history[-3:] == [S.FIN_WAIT_1, S.CLOSING, S.TIME_WAIT]
    net.run()
    assert a.state is b.state is S.CLOSED


def test_fin_ack_in_fin_wait_1_goes_straight_to_time_wait():
    # B's separate ACK of A's FIN is lost; B's own FIN then acknowledges A's FIN too
    net, a, b = stories.fin_ack_in_fin_wait_1()
    assert b.history[-2:] == [S.CLOSE_WAIT, S.LAST_ACK] and a.state is S.FIN_WAIT_1
    net.run(until=2.0)
    assert a.history[-2:] == [S.FIN_WAIT_1, S.TIME_WAIT]
    assert S.FIN_WAIT_2 not in a.history and S.CLOSING not in a.history
    states = [r.detail for r in net.trace if r.kind == "state" and r.host == "A"]
    assert states[-1] == "FIN+ACK / ACK"


def test_lost_last_ack_is_answered_from_time_wait():
    net, a, b = stories.lost_last_ack()         # B closed at t=2.0: LAST-ACK
    net.run(until=2.5)                          # A's last ACK is lost
    assert (a.state, b.state) == (S.TIME_WAIT, S.LAST_ACK)
    net.run(until=4.0)                          # B retransmits its FIN at 3.0
    fins = [(t, s) for t, s in net.sent if s.src == "B" and Flag.FIN in s.flags]
    assert [t for t, _ in fins] == [pytest.approx(2.0), pytest.approx(3.0)]
    assert fins[0][1] == fins[1][1]             # the very same FIN+ACK again
    assert b.state is S.CLOSED and a.state is S.TIME_WAIT
    # A re-acknowledged from TIME-WAIT and restarted its 2MSL timer at 3.1
    assert any(r.kind == "reply" and r.host == "A" and "last ACK was lost" in r.detail
               for r in net.trace)
    net.run(until=3.1 + 60 - 0.01)
    assert a.state is S.TIME_WAIT
    net.run()
    assert a.state is S.CLOSED and net.now == pytest.approx(63.1)


def test_without_time_wait_the_retransmitted_fin_gets_rst():
    # what goes wrong if A closed at once: B's repeated FIN meets a CLOSED A
    net, a, b = stories.lost_last_ack(time_wait=0.0)
    net.run()
    assert a.state is S.CLOSED and b.state is S.CLOSED
    assert any(s.src == "A" and Flag.RST in s.flags for _, s in net.sent)
    assert b.error is not None and "reset" in b.error


def test_stale_syn_story_plays_the_lecture_before_the_old_syn_arrives():
    # A's first SYN is held; A retransmits at t=1; the connection comes and goes
    net, a, b = stories.pair()
    stuck = net.hold(lambda s: s.src == "A" and s.flags == Flag.SYN, count=1)
    script = stories.stale_syn_script()
    stories.play(net, script[:3])
    assert a.state is b.state is S.ESTABLISHED
    stories.play(net, script[3:-1])              # A waits out TIME-WAIT, both CLOSED
    assert a.state is b.state is S.CLOSED and stuck.segments


def test_stale_syn_three_way_is_refused_and_b_listens_again():
    net, a, b = stories.stale_syn("three-way")
    assert b.state is S.LISTEN
    assert b.history[-3:] == [S.LISTEN, S.SYN_RECEIVED, S.LISTEN]
    rst = [s for _, s in net.sent if Flag.RST in s.flags]
    assert len(rst) == 1 and rst[0].src == "A" and rst[0].seq == 101   # seq = SEG.ACK = x+1
    assert a.state is S.CLOSED and a.history.count(S.ESTABLISHED) == 1


def test_stale_syn_two_way_leaves_b_waiting_in_established():
    net, a, b = stories.stale_syn("two-way")
    assert b.state is S.ESTABLISHED          # resources held for a connection nobody wants
    assert b.history[-2:] == [S.LISTEN, S.ESTABLISHED]
    assert not any(Flag.RST in s.flags for _, s in net.sent)
    assert any(r.kind == "ignore" and r.host == "A" and "did not ask" in r.detail
               for r in net.trace)
    assert a.state is S.CLOSED


def test_abort_resets_the_peer(connection):
    net, a, b = connection
    a.abort()
    assert a.state is S.CLOSED
    rst = net.sent[-1][1]
    assert rst.flags == Flag.RST | Flag.ACK and rst.seq == 101
    net.run()
    assert b.state is S.CLOSED
    assert b.error == "connection reset by A (RST in ESTABLISHED)"
    assert a.error is None


def test_connect_to_a_closed_port_is_refused(two_hosts):
    net, a, b = two_hosts
    a.connect("B")
    net.run()
    assert a.state is S.CLOSED and "refused" in a.error
    assert net.sent[1][1].flags == Flag.RST | Flag.ACK and net.sent[1][1].ack == 101


def test_sequence_numbers_wrap_around():
    net, a, b = open_pair(a_iss=2**32 - 3, b_iss=2**32 - 1)
    data = bytes(range(200)) * 10
    a.send(data)
    b.send(b"back")
    net.run(until=5.0)
    assert b.received == data and a.received == b"back"
    a.close()
    b.close()
    net.run()
    assert a.state is b.state is S.CLOSED
    assert any(s.seq < 2**16 for _, s in net.sent if s.src == "A")   # it wrapped
    assert any(s.ack < 2**16 for _, s in net.sent if s.src == "A")
    assert numeric(net)[0] == f"A→B SYN seq={2**32 - 3}"
    assert numeric(net)[1] == f"B→A SYN+ACK seq={2**32 - 1} ack={2**32 - 2}"


def test_data_larger_than_window_arrives_whole_and_in_order():
    net, a, b = open_pair(mss=100, window=300)
    data = bytes(i % 251 for i in range(5000))
    a.send(data)
    in_flight_max = 0
    while not net.idle and net.now < 100:
        net.step()
        ep = a.endpoint
        in_flight_max = max(in_flight_max, ep.unacked)
    assert b.received == data
    assert in_flight_max <= 300
    assert all(len(s.data) <= 100 for _, s in net.sent)


def test_connection_survives_heavy_loss():
    net = Network(seed=7, loss=0.3, duplicate=0.2, jitter=0.05)
    a, b = net.host("A", iss=1), net.host("B", iss=2)
    b.listen()
    a.connect("B")
    net.run(until=60)
    assert a.state is S.ESTABLISHED
    a.send(b"x" * 3000)
    net.run(until=400)
    assert b.received == b"x" * 3000


def test_rto_is_3_s_for_data_after_a_syn_timed_out():
    # RFC 6298 §5.7: the SYN needed a retransmission, so data starts with RTO = 3 s
    net, a, b = stories.pair()
    net.drop(lambda s: s.flags == Flag.SYN, count=1)
    b.listen()
    a.connect("B")
    net.run(until=2)
    assert a.state is S.ESTABLISHED
    net.drop(lambda s: Flag.FIN in s.flags, count=1)
    a.close()
    net.run(until=10)
    fins = [t for t, s in net.sent if s.src == "A" and Flag.FIN in s.flags]
    assert fins == [pytest.approx(2.0), pytest.approx(5.0)]
    # without the lost SYN the first retransmission comes after 1 s
    net, a, b = open_pair()
    net.drop(lambda s: Flag.FIN in s.flags, count=1)
    a.close()
    net.run(until=3)
    assert [t for t, s in net.sent if Flag.FIN in s.flags] == [pytest.approx(1.0),
                                                               pytest.approx(2.0)]


# --------------------------------------------------------------------------- tcplab.stories itself

@pytest.mark.parametrize("first, other", [("A", "B"), ("B", "A")])
def test_closed_by_either_side_the_first_waits_out_time_wait(first, other):
    net, a, b = stories.closed_by(first)
    hosts = {"A": a, "B": b}
    assert a.state is b.state is S.CLOSED
    assert S.TIME_WAIT in hosts[first].history and S.LAST_ACK in hosts[other].history


def test_the_labs_scenarios_play_the_same_scripts():
    from tcplab.scenarios import get
    assert get("established").actions == stories.opening()
    assert get("stale-syn").actions == (("arm", "hold"),) + stories.stale_syn_script()
    assert get("simultaneous-open").actions == stories.SIMULTANEOUS_OPEN
    assert get("stale-syn-time-wait").actions == ((("arm", "hold"),)
                                                  + stories.stale_syn_in_time_wait_script())
    for name, iss in (("isn-guess", "clock"), ("isn-guess-rfc6528", "rfc6528")):
        guess = stories.isn_guess(iss).guess
        assert get(name).actions == stories.isn_guess_script(guess)[:-1]   # before the run
        assert get(name).config.iss == iss


def test_the_stale_syn_stories_share_their_connection():
    # the old SYN after TIME-WAIT and during it: the same connection, cut at another moment
    late, early = stories.stale_syn_script(), stories.stale_syn_in_time_wait_script()
    assert late[:-2] == early[:-2] and late[-1] == early[-1] == ("call", "B", "listen")
    assert (late[-2], early[-2]) == (("run",), ("run", 10.0))
    data = stories.stale_syn_in_time_wait_script(b"x" * 5000, release_at=20.0)
    assert data[3:5] == (("call", "A", "send", b"x" * 5000), ("run", 2.9))
    assert data[-2] == ("run", 20.0)


def test_the_isn_guess_story_forges_its_rst_at_the_guessed_rcv_nxt():
    g = stories.isn_guess("clock")
    injected = [r.segment for r in g.net.trace if r.kind == "inject"]
    assert injected == [stories.forged_rst(g.guess)]
    assert injected[0].flags == Flag.RST and (injected[0].src, injected[0].dst) == ("A", "B")
    assert stories.forged_rst(2**32 - 1).seq == 0              # wraps around
    # the script's inject comes at the story's moment, once A's handshake with B is done
    script = stories.isn_guess_script(g.guess)
    assert script[script.index(("run", stories.ISN_FORGED_AT)) + 1][0] == "inject"


def test_play_injects_a_hand_made_segment():
    net, a, b = stories.opened()
    rst = stories.forged_rst(a.iss)                      # exactly B's RCV.NXT
    stories.play(net, (("inject", rst), ("run",)))
    assert b.state is S.CLOSED and a.state is S.ESTABLISHED
    assert [r.segment for r in net.trace if r.kind == "inject"] == [rst]


def test_play_takes_its_own_run_and_call():
    # a checker that plays stories with a student's table caps the run and notes refusals
    net, a, b = stories.pair()
    runs, calls = [], []
    stories.play(net, stories.opening() + stories.closing("B", None),
                 run=lambda n, until: runs.append(until),
                 call=lambda host, name, *args: calls.append((host.name, name) + args))
    assert runs == [1.0, None]
    assert calls == [("B", "listen"), ("A", "connect", "B"), ("B", "close")]
    assert net.now == 0.0 and a.state is S.CLOSED


def test_play_refuses_an_action_it_does_not_know():
    net, a, b = stories.pair()
    with pytest.raises(ValueError, match="call, run, inject or drop"):
        stories.play(net, (("arm", "drop"),))


def test_serve_closes_after_the_client_and_listens_again():
    net, a, b = stories.half_closed()
    stories.serve(b)                    # CLOSE-WAIT: close
    assert b.state is S.LAST_ACK
    net.run(until=3.0)
    stories.serve(b)                    # CLOSED: listen again
    assert b.state is S.LISTEN
