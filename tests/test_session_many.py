"""The server session (tcplab.session_many): a server, its clients, replayable actions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcplab import State
from tcplab.session_many import ServerConfig, ServerSession

S = State


def opened(count=2, **config):
    session = ServerSession(ServerConfig(**config))
    conns = [session.do("connect") for _ in range(count)]
    session.do("run", 1)
    return session, conns


def test_each_new_connection_is_a_pair_with_both_ends_once_the_syn_arrived():
    session = ServerSession()
    conn = session.do("connect")
    (pair,) = session.pairs()
    assert pair.key == conn.local and pair.server is None and pair.label().endswith(
        "– / SYN-SENT")
    session.do("step")                      # the SYN arrives: the listener makes B's end
    assert pair.server is not None and pair.server.state is S.SYN_RECEIVED
    assert pair.server.local == ("B", 80) and pair.server.remote == conn.local


def test_two_clients_get_two_connections_with_their_own_ports():
    session, (first, second) = opened()
    assert first.local_port != second.local_port
    labels = [p.label() for p in session.pairs()]
    assert labels == [f"B:80 ← A:{c.local_port}  ESTABLISHED, not accepted / ESTABLISHED"
                      for c in (first, second)]
    assert session.counts() == {S.ESTABLISHED: 2}
    assert len(session.listener.accept_queue) == 2


def test_the_server_calls_only_on_accepted_connections():
    session, (first, second) = opened()
    assert session.legal("A", first.local_port, "server") == set()
    with pytest.raises(ValueError, match="has not accepted"):
        session.do("call", "A", first.local_port, "server", "close")
    assert session.do("accept") is session.pair("A", first.local_port).server  # oldest first
    assert session.legal("A", first.local_port, "server") == {"send", "close", "abort"}
    session.do("call", "A", first.local_port, "server", "send")
    session.do("call", "A", first.local_port, "server", "close")
    session.do("run")
    assert first.received == b"hello" and first.state is S.CLOSE_WAIT   # its turn to close
    assert second.state is S.ESTABLISHED and second.received == b""   # no data crossed


def test_a_connection_that_opens_and_closes_within_one_run_keeps_its_server_end():
    session = ServerSession(ServerConfig(time_wait=1.0))
    conn = session.do("connect")
    session.do("run", 1)
    session.do("accept")
    session.do("call", "A", conn.local_port, "client", "close")
    session.do("call", "A", conn.local_port, "server", "close")
    session.do("run")
    pair = session.pair("A", conn.local_port)
    assert pair.server.state is pair.client.state is S.CLOSED
    assert session.server.connections == []          # the host holds it no more ...
    assert len(session.pairs()) == 1                 # ... the lab still shows it


def test_undo_and_reset_replay_the_story_exactly():
    session, (first, _second) = opened()
    session.do("accept")
    session.do("call", "A", first.local_port, "client", "close")
    session.do("run", 2)
    before = [(p.label(), p.key) for p in session.pairs()]
    trace = [(r.time, r.kind, r.host, r.segment, r.state) for r in session.net.trace]
    session.do("call", "A", first.local_port, "server", "abort")
    assert session.undo()
    assert [(p.label(), p.key) for p in session.pairs()] == before
    assert [(r.time, r.kind, r.host, r.segment, r.state) for r in session.net.trace] == trace
    session.reset()
    assert session.pairs() == [] and session.actions == [] and not session.undo()


def test_an_illegal_call_is_refused_and_not_remembered():
    session, (first, _second) = opened()
    session.do("call", "A", first.local_port, "client", "close")
    session.do("run", 2)
    actions = list(session.actions)
    reason = session.try_do("call", "A", first.local_port, "client", "send")
    assert "not legal in state FIN-WAIT-2" in reason and session.actions == actions


def test_several_clients_and_a_small_backlog_with_syn_cookies():
    session = ServerSession(ServerConfig(clients=("A", "C"), backlog=1, syn_cookies=True))
    for client in ("A", "C", "A"):
        session.do("connect", client)
    session.do("run", 1)
    pairs = session.pairs()
    assert {p.key[0] for p in pairs} == {"A", "C"} and len(pairs) == 3
    assert session.listener.cookies_sent >= 1
    assert all(p.client.state is S.ESTABLISHED for p in pairs)


@pytest.mark.parametrize("action, words", [
    (("connect", "Z"), "clients are A, not 'Z'"),
    (("call", "A", 1, "client", "close"), "no connection from A:1"),
    (("dance",), "unknown action"),
])
def test_wrong_actions_are_refused_in_words(action, words):
    session, _conns = opened(1)
    with pytest.raises(ValueError, match=words):
        session.do(*action)


def test_wrong_calls_and_sides_are_refused_in_words():
    session, (conn,) = opened(1)
    with pytest.raises(ValueError, match="side must be"):
        session.do("call", "A", conn.local_port, "middle", "close")
    with pytest.raises(ValueError, match="unknown application call"):
        session.do("call", "A", conn.local_port, "client", "listen")


def test_a_server_end_not_there_yet_is_said_in_words():
    session = ServerSession()
    conn = session.do("connect")
    with pytest.raises(ValueError, match="SYN has not arrived"):
        session.do("call", "A", conn.local_port, "server", "close")
    assert session.legal("A", conn.local_port, "server") == set()


def test_a_config_without_clients_or_with_the_server_among_them_is_refused():
    with pytest.raises(ValueError, match="one or more clients"):
        ServerSession(ServerConfig(clients=()))
    with pytest.raises(ValueError, match="one or more clients"):
        ServerSession(ServerConfig(clients=("B",)))


# ---------------------------------------------------------------- any clicks at all

CLICK = st.one_of(
    st.tuples(st.just("connect"), st.sampled_from(["A", "C"])),
    st.tuples(st.just("accept")),
    st.tuples(st.just("step")),
    st.tuples(st.just("run"), st.sampled_from([0.5, 3.0])),
    st.tuples(st.just("call"), st.integers(0, 3), st.sampled_from(["client", "server"]),
              st.sampled_from(["send", "close", "abort"])),
)


def story(session):
    return ([(p.label(), p.key) for p in session.pairs()],
            [(r.time, r.kind, r.host, r.segment, r.state, r.port, r.remote)
             for r in session.net.trace])


@settings(max_examples=150, deadline=None)
@given(st.lists(CLICK, max_size=14), st.booleans())
def test_any_clicks_keep_the_session_whole_and_undo_exact(clicks, cookies):
    session = ServerSession(ServerConfig(clients=("A", "C"), backlog=2, syn_cookies=cookies,
                                         loss=0.1))
    for click in clicks:
        if click[0] == "call":          # the click names a connection of the list
            pairs = session.pairs()
            if not pairs:
                continue
            key = pairs[click[1] % len(pairs)].key
            click = ("call", *key, *click[2:])
        before = story(session)
        try:
            session.do(*click)
        except ValueError:               # refused in words (IllegalEvent is one): no change
            assert story(session) == before
            continue
        after = story(session)
        session.undo()
        assert story(session) == before
        session.do(*click)
        assert story(session) == after
        # each pair's ends are the two ends of one socket pair, never another's
        for pair in session.pairs():
            if pair.server is not None:
                assert pair.server.local == pair.client.remote
                assert pair.server.remote == pair.client.local
