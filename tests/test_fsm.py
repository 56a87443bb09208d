"""The transition table (tcplab.fsm): its shape, its paths, its errors."""

import pytest

from tcplab import IllegalEvent, State
from tcplab import fsm
from tcplab.fsm import (CLIENT_PATH, SERVER_PATH, TRANSITIONS, TWO_WAY_TRANSITIONS, Event,
                        EventKind, Path, legal_events, lookup, table)


def test_state_has_the_eleven_rfc_states():
    assert len(State) == 11
    assert [str(s) for s in State] == [
        "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
        "FIN-WAIT-2", "CLOSING", "TIME-WAIT", "CLOSE-WAIT", "LAST-ACK"]
    assert str(State.SYN_RECEIVED) == "SYN-RECEIVED"


def test_every_state_has_an_explanation_in_english_and_chinese():
    for s in State:
        assert s.explanation and s.chinese
    assert "2MSL" in State.TIME_WAIT.explanation


def test_every_state_is_reachable_from_closed():
    seen, todo = {State.CLOSED}, [State.CLOSED]
    while todo:
        s = todo.pop()
        for t in fsm.transitions_from(s):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    assert seen == set(State)


def test_every_state_but_closed_can_get_back_to_closed():
    for start in State:
        seen, todo = {start}, [start]
        while todo:
            for t in fsm.transitions_from(todo.pop()):
                if t.target not in seen:
                    seen.add(t.target)
                    todo.append(t.target)
        assert State.CLOSED in seen, start


def test_table_has_no_ambiguous_edges():
    keys = [(t.source, t.event, t.when) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    for (source, event, when) in keys:
        if when is not None:
            assert (source, event, None) not in keys


def test_client_path_is_the_classic_thick_solid_line():
    assert CLIENT_PATH == (State.CLOSED, State.SYN_SENT, State.ESTABLISHED, State.FIN_WAIT_1,
                           State.FIN_WAIT_2, State.TIME_WAIT, State.CLOSED)
    edges = [t for t in TRANSITIONS if t.path is Path.CLIENT]
    assert [t.label for t in edges] == [
        "connect / SYN", "SYN+ACK / ACK", "close / FIN", "ACK / –", "FIN / ACK",
        "timeout 2MSL / –"]


def test_server_path_is_the_classic_thick_dashed_line():
    assert SERVER_PATH == (State.CLOSED, State.LISTEN, State.SYN_RECEIVED, State.ESTABLISHED,
                           State.CLOSE_WAIT, State.LAST_ACK, State.CLOSED)
    edges = [t for t in TRANSITIONS if t.path is Path.SERVER]
    assert [t.label for t in edges] == [
        "listen / –", "SYN / SYN+ACK", "ACK / –", "FIN / ACK", "close / FIN", "ACK / –"]


def test_legal_calls_follow_rfc_9293():
    calls = lambda s: {e for e in legal_events(s, EventKind.CALL)}  # noqa: E731
    assert calls(State.CLOSED) == {Event.LISTEN, Event.CONNECT}
    assert calls(State.LISTEN) == {Event.CONNECT, Event.CLOSE, Event.ABORT}
    for s in (State.SYN_SENT, State.SYN_RECEIVED, State.ESTABLISHED, State.CLOSE_WAIT):
        assert Event.SEND in calls(s)
    for s in (State.FIN_WAIT_1, State.FIN_WAIT_2, State.CLOSING, State.LAST_ACK,
              State.TIME_WAIT):
        assert Event.CLOSE not in calls(s)
        assert Event.SEND not in calls(s)
        assert Event.ABORT in calls(s)
    assert Event.CLOSE not in calls(State.CLOSED)
    assert Event.ABORT not in calls(State.CLOSED)


def test_lookup_returns_the_edge():
    t = lookup(State.LISTEN, Event.RCV_SYN)
    assert (t.target, t.action, t.label) == (State.SYN_RECEIVED, "SYN+ACK", "SYN / SYN+ACK")
    t = lookup(State.FIN_WAIT_1, Event.RCV_FIN_ACK)
    assert t.target is State.TIME_WAIT


def test_lookup_picks_edges_by_how_syn_received_was_reached():
    assert lookup(State.SYN_RECEIVED, Event.RCV_RST, passive=True).target is State.LISTEN
    assert lookup(State.SYN_RECEIVED, Event.RCV_RST, passive=False).target is State.CLOSED
    assert lookup(State.SYN_RECEIVED, Event.GIVE_UP, passive=True).target is State.LISTEN
    with pytest.raises(IllegalEvent):
        lookup(State.SYN_RECEIVED, Event.RCV_SYN, passive=False)


def test_illegal_call_names_the_state_and_the_legal_calls():
    with pytest.raises(IllegalEvent) as info:
        lookup(State.CLOSED, Event.CLOSE)
    message = str(info.value)
    assert "close()" in message and "CLOSED" in message
    assert "listen(), connect()" in message
    assert info.value.state is State.CLOSED and info.value.event is Event.CLOSE
    assert set(info.value.legal) == {Event.LISTEN, Event.CONNECT}
    assert isinstance(info.value, ValueError)


def test_illegal_segment_event_lists_the_legal_events():
    with pytest.raises(IllegalEvent, match="Legal events in TIME-WAIT: abort\\(\\), FIN, RST"):
        lookup(State.TIME_WAIT, Event.RCV_SYN_ACK)


def test_lookup_rejects_wrong_types_clearly():
    with pytest.raises(TypeError, match="tcplab.State"):
        lookup("CLOSED", Event.LISTEN)
    with pytest.raises(TypeError, match="Event"):
        lookup(State.CLOSED, "listen")
    with pytest.raises(ValueError, match="handshake must be one of"):
        table("one-way")


def test_two_way_table_differs_in_exactly_two_edges():
    diff = [(a, b) for a, b in zip(TRANSITIONS, TWO_WAY_TRANSITIONS) if a != b]
    assert len(TRANSITIONS) == len(TWO_WAY_TRANSITIONS)
    assert [(b.source, b.event, b.target, b.action) for _, b in diff] == [
        (State.LISTEN, Event.RCV_SYN, State.ESTABLISHED, "SYN+ACK"),
        (State.SYN_SENT, Event.RCV_SYN_ACK, State.ESTABLISHED, ""),
    ]
    assert lookup(State.LISTEN, Event.RCV_SYN, handshake="two-way").target is State.ESTABLISHED


def test_every_event_appears_in_the_table():
    assert {t.event for t in TRANSITIONS} == set(Event)


def test_self_loops_are_only_sends_retransmissions_and_time_wait_fin():
    loops = {(t.source, t.event) for t in TRANSITIONS if t.is_loop}
    assert all(e in (Event.SEND, Event.TIMEOUT_RETRANSMIT) for s, e in loops
               if (s, e) != (State.TIME_WAIT, Event.RCV_FIN))
    assert (State.TIME_WAIT, Event.RCV_FIN) in loops


def test_ordinary_traffic_is_accepted_without_an_edge_in_synchronized_states():
    accepted = fsm.accepted_without_change
    # data flows in ESTABLISHED and keeps flowing to the side that closed first
    for s in (State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2):
        assert "data" in accepted(s) and "window updates" in accepted(s)
    # after the peer's FIN no more data comes (RFC 9293 §3.10.7.4, seventh), ACKs still do
    for s in (State.CLOSE_WAIT, State.CLOSING):
        assert "data" not in accepted(s) and "ACKs of data" in accepted(s)
    # LAST-ACK and TIME-WAIT expect only what their edges name; no connection: nothing
    for s in (State.LAST_ACK, State.TIME_WAIT, State.CLOSED, State.LISTEN, State.SYN_SENT):
        assert accepted(s) == ()
    assert {s for s in State if accepted(s)} < fsm.SYNCHRONIZED
    # and none of it is an edge: the table has no data or plain-ACK event in ESTABLISHED
    assert Event.RCV_ACK not in legal_events(State.ESTABLISHED)
    with pytest.raises(TypeError, match="tcplab.State"):
        accepted("ESTABLISHED")


def test_format_table_says_what_is_accepted_besides_the_edges():
    text = fsm.format_table(State.ESTABLISHED, accepted=True)
    edges, _, rest = text.partition("\n\n")
    assert "ESTABLISHED  FIN" in edges and "data, ACKs of data, window updates" in rest
    assert "also accepted" in rest
    assert edges == fsm.format_table(State.ESTABLISHED)           # the edges alone: the default
    assert "also accepted" not in fsm.format_table(State.TIME_WAIT, accepted=True)
    assert fsm.format_table().count("\n") == len(TRANSITIONS)
    assert fsm.format_table(accepted=True).count("\n") == len(TRANSITIONS) + 2 + 5
