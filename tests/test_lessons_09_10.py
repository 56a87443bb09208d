"""Exercises of lessons 09 (model checker) and 10 (Wireshark)."""

from tcplab import checks


def test_wireshark_relative_numbers():
    assert checks.check("wireshark-relative-fin", fin_seq=41, fin_ack=1, b_ack=42).correct
    fb = checks.check("wireshark-relative-fin", fin_seq=40, fin_ack=1, b_ack=42)
    assert not fb.correct and "fin_seq=40 is not right" in fb.lines[0]
    assert "ISN" in fb.lines[0]
    fb = checks.check("wireshark-relative-fin", fin_seq=5041, fin_ack=9001, b_ack=5042)
    assert fb.score == 0
    assert not checks.check("wireshark-relative-fin", fin_seq="41").correct


def test_model_checker_bounds():
    assert checks.check("explore-no-copies", two_way=True, three_way=False).correct
    fb = checks.check("explore-no-copies", two_way=False, three_way=False)
    assert not fb.correct and fb.lines[0].startswith("two_way=False is not right")
    fb = checks.check("explore-no-copies", two_way=1, three_way=0)   # not booleans
    assert not fb.correct


def test_wireshark_relative_numbers_of_another_student():
    """Relative numbers do not depend on the ISNs, only on the bytes A sent."""
    from tcplab.grading.variants import Variant
    ex = next(e for e in checks.exercises() if e.key == "wireshark-relative-fin")
    v = Variant("some student", ex.key, dict(x=12340, y=45670, n=123))
    assert ex.checker(v, fin_seq=124, fin_ack=1, b_ack=125).correct
    assert not ex.checker(v, fin_seq=41, fin_ack=1, b_ack=42).correct
    # the absolute numbers: the ISNs not taken away
    assert ex.checker(v, fin_seq=12340 + 124, fin_ack=45671, b_ack=12340 + 125).score == 0


def test_without_any_retransmission_even_the_two_way_handshake_holds():
    """A student whose bounds let no timer expire: no second SYN, nothing to fool B."""
    from tcplab.grading.variants import Variant
    ex = next(e for e in checks.exercises() if e.key == "explore-no-copies")
    v = Variant("some student", ex.key, dict(in_flight=2, retransmissions=0, reorders=1))
    assert ex.checker(v, two_way=False, three_way=False).correct
    fb = ex.checker(v, two_way=True, three_way=False)
    assert not fb.correct and "no timer may expire" in fb.text()
    v = Variant("some student", ex.key, dict(in_flight=2, retransmissions=2, reorders=0))
    assert ex.checker(v, two_way=True, three_way=False).correct
