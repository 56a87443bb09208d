"""The exercises of lessons 03 (why three ways) and 04 (TIME-WAIT and 2MSL).

Each exercise accepts the right answer, explains the typical mistakes with the
hint that fits them, and never raises, whatever it is given.
"""

import pytest

from tcplab import Flag, State, checks
from tcplab.exercises import stale_syn, time_wait
from tcplab.experiments import stale_syn_experiment, time_wait_run
from tcplab.widgets import ConnectionLab

LESSONS = {stale_syn.LESSON: ["stale-syn-rst", "stale-syn-two-way-state",
                              "stale-syn-listen-again", "stale-syn-experiment",
                              "stale-syn-time-wait", "stale-syn-lab"],
           time_wait.LESSON: ["time-wait-closed-at", "time-wait-lost-ack", "time-wait-no-wait",
                              "time-wait-clock-isn", "time-wait-old-segment",
                              "time-wait-lab"]}
ALL = [key for keys in LESSONS.values() for key in keys]

RIGHT = {
    "stale-syn-rst": dict(flags="RST", seq=501),
    "stale-syn-two-way-state": dict(a="CLOSED", b="ESTABLISHED"),
    "stale-syn-listen-again": dict(after=0.5),
    "time-wait-closed-at": dict(closed=63.1),
    "time-wait-lost-ack": dict(rto=1.0, closed=63.1),
    "time-wait-no-wait": dict(reply="RST", b="CLOSED"),
    "time-wait-clock-isn": dict(early=155_000, late=655_000),
    "time-wait-old-segment": dict(dead_by=1.34, reconnect=2.62),
}


def said(feedback) -> str:
    return "\n".join(feedback.lines)


def test_the_lessons_register_their_exercises_in_order():
    for lesson, keys in LESSONS.items():
        assert [e.key for e in checks.exercises(lesson, "answer")] == keys
    assert stale_syn.LESSON == "03-why-three-way"
    assert time_wait.LESSON == "04-time-wait-2msl"


@pytest.mark.parametrize("key", ALL)
def test_every_exercise_asks_and_waits_for_an_answer(key):
    question = checks.ask(key)
    assert f"checks.check('{key}'" in repr(question)
    feedback = checks.check(key)
    assert not feedback.correct and "no answer yet" in said(feedback)
    assert feedback._repr_html_().startswith("<div")


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_right_answers_are_accepted(key):
    feedback = checks.check(key, **RIGHT[key])
    assert feedback.correct, feedback.text()
    assert feedback.lines                       # the praise says why


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("junk", [None, "", "RST", 3, -1.5, True, [1], {"a": 1}, b"x",
                                  float("nan"), State.LISTEN, Flag.SYN, object()])
def test_any_answer_gets_feedback_never_an_exception(key, junk):
    parts = RIGHT.get(key) or {"lab": None}
    if key == "stale-syn-experiment":
        parts = {"two_way": None, "three_way": None}
    for name in parts:
        feedback = checks.check(key, **{name: junk})
        assert isinstance(feedback, checks.Feedback)
        assert feedback.lines
    assert not checks.check(key, nonsense=1).correct
    assert not checks.check(key, 1, 2).correct


# --------------------------------------------------------------------------- lesson 03

def test_stale_syn_rst_mistakes():
    fb = checks.check("stale-syn-rst", flags="ACK", seq=500)
    text = said(fb)
    assert not fb.correct
    assert "exactly what goes wrong with two segments" in text
    assert "500 is x, the number of the old SYN itself" in text
    text = said(checks.check("stale-syn-rst", flags="RST+ACK", seq=901))
    assert "carries no ACK of its own" in text and "RFC 9293 §3.10.7.1" in text
    assert "901 is y+1" in text
    text = said(checks.check("stale-syn-rst", flags="", seq=0))
    assert "two-way client" in text
    # a Flag, any spelling
    assert checks.check("stale-syn-rst", flags=Flag.RST, seq=501).correct
    assert checks.check("stale-syn-rst", flags=" rst ", seq=501).correct
    fb = checks.check("stale-syn-rst", flags=42, seq=501)
    assert not fb.correct and "Give the flags as text" in said(fb)


def test_stale_syn_two_way_state_mistakes():
    text = said(checks.check("stale-syn-two-way-state", a="ESTABLISHED", b="LISTEN"))
    assert "ignores a SYN+ACK it did not ask for" in text
    assert "That is the three-way ending" in text
    text = said(checks.check("stale-syn-two-way-state", a="TIME-WAIT", b="SYN-RECEIVED"))
    assert "TIME-WAIT (2MSL) was over" in text and "skips SYN-RECEIVED" in text
    assert checks.check("stale-syn-two-way-state", a=State.CLOSED,
                        b=State.ESTABLISHED).correct
    assert "not the name of a state" in said(checks.check("stale-syn-two-way-state",
                                                          a="SHUT", b="ESTABLISHED"))


def test_stale_syn_listen_again_mistakes():
    assert "one delay" in said(checks.check("stale-syn-listen-again", after=0.25))
    assert "three delays" in said(checks.check("stale-syn-listen-again", after=0.75))
    assert "timeout" in said(checks.check("stale-syn-listen-again", after=1))
    assert "number of seconds" in said(checks.check("stale-syn-listen-again", after="0.5"))


def test_stale_syn_experiment_answer_is_the_table_of_the_lesson():
    result = stale_syn_experiment()
    two, three = result["two-way"], result["three-way"]
    assert checks.check("stale-syn-experiment", two_way=two.established,
                        three_way=three.established).correct
    text = said(checks.check("stale-syn-experiment", two_way=two.stuck, three_way=1))
    assert "still waiting" in text and "A never confirms an old one" in text
    pct = round(100 * two.established / two.runs)
    assert "percentage" in said(checks.check("stale-syn-experiment", two_way=pct,
                                             three_way=0))
    assert "200 runs" in checks.ask("stale-syn-experiment").ex.question
    assert two.runs == 200


def test_stale_syn_lab_walkthrough():
    lab = ConnectionLab.from_scenario("stale-syn")
    fb = checks.check("stale-syn-lab", lab=lab)
    assert not fb.correct and "still held" in said(fb)
    lab.held_box.children[0].click()            # release the old SYN
    assert "has not reached it yet" in said(checks.check("stale-syn-lab", lab=lab))
    lab.step_button.click()                     # the SYN arrives: SYN-RECEIVED
    fb = checks.check("stale-syn-lab", lab=lab)
    assert not fb.correct and "SYN-RECEIVED" in said(fb)
    lab.run_button.click()                      # SYN+ACK, RST, LISTEN
    fb = checks.check("stale-syn-lab", lab=lab)
    assert fb.correct and lab.host("B").state is State.LISTEN
    # going on playing afterwards keeps the exercise solved
    lab.panels["A"].buttons["connect"].click()
    lab.run_button.click()
    fb = checks.check("stale-syn-lab", lab=lab)
    assert fb.correct and "went on playing" in said(fb)


def test_stale_syn_lab_other_labs():
    two = ConnectionLab.from_scenario("stale-syn-two-way")
    two.held_box.children[0].click()
    two.run_button.click()
    fb = checks.check("stale-syn-lab", lab=two)
    assert not fb.correct and "two-way handshake" in said(fb)
    plain = ConnectionLab()                       # nothing held, nothing released
    assert "holds no old SYN" in said(checks.check("stale-syn-lab", lab=plain))
    assert "not int" in said(checks.check("stale-syn-lab", lab=7))
    # a network works too
    assert not checks.check("stale-syn-lab", lab=two.net).correct


# --------------------------------------------------------------------------- lesson 04

def test_time_wait_closed_at_mistakes():
    assert "one MSL" in said(checks.check("time-wait-closed-at", closed=33.1))
    assert "add it to the time" in said(checks.check("time-wait-closed-at", closed=60))
    assert "not when that ACK arrives" in said(checks.check("time-wait-closed-at",
                                                            closed=63.2))


def test_time_wait_lost_ack_mistakes():
    text = said(checks.check("time-wait-lost-ack", rto=2, closed=62.1))
    assert "doubles only after a retransmission" in text
    assert "restarted A's timer" in text
    text = said(checks.check("time-wait-lost-ack", rto=0.2, closed=33.1))
    assert "at least 1 s" in text and "One MSL" in text
    assert "how many seconds after" in said(checks.check("time-wait-lost-ack", rto=3.0,
                                                         closed=63.1))


def test_time_wait_no_wait_mistakes():
    text = said(checks.check("time-wait-no-wait", reply="ACK", b="LAST-ACK"))
    assert "has deleted it" in text and "leaves LAST-ACK" in text
    text = said(checks.check("time-wait-no-wait", reply="nothing", b="TIME-WAIT"))
    assert "does not stay silent" in text and "closed second" in text
    fb = checks.check("time-wait-no-wait", reply="RST", b="CLOSED")
    assert "connection reset by A" in said(fb)


def test_time_wait_clock_isn_mistakes():
    text = said(checks.check("time-wait-clock-isn", early=620_000, late=2_620_000 * 4))
    assert "counts microseconds" in text and "a quarter of the microseconds" in text
    assert "first data byte" in said(checks.check("time-wait-clock-isn", early=155_001,
                                                  late=655_000))


def test_time_wait_old_segment_matches_the_story_of_the_lesson():
    run = time_wait_run(0.0)
    question = str(checks.ask("time-wait-old-segment"))
    assert f"t={run.slow_sent:g} s" in question and f"t={run.old_closed:g} s" in question
    assert f"MSL is {run.net.msl:g} s" in question
    text = said(checks.check("time-wait-old-segment", dead_by=run.fate_time,
                             reconnect=1.62))
    assert "did arrive" in text and "one MSL" in text
    text = said(checks.check("time-wait-old-segment", dead_by=2.34, reconnect=2.0))
    assert "at most one MSL" in text and "counted from t=0" in text


def test_time_wait_lab_walkthrough():
    lab = ConnectionLab.from_scenario("lost-last-ack")
    assert "waits in LAST-ACK" in said(checks.check("time-wait-lab", lab=lab))
    lab.step_button.click()                     # B's FIN arrives; A's last ACK is dropped
    assert "was dropped" in said(checks.check("time-wait-lab", lab=lab))
    lab.step_button.click()                     # B's retransmission timer
    assert "has repeated its FIN+ACK" in said(checks.check("time-wait-lab", lab=lab))
    lab.step_button.click()
    lab.step_button.click()                     # A's second ACK reaches B
    fb = checks.check("time-wait-lab", lab=lab)
    assert fb.correct and "still in TIME-WAIT" in said(fb)
    lab.run_button.click()                      # and 2MSL later
    fb = checks.check("time-wait-lab", lab=lab)
    assert fb.correct and "A is CLOSED" in said(fb)


def test_time_wait_lab_without_the_drop():
    lab = ConnectionLab.from_scenario("lost-last-ack")
    lab.fault_buttons["drop"].click()           # disarm: the last ACK gets through
    lab.run_button.click()
    fb = checks.check("time-wait-lab", lab=lab)
    assert not fb.correct and "got through" in said(fb)
    lab = ConnectionLab.from_scenario("close")
    assert not checks.check("time-wait-lab", lab=lab).correct


# ------------------------------------------------------------ lesson 03 §6: the old SYN in TIME-WAIT

def _old_syn_in_time_wait(sent_by_a: bytes = b""):
    """Lesson 03's story, the old SYN released at t = 10 s while A waits in TIME-WAIT."""
    from tcplab.session import LabConfig, Session
    from tcplab.stories import stale_syn_in_time_wait_script
    s = Session(LabConfig(), (("arm", "hold"),) + stale_syn_in_time_wait_script(sent_by_a))
    assert s.host("A").state is State.TIME_WAIT and s.host("B").state is State.LISTEN
    mark = len(s.net.trace)
    s.do("release", 0)
    s.do("run")
    return s, s.net.trace[mark:]


def test_an_old_syn_in_time_wait_gets_b_to_reset_a_with_seg_ack_and_ends_time_wait():
    s, records = _old_syn_in_time_wait()
    sent = [r.segment for r in records if r.kind == "send"]
    a_ack = next(x for x in sent if x.src == "A" and x.flags == Flag.ACK)
    b_rst = next(x for x in sent if x.src == "B" and Flag.RST in x.flags)
    assert a_ack.seq == 102 and a_ack.ack == 302              # A's own numbers: x+2, y+2
    assert b_rst.seq == a_ack.ack and b_rst.flags == Flag.RST   # <SEQ=SEG.ACK><CTL=RST>
    trace = s.net.trace
    assert trace.entered("A", State.CLOSED, after=10) < 11     # TIME-WAIT assassinated
    assert s.host("A").state is State.CLOSED and s.host("B").state is State.LISTEN
    assert State.ESTABLISHED not in s.host("B").history[-3:]


def test_an_old_syn_in_time_wait_out_of_b_s_window_gets_no_reset_from_b():
    s, records = _old_syn_in_time_wait(b"x" * 5000)          # A's numbers beyond B's window
    assert not any(r.kind == "send" and r.host == "B" and Flag.RST in r.segment.flags
                   for r in records)
    trace = s.net.trace
    tw = trace.entered("A", State.TIME_WAIT)
    assert trace.entered("A", State.CLOSED, after=tw) >= tw + 2 * s.net.msl - 1e-9
    assert s.host("B").state is State.LISTEN                   # freed only once A is CLOSED


def test_lesson_04s_fast_sender_runs_ahead_of_the_isn_clock_a_few_times_over():
    from tcplab.endpoint import clock_isn
    short = time_wait_run(0.0)
    fin = next(s for t, s in short.net.sent if s.src == "A" and Flag.FIN in s.flags)
    rate = (fin.seq - short.x1 - 1) / (short.old_closed - short.net.sent[0][0])
    ratio = rate / (clock_isn(1.0) - clock_isn(0.0))
    assert 2 < ratio < 8            # what lesson 04 prints ("4 times"), not twelve


def test_stale_syn_time_wait_right_and_hints():
    fb = checks.check("stale-syn-time-wait", flags="RST", seq=902, a="CLOSED")
    assert fb.correct and "TIME-WAIT assassination" in fb.lines[0]
    assert checks.check("stale-syn-time-wait", flags=Flag.RST, seq=902, a=State.CLOSED).correct
    fb = checks.check("stale-syn-time-wait", flags="RST+ACK", seq=502, a="TIME-WAIT")
    text = fb.text()
    assert not fb.correct and "<SEQ=SEG.ACK><CTL=RST>" in text and "not its seq" in text
    assert "tcp_rfc1337" in text
    fb = checks.check("stale-syn-time-wait", flags="ACK", seq=501, a="TIMED WAIT")
    assert "inside" in fb.lines[0] and "CLOSED A would send" in fb.lines[1]
    assert "TIME-WAIT" in fb.lines[2] and "RFC 1337" in fb.lines[2]
    fb = checks.check("stale-syn-time-wait", flags=None, seq=None, a=None)
    assert [line.split(":")[0] for line in fb.lines] == ["flags", "seq", "a"]


# --------------------------------------------------------------------------- variants

def _variant(key: str, **values):
    from tcplab.grading.variants import Variant
    return Variant("test", key, values)


def _checker(key: str):
    return next(e for e in checks.exercises() if e.key == key).checker


@pytest.mark.parametrize("t, b", [(2.5, "LAST-ACK"), (3.05, "LAST-ACK"), (3.15, "LAST-ACK"),
                                  (3.25, "CLOSED"), (60.0, "CLOSED")])
def test_time_wait_no_wait_asks_at_a_time_and_its_hints_follow_it(t, b):
    """Before A's reset reaches B (3.2 s) B still waits in LAST-ACK; after, it is CLOSED,
    and each wrong state's hint says when the reset arrives."""
    no_wait = _checker("time-wait-no-wait")
    v = _variant("time-wait-no-wait", t=t)
    assert no_wait(v, reply="RST", b=b).correct
    other = "CLOSED" if b == "LAST-ACK" else "LAST-ACK"
    text = said(no_wait(v, reply="RST", b=other))
    assert "reaches B only at t=3.2 s" in text if b == "LAST-ACK" else "at t=3.2 s" in text
    praise = said(no_wait(v, reply="RST", b=b))
    assert ("still waits in LAST-ACK" in praise) is (b == "LAST-ACK")


def test_stale_syn_two_way_state_is_asked_after_the_release_at_any_delay():
    two_way = _checker("stale-syn-two-way-state")
    for delay, after in [(0.05, 0.5), (0.4, 0.5), (0.4, 300.0)]:
        v = _variant("stale-syn-two-way-state", delay=delay, after=after)
        assert two_way(v, a="CLOSED", b="ESTABLISHED").correct, (delay, after)


def test_stale_syn_experiment_reads_the_students_own_seed():
    experiment = _checker("stale-syn-experiment")
    rows = stale_syn_experiment(seed=7).rows
    own = {r.handshake: r.established for r in rows}
    v = _variant("stale-syn-experiment", seed=7)
    assert experiment(v, two_way=own["two-way"], three_way=own["three-way"]).correct
    demo = stale_syn_experiment()["two-way"].established
    assert demo != own["two-way"]
    assert not experiment(v, two_way=demo, three_way=0).correct


def test_time_wait_clock_isn_times_are_read_exactly():
    """Every time a student may get is one the 4 µs clock reads without rounding down."""
    for t in time_wait._EARLY + time_wait._LATE:
        assert int(t * 250_000) == round(t / 4e-6), t
    clock = _checker("time-wait-clock-isn")
    v = _variant("time-wait-clock-isn", early=0.5, late=3.0)
    assert clock(v, early=125_000, late=750_000).correct
    assert "3 s divided into ticks" in said(clock(v, early=125_000, late=1))
    assert "counts microseconds" in said(clock(v, early=125_000, late=3_000_000))
