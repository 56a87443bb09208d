"""The kinds of exercise of issue 17: predictions, trace exercises (blanks, cards), explain.

The lessons' own exercises of each kind are tested beside their lessons; these tests
hold the framework to its promises with lesson 01's examples and small stories.
"""

import re

import pytest

import tcplab
from tcplab import Network, checks, stories
from tcplab.grading import explain, framework, predictions
from tcplab.grading.blanks import Blanks
from tcplab.grading.ordering import Cards, permutation
from tcplab.grading.segment_rows import rows_of

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fresh():
    framework.set_student(None)
    predictions.forget()
    yield
    framework.set_student(None)
    predictions.forget()
    tcplab.set_language("en")


# --------------------------------------------------------------------------- rows

def _close_rows():
    net, a, b = stories.closed_by("A")
    return rows_of(net)


def test_rows_read_the_segments_with_the_senders_state():
    net, a, b = stories.opened(a_iss=100, b_iss=300)
    rows = rows_of(net)
    assert [(r.src, r.flags, r.seq, r.ack, r.state) for r in rows] == [
        ("A", "SYN", 100, None, "SYN-SENT"),
        ("B", "SYN+ACK", 300, 101, "SYN-RECEIVED"),
        ("A", "ACK", 101, 301, "ESTABLISHED")]
    assert [r.n for r in rows] == [1, 2, 3]
    assert [r.occupies() for r in rows] == [1, 1, 0]


def test_rows_keep_a_retransmission():
    net, a, b = stories.lost_third_ack()
    rows = rows_of(net)
    again = [r for r in rows if r.flags == "SYN+ACK"]
    assert len(again) == 2 and again[0].seq == again[1].seq and again[1].time > again[0].time


# --------------------------------------------------------------------------- blanks

def test_a_blank_is_named_by_field_and_row():
    with pytest.raises(ValueError, match="like 'ack2'"):
        Blanks(("ack", "seq3"))
    with pytest.raises(ValueError):
        Blanks(("window2",))


def test_blanks_are_shown_as_names_and_judged_one_by_one():
    rows = _close_rows()
    fin = next(r for r in rows if r.flags == "FIN+ACK" and r.src == "A")
    names = (f"seq{fin.n}", f"state{fin.n}", f"flags{fin.n}")
    blanks = Blanks(names)
    shown = str(blanks.figure(rows))
    assert all(f"{n}=?" in shown for n in names)
    assert str(fin.seq) not in shown.splitlines()[fin.n]         # the blank hides it
    html = blanks.figure(rows)._repr_html_()
    assert "dashed" in html and f"seq{fin.n}=?" in html           # marked by more than colour
    right = blanks.judge(rows, {names[0]: fin.seq, names[1]: "fin-wait-1",
                                names[2]: "FIN+ACK"})
    assert right.correct, right.text()
    wrong = blanks.judge(rows, {names[0]: fin.seq + 1, names[1]: "CLOSE-WAIT", names[2]: "FIN"})
    assert not wrong.correct and wrong.score == 0
    assert "previous segment" in wrong.text()


def test_a_blank_ack_one_short_is_named_as_the_classic_mistake():
    said = checks.check("trace-handshake", ack2=100)
    assert "ack2=100 is not right" in said.text() and "NEXT number" in said.text()


def test_a_blank_given_as_text_for_a_number_is_answered_in_words():
    said = checks.check("trace-handshake", seq3="x+1")
    assert "seq3 should be a number" in said.text()


def test_a_part_that_is_not_a_blank_is_said():
    said = checks.check("trace-handshake", seq9=5)
    assert not said.correct and "no part called seq9" in said.text()


def test_the_question_shows_the_students_own_table():
    demo = repr(checks.ask("trace-handshake"))
    checks.student("Li Lei")
    mine = repr(checks.ask("trace-handshake"))
    assert demo != mine and "ack2=?" in mine and "state2=?" in mine
    x = checks.exercises(kind="trace")[0].variant()["x"]
    assert f"SYN       {x}" in mine


# --------------------------------------------------------------------------- cards

def test_a_shuffle_is_a_permutation_and_never_the_identity():
    for n in range(2, 8):
        for k in range(0, 200, 7):
            order = permutation(k, n)
            assert sorted(order) == list(range(n)) and order != list(range(n))
    assert permutation(0, 1) == [0]


def test_cards_hide_time_and_state():
    cards = Cards(_close_rows(), 77)
    text = str(cards)
    assert "state" not in text and "time" not in text
    assert "TIME-WAIT" not in text and "FIN-WAIT" not in text


def test_cards_in_sending_order_are_right_and_any_other_order_says_why():
    rows = _close_rows()
    cards = Cards(rows, 1234)
    assert cards.judge(cards.right()).correct
    swapped = cards.right()
    swapped[0], swapped[-1] = swapped[-1], swapped[0]
    said = cards.judge(swapped)
    assert not said.correct and "cannot come at place 1" in said.text()


def test_segments_sent_at_the_same_moment_may_come_in_either_order():
    net, a, b = stories.simultaneous_close()
    rows = rows_of(net)
    fins = [r for r in rows if "FIN" in r.flags]
    assert fins[0].time == fins[1].time
    cards = Cards(rows, 99)
    right = cards.right()
    i, j = right.index(cards.label(fins[0])), right.index(cards.label(fins[1]))
    other = list(right)
    other[i], other[j] = other[j], other[i]
    assert cards.judge(right).correct and cards.judge(other).correct


@pytest.mark.parametrize("bad", ["one two", [1, 1, 2], 3.5, [True, 2]])
def test_bad_card_orders_are_answered_in_words(bad):
    said = checks.check("order-handshake", order=bad)
    assert not said.correct
    assert "card numbers" in said.text() or "each card" in said.text()


def test_a_string_of_card_numbers_is_read():
    right = checks.exercises(kind="order")[0].shown().right()
    assert checks.check("order-handshake", order=" ".join(map(str, right))).correct
    assert checks.check("order-handshake", order=", ".join(map(str, right))).correct


# --------------------------------------------------------------------------- predictions

def _demo():
    net = Network(seed=0, delay=0.1)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run()
    return tcplab.sequence_diagram(net)


def test_a_reveal_is_folded_until_a_prediction_is_made():
    shown = checks.reveal("predict-b-after-syn", _demo())
    html = shown._repr_html_()
    assert html.startswith('<details class="tcplab-reveal" style')      # closed
    assert "data:image/svg+xml" in html        # the picture is there, behind the fold
    assert "predict" in repr(shown)


def test_a_prediction_is_noted_without_being_judged_then_compared_in_the_reveal():
    noted = checks.predict("predict-b-after-syn", state="ESTABLISHED", bits="SYN+ACK")
    assert "Prediction noted" in repr(noted) and "right" not in repr(noted)
    shown = checks.reveal("predict-b-after-syn", _demo())
    assert shown._repr_html_().startswith('<details class="tcplab-reveal" open')
    text = repr(shown)
    assert "TCP did otherwise" in text and "SYN-RECEIVED" in text
    checks.predict("predict-b-after-syn", state="syn-received", bits="SYN+ACK")
    assert "Your prediction was right" in repr(checks.reveal("predict-b-after-syn"))


def test_an_empty_prediction_notes_nothing_and_a_wrong_part_is_said():
    assert "No prediction yet" in repr(checks.predict("predict-b-after-syn", state=None))
    said = checks.predict("predict-b-after-syn", colour="red")
    assert "no part called colour" in repr(said)
    assert "tcplab-reveal\" style" in checks.reveal("predict-b-after-syn")._repr_html_()
    assert not checks.predict("no-such-prediction").correct


def test_a_prediction_is_an_exercise_of_its_kind_and_not_of_the_others():
    kinds = {e.key: e.kind for e in checks.exercises()}
    assert kinds["predict-b-after-syn"] == "predict"
    assert kinds["trace-handshake"] == "trace" and kinds["order-handshake"] == "order"
    assert kinds["handshake-syn-ack"] == "answer"
    with pytest.raises(ValueError):
        framework.exercise("x-bad-kind", "?", kind="guess")(lambda: None)


# --------------------------------------------------------------------------- explain

def test_the_model_answer_appears_only_after_an_answer_of_some_length():
    assert "A model answer" not in repr(checks.explain("explain-own-isn"))
    short = checks.explain("explain-own-isn", answer="old segments")
    assert "Say a little more" in repr(short) and "A model answer" not in repr(short)
    full = checks.explain("explain-own-isn", answer=(
        "Each side numbers its own bytes, and an old segment could be taken as new."))
    text = repr(full)
    assert "A model answer" in text and "RFC 6528" in text and text.count("☐") == 3
    assert "tcplab-explain" in full._repr_html_()


def test_an_explanation_counts_chinese_characters():
    assert explain.words("因为旧的报文段可能被当成新连接的数据") >= explain.MIN_WORDS
    assert explain.words("因为旧的") < explain.MIN_WORDS


@pytest.mark.parametrize("bad", [42, ["because"], b"because"])
def test_an_explanation_that_is_not_text_is_answered_in_words(bad):
    assert "text in quotes" in repr(checks.explain("explain-own-isn", answer=bad))


def test_an_unknown_explanation_lists_the_known_ones():
    said = checks.explain("why-not")
    assert not said.correct and "explain-own-isn" in said.text()
    assert any(e.key == "explain-own-isn" for e in checks.explanations("01-three-way-handshake"))


# --------------------------------------------------------------------------- Chinese

def test_every_kind_speaks_chinese():
    tcplab.set_language("zh")
    assert CJK.search(repr(checks.ask("trace-handshake")))
    assert CJK.search(checks.check("trace-handshake", ack2=1).text())
    assert CJK.search(checks.check("order-handshake", order=[1, 2, 3, 4, 5, 6, 7]).text())
    assert CJK.search(repr(checks.predict("predict-b-after-syn")))
    assert CJK.search(repr(checks.reveal("predict-b-after-syn")))
    checks.predict("predict-b-after-syn", state="LISTEN")
    assert CJK.search(repr(checks.reveal("predict-b-after-syn")))
    answered = repr(checks.explain("explain-own-isn", answer="因为旧的报文段可能被当成新连接的数据，而且"))
    assert CJK.search(answered) and "RFC 6528" in answered


def test_a_trace_filled_by_a_misconception_is_named_with_its_ladder():
    """ack = the last number received, in every blank: the misconception, not only "one
    short" four times."""
    from tcplab import misconceptions as mc
    m = mc.get("ack-names-last")
    answers = mc.predicted("trace-handshake", m)
    said = checks.check("trace-handshake", **answers)
    assert not said.correct and "classic misconception" in said.text()
    assert repr(said).startswith("✘")                  # the student's text, not a dataclass
    assert said._repr_html_().count("<svg") == 2


def test_a_prediction_a_misconception_makes_is_named_in_the_reveal():
    from tcplab import misconceptions as mc
    m = mc.get("fin-at-once")
    checks.predict("predict-b-after-fin", **mc.predicted("predict-b-after-fin", m))
    shown = checks.reveal("predict-b-after-fin")
    assert "classic misconception" in repr(shown) and "TCP did otherwise" in repr(shown)
    assert shown._repr_html_().count("<svg") == 2        # its ladder beside the real one
