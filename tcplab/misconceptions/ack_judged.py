"""The host of a misconception: an RST judged by its acknowledgment number.

A student who believes "an RST carries an acknowledgment number the peer checks" plays
TCP with one rule changed: in SYN-RECEIVED and the synchronized states, an arriving RST
is obeyed when its ACK field names our SND.NXT, and dropped otherwise, whatever its seq.
The truth (RFC 9293 §3.5.3, "Reset Processing"): in all states except SYN-SENT a reset
is validated by its SEQ field (in the window; RFC 5961 §3 narrows it to exactly
RCV.NXT); only in SYN-SENT, where the RST answers our first SYN, is it acceptable when
its ACK field acknowledges the SYN.  :func:`judge_resets_by_ack` gives one host of a
story this rule; everything else it does (what it sends) stays the library's.
"""

from __future__ import annotations

from dataclasses import replace

from ..endpoint import Endpoint
from ..segment import Flag, Segment
from ..text import N_

__all__ = ["AckJudgedResets", "judge_resets_by_ack"]


class AckJudgedResets(Endpoint):
    """An endpoint that judges an RST by its ACK field instead of its seq."""

    def _first_sequence_number(self, seg: Segment) -> bool:
        if Flag.RST in seg.flags:        # the mutant never looks at an RST's seq
            return False
        return super()._first_sequence_number(seg)

    def _second_rst(self, seg: Segment) -> bool:
        if Flag.RST not in seg.flags:
            return False
        if Flag.ACK in seg.flags and seg.ack == self.tcb.snd_nxt:
            # believed: handled as the library handles an RST at RCV.NXT
            return super()._second_rst(replace(seg, seq=self.tcb.rcv_nxt))
        self._note("ignore", N_("(misconception) an RST whose ACK field does not name our "
                                "SND.NXT is dropped"), seg)
        return True


def judge_resets_by_ack(host) -> None:
    """Make ``host`` (a story's host with its single endpoint) judge resets by their ACK."""
    endpoint = host.endpoint
    if type(endpoint) is not Endpoint:
        raise TypeError(f"expected a plain Endpoint, got {type(endpoint).__name__}")
    # the same object, with the mutant's rule: its state, TCB and timers are kept
    endpoint.__class__ = AckJudgedResets
