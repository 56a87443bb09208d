"""The misconception "an RST carries an acknowledgment number the peer checks": its host
really judges resets by their ACK field, and its answer in lesson 06 is named."""

from __future__ import annotations

import pytest

from tcplab import Flag, Segment, State, checks, misconceptions as mc
from tcplab.misconceptions.ack_judged import AckJudgedResets, judge_resets_by_ack
from tcplab.resets import in_state


def _reset_arrives(seq_offset: int, ack, mutant: bool) -> State:
    """A in ESTABLISHED receives an RST from B at RCV.NXT + ``seq_offset``, with ``ack``
    (None: no ACK bit; "snd_nxt": A's SND.NXT)."""
    net, a, b = in_state(State.ESTABLISHED)
    if mutant:
        judge_resets_by_ack(a)
    e = a.endpoint
    seq = (e.rcv_nxt + seq_offset) % 2**32
    if ack is None:
        rst = Segment("B", "A", Flag.RST, seq)
    else:
        rst = Segment("B", "A", Flag.RST | Flag.ACK, seq,
                      e.snd_nxt if ack == "snd_nxt" else ack)
    net.inject(rst)
    net.run(until=net.now + 0.2)
    return a.state


@pytest.mark.parametrize("seq_offset, ack, library, mutant", [
    (0, None, State.CLOSED, State.ESTABLISHED),          # at RCV.NXT, no ACK: obeyed
    (0, 12345, State.CLOSED, State.ESTABLISHED),         # at RCV.NXT, any ACK: obeyed
    (10**6, "snd_nxt", State.ESTABLISHED, State.CLOSED),  # far outside, "right" ACK: dropped
    (0, "snd_nxt", State.CLOSED, State.CLOSED),
])
def test_the_mutant_judges_resets_by_their_ack_the_library_by_their_seq(
        seq_offset, ack, library, mutant):
    assert _reset_arrives(seq_offset, ack, mutant=False) is library
    assert _reset_arrives(seq_offset, ack, mutant=True) is mutant


def test_only_a_plain_endpoint_is_given_the_rule():
    net, a, b = in_state(State.ESTABLISHED)
    judge_resets_by_ack(a)
    assert isinstance(a.endpoint, AckJudgedResets)
    with pytest.raises(TypeError):
        judge_resets_by_ack(a)


def test_its_answer_in_lesson_06_is_played_wrong_and_named():
    m = mc.get("rst-ack-checked")
    answers = mc.predicted("corner-rst-syn-received", m)
    assert answers["passive"] == "SYN-RECEIVED"       # A's <SEQ=SEG.ACK><CTL=RST> has no ACK
    fb = checks.check("corner-rst-syn-received", **answers)
    assert not fb.correct and fb.misconception is m
    assert "§3.5.3" in m.explained() and "SYN-SENT" in m.explained()
    assert "judged by its seq" in fb.text()


def test_the_abort_in_close_wait_played_as_a_close_is_named():
    m = mc.get("abort-is-close")
    answers = mc.predicted("corner-abort", m)
    assert answers["b"] == "TIME-WAIT" and "FIN" in answers["sends"]
    assert checks.check("corner-abort", **answers).misconception is m
