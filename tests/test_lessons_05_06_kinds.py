"""Lessons 05 and 06: their predictions, trace exercises and explain-in-words questions.

Each right answer is accepted and each typical wrong one gets the hint meant for it; the
trace exercises use the student's own numbers (their right answers over 50 students are
in tests/variant_rules/lesson05.py and lesson06.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tcplab import checks
from tcplab.grading import framework, predictions
from tcplab.grading.ordering import permutation

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh():
    framework.set_student(None)
    predictions.forget()
    yield
    framework.set_student(None)
    predictions.forget()


def hint(fb) -> str:
    assert not fb.correct, fb.text()
    return fb.text()


# --------------------------------------------------------------------------- predictions

PREDICTIONS = {
    "predict-who-time-wait": ("05-state-machine", dict(who="A", b="CLOSE-WAIT")),
    "predict-simultaneous-close": ("05-state-machine", dict(first="CLOSING", then="TIME-WAIT")),
    "predict-simultaneous-open": ("06-open-and-reset", dict(state="SYN-RECEIVED",
                                                            bits="SYN+ACK")),
    "predict-closed-port": ("06-open-and-reset", dict(bits="RST+ACK", a="CLOSED")),
    "predict-rst-off-by-one": ("06-open-and-reset", dict(sends="ACK", state="ESTABLISHED")),
}


@pytest.mark.parametrize("key", sorted(PREDICTIONS))
def test_each_prediction_is_right_when_tcp_agrees(key):
    lesson, right = PREDICTIONS[key]
    assert key in [e.key for e in checks.exercises(lesson, "predict")]
    assert checks.check(key, **right).correct


@pytest.mark.parametrize("key, wrong, words", [
    ("predict-who-time-wait", dict(who="B"), "LAST-ACK → CLOSED"),
    ("predict-who-time-wait", dict(who="both"), "closed first"),
    ("predict-who-time-wait", dict(b="FIN-WAIT-2"), "A's state"),
    ("predict-who-time-wait", dict(b="LAST-ACK"), "only when its application calls close()"),
    ("predict-simultaneous-close", dict(first="TIME-WAIT"), "crossed"),
    ("predict-simultaneous-close", dict(first="FIN-WAIT-2"), "does not acknowledge ours"),
    ("predict-simultaneous-close", dict(then="CLOSED"), "both wait"),
    ("predict-simultaneous-open", dict(state="ESTABLISHED"), "carries no ACK"),
    ("predict-simultaneous-open", dict(state="CLOSED"), "Figure 7"),
    ("predict-simultaneous-open", dict(bits="ACK"), "repeats its SYN"),
    ("predict-simultaneous-open", dict(bits="SYN"), "ack=y+1"),
    ("predict-closed-port", dict(bits="nothing"), "retransmitting its SYN"),
    ("predict-closed-port", dict(bits="SYN+ACK"), "listening"),
    ("predict-closed-port", dict(a="SYN-SENT"), "ACK of A's own SYN"),
    ("predict-rst-off-by-one", dict(sends="nothing"), "challenge ACK"),
    ("predict-rst-off-by-one", dict(sends="RST"), "never answered with an RST"),
    ("predict-rst-off-by-one", dict(state="CLOSED"), "RFC 5961"),
])
def test_a_typical_wrong_prediction_gets_its_hint(key, wrong, words):
    _, right = PREDICTIONS[key]
    assert words in hint(checks.check(key, **{**right, **wrong}))


def test_the_closed_ports_reset_is_right_with_or_without_its_ack_bit():
    assert checks.check("predict-closed-port", bits="RST", a="CLOSED").correct


@pytest.mark.parametrize("key", sorted(PREDICTIONS))
def test_the_demonstration_is_folded_until_predicted(key):
    lesson, right = PREDICTIONS[key]
    folded = checks.reveal(key, "the demonstration")
    assert "<details" in folded._repr_html_() and "open" not in folded._repr_html_().split(">")[0]
    checks.predict(key, **right)
    shown = checks.reveal(key, "the demonstration")
    assert "the demonstration" in shown._repr_html_() and "✔" in repr(shown)


@pytest.mark.parametrize("lesson", ["05-state-machine", "06-open-and-reset"])
def test_the_notebook_predicts_before_each_reveal(lesson):
    cells = ["".join(c["source"]) for c in
             json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text())["cells"]
             if c["cell_type"] == "code"]
    keys = [e.key for e in checks.exercises(lesson, "predict")]
    assert len(keys) >= 2
    for key in keys:
        asked = next(i for i, c in enumerate(cells) if f'checks.predict("{key}"' in c)
        shown = next(i for i, c in enumerate(cells) if f'checks.reveal("{key}"' in c)
        assert asked < shown, key


# --------------------------------------------------------------------------- trace exercises

def test_the_blanks_of_the_simultaneous_close_and_their_hints():
    right = dict(state3="ESTABLISHED", ack5=151, seq6=151, state6="FIN-WAIT-1",
                 state8="CLOSING", seq8=30002, ack8=152, state9="CLOSING")
    assert checks.check("trace-fsm-close", **right).correct
    text = hint(checks.check("trace-fsm-close", **{**right, "ack8": 151, "state8": "TIME-WAIT",
                                                   "seq8": 30001}))
    assert "one short" in text                       # ack8: the last number received
    assert "1 for its FIN" in text                   # seq8: B's FIN took a number
    assert "the sender's state when it sends segment 8" in text


def test_the_blanks_of_the_open_and_reset_and_their_hints():
    right = dict(state3="SYN-RECEIVED", ack3=101, ack4=30001, seq5=101, ack6=151,
                 flags7="RST+ACK", seq7=30001, ack7=151)
    assert checks.check("trace-open-and-reset", **right).correct
    text = hint(checks.check("trace-open-and-reset", **{**right, "ack3": 100, "seq5": 100,
                                                        "state3": "SYN-SENT", "flags7": "FIN"}))
    assert "one short" in text and "1 for its SYN" in text and "an RST resets" in text


def test_a_students_trace_has_their_own_numbers():
    checks.student("Li Lei")
    ex = next(e for e in checks.exercises() if e.key == "trace-open-and-reset")
    v = ex.variant()
    assert f"{v['x']}" in repr(checks.ask("trace-open-and-reset"))
    fb = checks.check("trace-open-and-reset", state3="SYN-RECEIVED", ack3=v["x"] + 1,
                      ack4=v["y"] + 1, seq5=v["x"] + 1, ack6=v["x"] + 1 + v["n"],
                      flags7="RST+ACK", seq7=v["y"] + 1, ack7=v["x"] + 1 + v["n"])
    assert fb.correct, fb.text()


@pytest.mark.parametrize("key, n, shuffle", [("order-fsm-half-close", 9, 505),
                                             ("order-simultaneous-open", 8, 1706)])
def test_the_cards_in_sending_order_are_right_and_a_swap_is_explained(key, n, shuffle):
    shown = permutation(shuffle, n)
    right = [shown.index(segment) + 1 for segment in range(n)]
    assert checks.check(key, order=right).correct
    swapped = right[:]
    swapped[-1], swapped[-3] = swapped[-3], swapped[-1]   # a late segment put too early
    text = hint(checks.check(key, order=swapped))
    assert "cannot come at place" in text
    assert "should name each card" in hint(checks.check(key, order=right[:-1]))


def test_the_crossing_syns_may_be_given_in_either_order():
    shown = permutation(1706, 8)
    right = [shown.index(segment) + 1 for segment in range(8)]
    either = [right[1], right[0], right[3], right[2], *right[4:]]
    assert checks.check("order-simultaneous-open", order=either).correct


# --------------------------------------------------------------------------- explain in words

@pytest.mark.parametrize("lesson, keys", [
    ("05-state-machine", {"explain-closing", "explain-send-after-close"}),
    ("06-open-and-reset", {"explain-rst-by-seq", "explain-syn-received-rst"})])
def test_two_explanations_per_lesson_with_a_model_and_a_rubric(lesson, keys):
    found = {e.key: e for e in checks.explanations(lesson)}
    assert keys <= set(found)
    for key in keys:
        assert len(found[key].points) >= 2 and "RFC" in found[key].model
        said = checks.explain(key, answer="too short")
        assert found[key].model not in repr(said)
        said = checks.explain(key, answer="A long enough answer in several words, about "
                                          "sequence numbers, windows and states.")
        assert found[key].model in repr(said)


def test_the_explanations_say_where_the_rfc_and_linux_differ():
    found = {e.key: e.model for e in checks.explanations()}
    assert "ECONNRESET" in found["explain-syn-received-rst"]
    assert "optional in RFC 9293" in found["explain-rst-by-seq"]
    assert "fixed 60 s" in found["explain-closing"]
    assert "EPIPE" in found["explain-send-after-close"]


# --------------------------------------------------------------------------- misconceptions

CLOSE_RIGHT = dict(state3="ESTABLISHED", ack5=151, seq6=151, state6="FIN-WAIT-1",
                   state8="CLOSING", seq8=30002, ack8=152, state9="CLOSING")
OPEN_RIGHT = dict(state3="SYN-RECEIVED", ack3=101, ack4=30001, seq5=101, ack6=151,
                  flags7="RST+ACK", seq7=30001, ack7=151)


@pytest.mark.parametrize("key, wrong, named", [
    # no CLOSING: both senders of the last ACKs believed in TIME-WAIT already
    ("trace-fsm-close", dict(state8="TIME-WAIT", state9="TIME-WAIT"), "no-closing"),
    # the FIN takes no number: B's ACK after its FIN still at y+1, A's FIN acknowledged with u
    ("trace-fsm-close", dict(seq8=30001, ack8=151), "fin-no-number"),
    # ack names the last number received
    ("trace-fsm-close", dict(ack5=150, ack8=151), "ack-names-last"),
    ("trace-open-and-reset", dict(ack3=100, ack4=30000, ack6=150, ack7=150), "ack-names-last"),
    # the data is not counted
    ("trace-open-and-reset", dict(ack6=101, ack7=101), "data-not-counted"),
    # abort() played as close(): a FIN where the RST is
    ("trace-open-and-reset", dict(flags7="FIN+ACK"), "abort-is-close"),
])
def test_a_students_typical_trace_is_named_after_its_misconception(key, wrong, named):
    right = CLOSE_RIGHT if key == "trace-fsm-close" else OPEN_RIGHT
    fb = checks.check(key, **{**right, **wrong})
    assert not fb.correct and fb.misconception.key == named, fb.text()
