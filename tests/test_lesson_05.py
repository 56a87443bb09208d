"""Lesson 05 (the finite state machine): its exercises accept right answers in forgiving
forms, teach on the typical mistakes, and never raise on answers of the wrong type."""

import pytest

from tcplab import Flag, State, checks
from tcplab.checks import Feedback
from tcplab.exercises.state_machine import LESSON, parse_calls, parse_flags, parse_state
from tcplab.fsm import CLIENT_PATH, SERVER_PATH, Event
from tcplab.widgets import StateMachineExplorer, Walker

S, E = State, Event
KEYS = ["fsm-fin-ack", "fsm-server-path", "fsm-close-wait-calls", "fsm-close-illegal",
        "fsm-simultaneous-open", "fsm-explorer-closing"]


def hint(fb: Feedback) -> str:
    assert isinstance(fb, Feedback) and not fb.correct, fb.text()
    return " ".join(fb.lines)


def test_the_lesson_registers_its_exercises_in_order():
    assert [e.key for e in checks.exercises(LESSON, "answer")] == KEYS
    for key in KEYS:
        q = checks.ask(key)
        assert key in repr(q) and "checks.check(" in repr(q)


def test_questions_do_not_give_the_answers_away():
    assert "TIME-WAIT" not in repr(checks.ask("fsm-fin-ack"))
    assert "CLOSE-WAIT" not in repr(checks.ask("fsm-server-path"))
    assert "SYN+ACK" not in repr(checks.ask("fsm-simultaneous-open"))


@pytest.mark.parametrize("key", KEYS)
def test_no_answer_yet(key):
    fb = checks.check(key)
    assert not fb.correct and "no answer yet" in fb.text()


# ---------------------------------------------------------------- reading answers

@pytest.mark.parametrize("text", ["TIME-WAIT", "time_wait", "Time Wait", "TIMEWAIT",
                                  " time-wait ", "State.TIME_WAIT", S.TIME_WAIT])
def test_parse_state_is_forgiving(text):
    assert parse_state(text) is S.TIME_WAIT


@pytest.mark.parametrize("text", ["", "WAIT", "TIME-WAITING", 7, None, ["TIME-WAIT"]])
def test_parse_state_names_nothing_else(text):
    assert parse_state(text) is None


def test_bsd_and_linux_spellings():
    assert parse_state("SYN_RCVD") is parse_state("SYN-RECV") is S.SYN_RECEIVED
    assert parse_state("ESTAB") is S.ESTABLISHED


@pytest.mark.parametrize("text", ["SYN+ACK", "syn, ack", "SYN/ACK", "syn-ack", "SYNACK",
                                  "ACK+SYN", ["SYN", "ACK"], Flag.SYN | Flag.ACK,
                                  "Flag.SYN | Flag.ACK"])
def test_parse_flags_is_forgiving(text):
    assert parse_flags(text) == {"SYN", "ACK"}


def test_parse_flags_unreadable_and_nothing():
    assert parse_flags("hello") is None and parse_flags(3) is None
    assert parse_flags("nothing") == parse_flags("–") == parse_flags(Flag(0)) == set()


def test_parse_calls_is_forgiving():
    assert parse_calls("send(), a.close, ABORT()")[0] == [E.SEND, E.CLOSE, E.ABORT]
    assert parse_calls("send close")[0] == [E.SEND, E.CLOSE]
    assert parse_calls([E.CLOSE, "send(b'x')"]) == ([E.CLOSE, E.SEND], [])
    assert parse_calls(["read()", E.RCV_FIN]) == ([], ["read()", E.RCV_FIN])


# ---------------------------------------------------------------- 1. FIN+ACK in FIN-WAIT-1

@pytest.mark.parametrize("answer", ["TIME-WAIT", "time_wait", "time wait", S.TIME_WAIT])
def test_fin_ack_right(answer):
    fb = checks.check("fsm-fin-ack", state=answer, ack=302)
    assert fb.correct and "2MSL" in fb.text()


@pytest.mark.parametrize("answer, words", [
    ("CLOSING", "does not acknowledge ours"),
    (S.CLOSING, "simultaneous close"),
    ("fin_wait_2", "brings both"),
    ("CLOSE-WAIT", "closes second"),
    ("CLOSED", "may be lost"),
    ("LISTEN", "FIN+ACK / ACK"),
])
def test_fin_ack_hints(answer, words):
    assert words in hint(checks.check("fsm-fin-ack", state=answer))


@pytest.mark.parametrize("ack, words", [
    (301, "occupies one sequence number"),       # w: the FIN's own number
    (102, "peer's sequence space"),              # u+1: the ack the host received
    (999, "next number it expects"),
    ("302", "should be a number"),
])
def test_fin_ack_the_last_acks_number(ack, words):
    fb = checks.check("fsm-fin-ack", state="TIME-WAIT", ack=ack)
    assert fb.score == 0.5 and words in hint(fb)


def test_fin_ack_the_answer_follows_the_students_numbers():
    checks.student("Li Lei")
    try:
        ex = next(e for e in checks.exercises() if e.key == "fsm-fin-ack")
        u, w = ex.variant()["u"], ex.variant()["w"]
        assert f"seq={u}" in repr(checks.ask("fsm-fin-ack"))
        assert checks.check("fsm-fin-ack", state="TIME-WAIT", ack=w + 1).correct
        assert f"{w} is w" in hint(checks.check("fsm-fin-ack", state="TIME-WAIT", ack=w))
    finally:
        checks.student("demo")


# ---------------------------------------------------------------- 2. the server's path

SERVER = [str(s) for s in SERVER_PATH]


def path_check(states):
    """The demo student's check, with the state at t=1.5 s right: only the path is judged."""
    return checks.check("fsm-server-path", states=states, at="CLOSE-WAIT")


@pytest.mark.parametrize("answer", [
    SERVER, list(SERVER_PATH), ", ".join(SERVER), " -> ".join(SERVER), " → ".join(SERVER),
    SERVER[1:-1], SERVER[1:], tuple(SERVER[:-1]),
    "listen syn_rcvd established close_wait last_ack",
])
def test_server_path_right(answer):
    fb = checks.check("fsm-server-path", states=answer, at="CLOSE-WAIT")
    assert fb.correct and "LAST-ACK → CLOSED" in fb.text()


@pytest.mark.parametrize("t, state", [(0.05, "LISTEN"), (0.2, "SYN-RECEIVED"),
                                      (0.7, "ESTABLISHED"), (1.5, "CLOSE-WAIT"),
                                      (2.1, "LAST-ACK"), (3.0, "CLOSED")])
def test_server_path_the_state_at_t_follows_the_story(t, state):
    from tcplab.exercises.state_machine import server_path
    from tcplab.grading.variants import Variant
    v = Variant("someone", "fsm-server-path", {"t": t})
    assert server_path(v, states=SERVER, at=state).correct
    wrong = "ESTABLISHED" if state != "ESTABLISHED" else "CLOSE-WAIT"
    fb = server_path(v, states=SERVER, at=wrong)
    assert fb.score == 0.5 and "0.1, 0.3, 1.1, 2, 2.2" in hint(fb) and f"t={t:g} s" in hint(fb)
    assert "not the name of a state" in hint(server_path(v, states=SERVER, at="CLOSE"))


def test_server_path_hints():
    assert "client's path" in hint(path_check(list(CLIENT_PATH)))
    swapped = SERVER[:4] + [SERVER[5], SERVER[4]] + SERVER[6:]
    assert "wrong order" in hint(path_check(swapped))
    skipped = SERVER[:4] + SERVER[5:]
    h = hint(path_check(skipped))
    assert "dashed edge leaving ESTABLISHED" in h and "'FIN / ACK'" in h
    active = SERVER[:2] + ["SYN-SENT"] + SERVER[3:]
    assert "never sends the first SYN" in hint(path_check(active))
    tw = SERVER[:-1] + ["TIME-WAIT", "CLOSED"]
    assert "does not close first" in hint(path_check(tw))
    assert "neither usual path" in hint(
        path_check(SERVER[:4] + ["CLOSING"]))
    assert "leads back to CLOSED" in hint(
        path_check(SERVER[:-1] + ["LISTEN"]))
    assert "not a state" in hint(path_check("CLOSED, LISTENING"))


# ---------------------------------------------------------------- 3. calls in CLOSE-WAIT

@pytest.mark.parametrize("answer", [
    ["send()", "close()", "abort()"], "send, close, abort", "abort(), close(), send()",
    [E.SEND, E.CLOSE, E.ABORT], "b.send(data); b.close(); b.abort()", ("close", "send", "abort"),
])
def test_close_wait_calls_right(answer):
    fb = checks.check("fsm-close-wait-calls", calls=answer)
    assert fb.correct and "half-close" in fb.text()


def test_close_wait_calls_hints():
    h = hint(checks.check("fsm-close-wait-calls", calls=["close", "abort"]))
    assert "half-closed (半关闭)" in h
    h = hint(checks.check("fsm-close-wait-calls", calls=["send", "abort"]))
    assert "how the application leaves it" in h and "LAST-ACK" in h
    h = hint(checks.check("fsm-close-wait-calls", calls="send close abort connect"))
    assert "connect() is refused" in h and "already has a connection" in h
    assert "not an application call" in hint(
        checks.check("fsm-close-wait-calls", calls=["send", "close", "abort", "recv"]))


# ---------------------------------------------------------------- 4. where close() is illegal

CLOSE_ILLEGAL = ["CLOSED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSING", "TIME-WAIT", "LAST-ACK"]


@pytest.mark.parametrize("answer", [
    CLOSE_ILLEGAL, list(reversed(CLOSE_ILLEGAL)), ", ".join(CLOSE_ILLEGAL),
    {S.CLOSED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSING, S.TIME_WAIT, S.LAST_ACK},
    "closed fin_wait_1 fin_wait_2 closing time_wait last_ack",
])
def test_close_illegal_right(answer):
    assert checks.check("fsm-close-illegal", states=answer).correct


def test_close_illegal_hints():
    h = hint(checks.check("fsm-close-illegal", states=CLOSE_ILLEGAL + ["CLOSE-WAIT"]))
    assert "close() is legal in CLOSE-WAIT" in h and "LAST-ACK" in h
    h = hint(checks.check("fsm-close-illegal", states=CLOSE_ILLEGAL + ["LISTEN"]))
    assert "close() is legal in LISTEN" in h and "stop listening" in h
    h = hint(checks.check("fsm-close-illegal", states=CLOSE_ILLEGAL[1:]))
    assert "no connection at all" in h and "left out 1 " not in h
    h = hint(checks.check("fsm-close-illegal", states=["CLOSED", "FIN-WAIT-1"]))
    assert "left out 4 state(s)" in h and "already called close()" in h


# ---------------------------------------------------------------- 5. SYN-SENT → SYN-RECEIVED

@pytest.mark.parametrize("arrives, sends", [
    ("SYN", "SYN+ACK"), ("syn", "syn,ack"), (Flag.SYN, Flag.SYN | Flag.ACK), ("SYN", "SYN/ACK"),
])
def test_simultaneous_open_right(arrives, sends):
    fb = checks.check("fsm-simultaneous-open", arrives=arrives, sends=sends, ack=301)
    assert fb.correct and "simultaneous open" in fb.text()


def test_simultaneous_open_hints():
    fb = checks.check("fsm-simultaneous-open", arrives="SYN+ACK", sends="ACK")
    assert fb.score == 0.0
    h = hint(fb)
    assert "usual reply" in h and "sends its SYN again" in h
    fb = checks.check("fsm-simultaneous-open", arrives="SYN", sends="SYN", ack=301)
    assert fb.score == 2 / 3 and "also acknowledge" in hint(fb)
    fb = checks.check("fsm-simultaneous-open", arrives="SYN", sends="SYN+ACK", ack=300)
    assert "occupies one sequence number" in hint(fb)
    fb = checks.check("fsm-simultaneous-open", arrives="SYN", sends="SYN+ACK", ack=101)
    assert "A's own sequence space" in hint(fb)
    assert "no error" in hint(checks.check("fsm-simultaneous-open", arrives="SYN", sends="RST"))
    assert "connection refused" in hint(
        checks.check("fsm-simultaneous-open", arrives="RST", sends="SYN+ACK"))


# ---------------------------------------------------------------- 6. the explorer walk

def walked(*events) -> StateMachineExplorer:
    lab = StateMachineExplorer()
    for e in events:
        assert lab.fire(e), e
    return lab


SIM_OPEN_CLOSE = (E.CONNECT, E.RCV_SYN, E.RCV_ACK, E.CLOSE, E.RCV_FIN)


def test_explorer_walk_right():
    fb = checks.check("fsm-explorer-closing", explorer=walked(*SIM_OPEN_CLOSE))
    assert fb.correct and "SYN-SENT → SYN-RECEIVED" in fb.text()
    # closing straight from SYN-RECEIVED is a simultaneous open and close too
    assert checks.check("fsm-explorer-closing",
                        explorer=walked(E.CONNECT, E.RCV_SYN, E.CLOSE, E.RCV_FIN)).correct
    # a Walker is accepted as well as the lab; so is a walk after an earlier connection
    w = Walker()
    for e in (E.LISTEN, E.CLOSE) + SIM_OPEN_CLOSE + (E.TIMEOUT_RETRANSMIT,):
        w.fire(e)
    assert checks.check("fsm-explorer-closing", explorer=w).correct


def test_explorer_walk_not_started():
    h = hint(checks.check("fsm-explorer-closing", explorer=StateMachineExplorer()))
    assert "No walk yet" in h


@pytest.mark.parametrize("events, words", [
    ((E.CONNECT, E.RCV_SYN_ACK, E.CLOSE, E.RCV_FIN), "opened the usual way"),
    ((E.LISTEN, E.RCV_SYN, E.RCV_ACK, E.CLOSE, E.RCV_FIN), "opened passively"),
    ((E.CONNECT, E.RCV_SYN, E.RCV_ACK, E.CLOSE, E.RCV_FIN_ACK), "straight to TIME-WAIT"),
    ((E.CONNECT, E.RCV_SYN, E.RCV_ACK, E.CLOSE, E.RCV_ACK), "usual close"),
    ((E.CONNECT, E.RCV_SYN, E.RCV_ACK, E.RCV_FIN), "passive close"),
    (SIM_OPEN_CLOSE + (E.RCV_ACK,), "press undo"),
    (SIM_OPEN_CLOSE + (E.RCV_ACK, E.TIMEOUT_2MSL), "start with connect()"),
    ((E.CONNECT,), "the peer's SYN arrives"),
    ((E.CONNECT, E.RCV_SYN), "finish opening"),
    ((E.CONNECT, E.RCV_SYN, E.RCV_ACK), "calls close() first"),
    ((E.CONNECT, E.RCV_SYN, E.RCV_ACK, E.CLOSE), "the peer's own FIN"),
])
def test_explorer_walk_hints(events, words):
    lab = walked(*events)
    h = hint(checks.check("fsm-explorer-closing", explorer=lab))
    assert words in h and f"The explorer is in {lab.state}" in h


# ---------------------------------------------------------------- never a traceback

WRONG_TYPES = [3, 2.5, True, b"TIME-WAIT", object(), {"a": 1}, [None], [[1, 2]], "", [], Flag.FIN,
               Event.RCV_FIN, State.LISTEN, StateMachineExplorer]


@pytest.mark.parametrize("key, part", [
    ("fsm-fin-ack", "state"), ("fsm-server-path", "states"), ("fsm-close-wait-calls", "calls"),
    ("fsm-close-illegal", "states"), ("fsm-simultaneous-open", "arrives"),
    ("fsm-simultaneous-open", "sends"), ("fsm-explorer-closing", "explorer"),
])
@pytest.mark.parametrize("answer", WRONG_TYPES, ids=lambda a: type(a).__name__)
def test_wrong_types_get_sentences(key, part, answer):
    fb = checks.check(key, **{part: answer})
    assert isinstance(fb, Feedback) and not fb.correct and fb.lines
    assert "could not be" not in fb.text()          # the checker itself read it, no fallback


@pytest.mark.parametrize("key", KEYS)
def test_unknown_parts_and_positional_answers(key):
    fb = checks.check(key, typo=1)
    assert not fb.correct and "no part called typo" in fb.text()
    assert not checks.check(key, "TIME-WAIT").correct


# ---------------------------------------------------------------- the lecture's state names

@pytest.mark.parametrize("text,state", [
    ("TIMED WAIT", S.TIME_WAIT), ("timed-wait", S.TIME_WAIT), ("SYN RCVD", S.SYN_RECEIVED),
    ("SYN SENT", S.SYN_SENT), ("FIN WAIT 1", S.FIN_WAIT_1), ("FIN WAIT 2", S.FIN_WAIT_2),
    ("CLOSE WAIT", S.CLOSE_WAIT), ("LAST ACK", S.LAST_ACK)])
def test_the_lecture_and_tanenbaum_names_are_read(text, state):
    assert parse_state(text) is state


def test_every_state_has_a_lecture_name_that_reads_back():
    from tcplab.grading.answers import LECTURE_NAMES
    assert set(LECTURE_NAMES) == set(S)
    assert all(parse_state(name) is s for s, name in LECTURE_NAMES.items())
    assert LECTURE_NAMES[S.TIME_WAIT] == "TIMED WAIT"


def test_a_lecture_name_is_right_and_the_feedback_names_the_rfc_state_once():
    fb = checks.check("fsm-fin-ack", state="TIMED WAIT", ack=302)
    assert fb.correct and fb.text().count("TIME-WAIT") >= 1
    assert sum("TIMED WAIT" in line for line in fb.lines) == 1
    wrong = checks.check("fsm-fin-ack", state="CLOSE WAIT")     # a normal spelling: no note
    assert not wrong.correct and "RFC 9293 and tcplab call" not in wrong.text()
    slip = path_check("CLOSED, LISTEN, SYN RCVD, ESTABLISHED, CLOSE WAIT, LAST ACK, CLOSED")
    assert slip.correct and "SYN-RECEIVED" in slip.lines[-1]


def test_rfc_names_keep_their_feedback_unchanged():
    for answer in ("TIME-WAIT", S.TIME_WAIT, "time_wait"):
        fb = checks.check("fsm-fin-ack", state=answer, ack=302)
        assert fb.correct and len(fb.lines) == 1 and "you wrote" not in fb.text()


def test_the_explorer_says_what_a_state_accepts_without_an_edge():
    lab = walked(Event.CONNECT, Event.RCV_SYN_ACK)
    assert lab.state is S.ESTABLISHED
    assert "data, ACKs of data, window updates" in lab.accepted.value
    assert "window updates" in lab._repr_mimebundle_()["text/html"]
    assert not lab.fire(Event.RCV_ACK)                  # no edge: refused, and explained
    assert "Ordinary traffic is still accepted" in lab.message.value
    lab.reset()
    assert lab.accepted.value == ""                      # CLOSED accepts nothing
