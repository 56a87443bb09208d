"""An arriving segment, as RFC 9293 §3.10.7 ("SEGMENT ARRIVES") processes it.

:class:`SegmentArrives` is the part of :class:`~tcplab.endpoint.Endpoint` that handles a
segment once :meth:`Endpoint.receive` has it: per state (CLOSED, LISTEN, SYN-SENT), then
for SYN-RECEIVED and the synchronized states in the RFC's numbered steps (first: the
sequence number ... eighth: FIN).  It reads and changes the endpoint's TCB and takes
edges through the endpoint's one :meth:`~tcplab.endpoint.Endpoint._take`.  RFC 1122's
reopening of a connection from TIME-WAIT is here too.
"""

from __future__ import annotations

from types import SimpleNamespace

from . import seqnum
from .fsm import Event, State
from .segment import Flag, Segment
from .tcb import Tcb, Timer
from .text import N_
from .trace import words

__all__ = ["SegmentArrives"]

# State.X, Flag.X, Event.X and Timer.X are slow class attributes (an Enum's: each look-up
# is a call through its metaclass), read many times per segment: this path reads the
# same members from plain namespaces
S = SimpleNamespace(**State.__members__)
F = SimpleNamespace(**Flag.__members__)
E = SimpleNamespace(**Event.__members__)
T = SimpleNamespace(**Timer.__members__)

# the flags' bits, for the tests every segment passes: `F.ACK in seg.flags` is a call
# (Flag.__contains__), `seg.flags._value_ & _ACK` none
_ACK, _SYN, _FIN, _RST = F.ACK._value_, F.SYN._value_, F.FIN._value_, F.RST._value_

# the states whose segments' text is taken (RFC 9293 §3.10.7.4, seventh step)
_RECEIVING = (S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2)
# the states after our FIN, or the peer's and ours (fifth step, the ACK of our FIN)
_FIN_SENT = (S.FIN_WAIT_1, S.CLOSING, S.LAST_ACK, S.TIME_WAIT)


class SegmentArrives:
    """RFC 9293 §3.10.7 for :class:`~tcplab.endpoint.Endpoint` (a part of it, not alone)."""

    def _reset_for(self, seg: Segment, why: str) -> None:
        """Answer ``seg`` with the RST RFC 9293 §3.10.7.1 prescribes."""
        if F.ACK in seg.flags:
            self._emit(F.RST, seg.ack, to=seg.src)
        else:
            self._emit(F.RST | F.ACK, 0, seqnum.add(seg.seq, seg.len), to=seg.src)
        self._note("reply", words(N_("RST: {why}"), why=why), seg)

    def _closed(self, seg: Segment) -> None:
        if self.state is S.CLOSED:
            why = words(N_("{name} has no connection (CLOSED)"), name=self.name)
        else:
            why = words(N_("{name}'s connection is with {peer}, not {src}"), name=self.name,
                        peer=self.tcb.peer, src=seg.src)
        if F.RST in seg.flags:
            self._note("ignore", words(N_("an RST for no connection is dropped ({why})"),
                                       why=why), seg)
        elif self.handshake == "two-way" and seg.has(F.SYN | F.ACK):
            self._note("ignore", N_("two-way handshake: a SYN+ACK we did not ask for is "
                                    "ignored"), seg)
        else:
            self._reset_for(seg, why)

    def _synchronize(self, seg: Segment) -> None:
        """Take the peer's numbers from its SYN ``seg``."""
        tcb = self.tcb
        tcb.irs = seg.seq
        tcb.rcv_nxt = seqnum.add(seg.seq, 1)
        tcb.snd_wnd = seg.window

    def _listen(self, seg: Segment) -> None:
        if F.RST in seg.flags:
            self._note("ignore", N_("an RST in LISTEN is dropped"), seg)
        elif F.ACK in seg.flags:
            self._reset_for(seg, N_("an ACK to a listening endpoint acknowledges nothing"))
        elif F.SYN in seg.flags:
            tcb = self.tcb
            tcb.peer = seg.src
            tcb.opened = "passive"
            self._synchronize(seg)
            tcb.iss = tcb.snd_una = tcb.snd_nxt = self._choose_iss()
            self._take(E.RCV_SYN)
        else:
            self._note("ignore", N_("LISTEN waits for a SYN"), seg)

    def _syn_sent(self, seg: Segment) -> None:
        tcb = self.tcb
        ack_ok = False
        if F.ACK in seg.flags:
            if seqnum.le(seg.ack, tcb.iss) or seqnum.gt(seg.ack, tcb.snd_nxt):
                if F.RST in seg.flags:
                    self._note("ignore", N_("an RST whose ACK does not match our SYN"), seg)
                elif self.handshake == "two-way":
                    self._note("ignore", N_("two-way handshake: a SYN+ACK we did not ask "
                                            "for is ignored"), seg)
                else:
                    self._reset_for(seg, words(N_("ack={ack} does not acknowledge our SYN "
                                                  "(seq={iss})"), ack=seg.ack, iss=tcb.iss))
                return
            ack_ok = True
        if F.RST in seg.flags:
            if ack_ok:
                self.error = words(N_("connection refused: {peer} answered our SYN with RST"),
                                   peer=tcb.peer)
                self._note("notify", self.error, seg)
                self._take(E.RCV_RST)
            else:
                self._note("ignore", N_("an RST without ACK in SYN-SENT is dropped"), seg)
            return
        if F.SYN not in seg.flags:
            self._note("ignore", N_("SYN-SENT waits for a SYN"), seg)
            return
        self._synchronize(seg)
        if ack_ok:
            self._acknowledge(seg.ack)
        if seqnum.gt(tcb.snd_una, tcb.iss):
            self._take(E.RCV_SYN_ACK)
            if seg.data or F.FIN in seg.flags:
                self._text_and_fin(seg, seqnum.add(seg.seq, 1))
        else:
            self._take(E.RCV_SYN)   # simultaneous open

    # RFC 1122 §4.2.2.13: a new SYN may reopen the connection from TIME-WAIT
    def _reopen(self, seg: Segment) -> bool:
        """In TIME-WAIT, a SYN above the old connection's numbers reopens it
        (``time_wait_syn="reopen"``)."""
        old = self.tcb
        if not (self.time_wait_syn == "reopen" and seg.flags == F.SYN
                and seqnum.gt(seg.seq, seqnum.add(old.rcv_nxt, -1))):
            return False
        self._stop_timer(T.TIME_WAIT)
        self._note("notify", words(N_("a new SYN (seq={seq}, above the old connection's "
                                      "numbers) reopens the connection from TIME-WAIT "
                                      "(RFC 1122 §4.2.2.13)"), seq=seg.seq), seg)
        self.tcb = tcb = Tcb(self.rto_initial)
        tcb.before_reopen = old      # kept as it was, to go back to
        tcb.peer = old.peer
        tcb.opened = "reopened"      # not from LISTEN: a new SYN in its window is no reason
                                     # to listen again, and an RST sends it back to TIME-WAIT
        self._synchronize(seg)
        iss = self._choose_iss()
        if not seqnum.gt(iss, old.snd_nxt):   # above every number the old connection used
            iss = seqnum.add(old.snd_nxt, 2**16)
        tcb.iss = tcb.snd_una = tcb.snd_nxt = iss
        self._take(E.RCV_SYN)
        return True

    def _reopen_undone(self, seg: Segment) -> bool:
        """In SYN-RECEIVED, an RST answers the SYN+ACK of a reopened connection: the SYN
        was an old duplicate, so the connection goes back to TIME-WAIT as it was."""
        tcb = self.tcb
        if not (tcb.opened == "reopened" and F.RST in seg.flags
                and tcb.before_reopen is not None
                and seqnum.in_window(seg.seq, tcb.rcv_nxt, self.rcv_wnd)):
            return False
        self._note("notify", N_("the SYN that reopened the connection was an old duplicate: "
                                "back to TIME-WAIT (RFC 1122 §4.2.2.13)"), seg)
        saved, tcb.before_reopen = tcb.before_reopen, None
        self._take(E.RCV_RST)     # entering TIME-WAIT starts the 2MSL timer
        self.tcb = saved
        if saved.opened == "reopened":   # TIME-WAIT as it was, not itself a reopened attempt
            saved.opened = "active"
        return True

    # RFC 9293 §3.10.7.4: SYN-RECEIVED and the synchronized states, step by step.
    # Each step returns True when it has dealt with the segment (the rest are skipped).

    def _synchronized(self, seg: Segment) -> None:
        state = self.state
        if state is S.TIME_WAIT and self._reopen(seg):
            return
        if state is S.SYN_RECEIVED:
            if self._reopen_undone(seg):
                return
            seg = self._without_repeated_syn(seg)
        # third (security and compartment) and sixth (URG) are not modelled: this TCP has
        # neither, so every segment passes them.  The second and fourth steps concern an
        # RST or a SYN only: asked here, they cost the other segments (nearly all) no call
        flags = seg.flags._value_
        if ((not self._acceptable(seg) and self._first_sequence_number(seg))
                or (flags & _RST and self._second_rst(seg))
                or (flags & _SYN and self._fourth_syn(seg))
                or self._fifth_ack(seg)):
            return
        self._text_and_fin(seg, seg.seq)          # seventh and eighth

    def _without_repeated_syn(self, seg: Segment) -> Segment:
        """Simultaneous open (RFC 9293 Figure 7): in SYN-RECEIVED the peer's SYN+ACK
        repeats a SYN we already have; only its new part, the ACK, is processed."""
        if (seg.has(F.SYN | F.ACK) and F.RST not in seg.flags
                and seg.seq == self.tcb.irs):
            return Segment(seg.src, seg.dst, seg.flags & ~F.SYN, seqnum.add(seg.seq, 1),
                           seg.ack, seg.data, seg.window)
        return seg

    def _acceptable(self, seg: Segment) -> bool:
        rcv_nxt = self.tcb.rcv_nxt
        wnd = self.window                  # RCV.WND (rcv_wnd: a property, the same)
        length = seg.len
        if length == 0:
            return seqnum.in_window(seg.seq, rcv_nxt, wnd) or (
                wnd == 0 and seg.seq == rcv_nxt)
        last = seqnum.add(seg.seq, length - 1)
        return seqnum.in_window(seg.seq, rcv_nxt, wnd) or seqnum.in_window(last, rcv_nxt, wnd)

    def _first_sequence_number(self, seg: Segment) -> bool:
        """First: a segment outside the receive window is dropped (most are ACKed);
        ``seg`` is one (_synchronized asks :meth:`_acceptable` first)."""
        tcb = self.tcb
        state = self.state
        if (state is S.TIME_WAIT and F.FIN in seg.flags
                and F.RST not in seg.flags and seg.end == tcb.rcv_nxt):
            self._note("reply", N_("the peer's FIN again: our last ACK was lost"), seg)
            self._take(E.RCV_FIN)
            self._start_timer(T.TIME_WAIT, self.time_wait)
        elif state is S.SYN_RECEIVED and seg.flags == F.SYN and seg.seq == tcb.irs:
            self._note("reply", N_("the peer's SYN again: answer with our SYN+ACK again"), seg)
            self._emit(F.SYN | F.ACK, tcb.iss, tcb.rcv_nxt)
        elif F.RST in seg.flags:
            self._note("ignore", N_("an RST outside the receive window is dropped"), seg)
        elif seg.len == 0 and self._now - tcb.last_dupack < self.DUPACK_INTERVAL:
            # RFC 5961 §7: answer unacceptable empty segments at a limited rate, or two
            # endpoints that disagree about the numbers keep an ACK war going for ever
            self._note("ignore", words(N_("seq={seq} is outside the receive window; an ACK "
                                          "was sent just before, so none now (rate limit)"),
                                       seq=seg.seq), seg)
        else:
            if seg.len == 0:
                tcb.last_dupack = self._now
            self._emit(F.ACK, tcb.snd_nxt, tcb.rcv_nxt)
            self._note("reply", words(N_("seq={seq} is outside the receive window "
                                         "[{rcv_nxt}, +{rcv_wnd}): ACK and drop"),
                                      seq=seg.seq, rcv_nxt=tcb.rcv_nxt, rcv_wnd=self.rcv_wnd),
                       seg)
        return True

    def _second_rst(self, seg: Segment) -> bool:
        """Second: an RST (RFC 5961 §3 as adopted by RFC 9293) at RCV.NXT resets
        (``seg`` is an RST: _synchronized asks)."""
        tcb = self.tcb
        state = self.state
        if seg.seq != tcb.rcv_nxt:
            self._emit(F.ACK, tcb.snd_nxt, tcb.rcv_nxt)
            self._note("reply", N_("an RST inside the window but not at RCV.NXT: "
                                   "challenge ACK"), seg)
            return True
        if state is S.SYN_RECEIVED:
            if tcb.opened != "passive":
                self.error = words(N_("connection refused: {peer} answered with RST"),
                                   peer=tcb.peer)
            self._note("notify", words(N_("RST from {peer} in {state}"), peer=tcb.peer,
                                       state="SYN-RECEIVED"), seg)
        elif state is not S.TIME_WAIT:
            self.error = words(N_("connection reset by {peer} (RST in {state})"),
                               peer=tcb.peer, state=str(state))
            self._note("notify", self.error, seg)
        else:
            self._note("notify", words(N_("RST from {peer} in {state}"), peer=tcb.peer,
                                       state=str(state)), seg)
        self._take(E.RCV_RST)
        return True

    def _fourth_syn(self, seg: Segment) -> bool:
        """Fourth: a SYN in the window is answered (challenge ACK, or as the rule says;
        ``seg`` is a SYN: _synchronized asks)."""
        tcb = self.tcb
        state = self.state
        if (state is S.TIME_WAIT and self.time_wait_syn == "rfc793"
                and F.ACK not in seg.flags):
            self.error = words(N_("connection reset: a SYN from {peer} arrived in TIME-WAIT"),
                               peer=tcb.peer)
            # the reset answers the SYN (as a closed port would), so the sender's
            # SYN-SENT accepts it: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>
            self._reset_for(seg, N_("RFC 793: a SYN inside the window of TIME-WAIT is an "
                                    "error: reset"))
            self._take(E.RCV_SYN, perform=False)
        elif state is S.SYN_RECEIVED and tcb.opened == "passive":
            self._note("notify", N_("a new SYN in SYN-RECEIVED: the attempt is given up"), seg)
            self._take(E.RCV_SYN)
        else:
            self._emit(F.ACK, tcb.snd_nxt, tcb.rcv_nxt)
            self._note("reply", words(N_("a SYN in {state}: challenge ACK (RFC 5961)"),
                                      state=str(state)), seg)
        return True

    def _fifth_ack(self, seg: Segment) -> bool:
        """Fifth: the ACK field; it may complete the handshake or acknowledge our FIN."""
        if not seg.flags._value_ & _ACK:
            self._note("ignore", N_("a segment without ACK is dropped"), seg)
            return True
        tcb = self.tcb
        if self.state is S.SYN_RECEIVED:
            if not seqnum.between(tcb.snd_una, seg.ack, tcb.snd_nxt):
                self._reset_for(seg, words(N_("ack={ack} is not an acknowledgment of our "
                                              "SYN+ACK"), ack=seg.ack))
                return True
            self._acknowledge(seg.ack)
            tcb.snd_wnd = seg.window
            self._take(E.RCV_ACK)
        if seqnum.gt(seg.ack, tcb.snd_nxt):
            self._emit(F.ACK, tcb.snd_nxt, tcb.rcv_nxt)
            self._note("reply", words(N_("ack={ack} acknowledges something not yet sent"),
                                      ack=seg.ack), seg)
            return True
        if seqnum.ge(seg.ack, tcb.snd_una):
            self._acknowledge(seg.ack)
            tcb.snd_wnd = seg.window
        return self._closing_acked(seg)

    def _closing_acked(self, seg: Segment) -> bool:
        """Fifth, for the states after our FIN: an ACK of it moves on."""
        state = self.state
        if state not in _FIN_SENT:       # (most segments: nothing of our FIN to check)
            return False
        tcb = self.tcb
        fin_acked = tcb.fin_seq is not None and seqnum.gt(tcb.snd_una, tcb.fin_seq)
        # does this segment's FIN get processed now (all data before it is here)?
        fin_now = (seg.flags._value_ & _FIN and seqnum.le(seg.seq, tcb.rcv_nxt)
                   and seqnum.ge(seqnum.add(seg.seq, len(seg.data)), tcb.rcv_nxt))
        if state is S.FIN_WAIT_1 and fin_acked and not fin_now:
            self._take(E.RCV_ACK)
        elif state in (S.CLOSING, S.LAST_ACK) and fin_acked:
            self._take(E.RCV_ACK)
            return True
        elif state in (S.CLOSING, S.LAST_ACK, S.TIME_WAIT):
            self._after_fin(seg)
            return True
        return False

    def _acknowledge(self, ack: int) -> None:
        """SND.UNA advances to ``ack``: drop what it covers, measure, restart timers."""
        tcb = self.tcb
        if not seqnum.gt(ack, tcb.snd_una):
            return
        sample = None
        rtx = tcb.rtx
        while rtx and seqnum.le(rtx[0].end, ack):
            u = rtx.pop(0)
            if not u.retransmitted and sample is None:   # Karn: never a retransmission
                sample = self._now - u.sent_at
        tcb.snd_una = ack
        rtt = tcb.rtt if sample is None else tcb.rtt.sampled(sample)
        tcb.retries = 0
        tcb.rtt = rtt.settled(self.rto_initial, self.rto_max)
        if rtx:
            self._start_timer(T.RETRANSMIT, tcb.rtt.rto)
            if self.user_timeout is not None:
                self._start_timer(T.USER, self.user_timeout)
        else:
            self._stop_timer(T.RETRANSMIT)
            self._stop_timer(T.USER)

    def _after_fin(self, seg: Segment) -> None:
        """Seventh and eighth once the peer's FIN is in (CLOSE-WAIT, CLOSING, LAST-ACK,
        TIME-WAIT): text is ignored without an answer ("This should not occur since a FIN
        has been received from the remote side. Ignore the segment text."); a FIN is
        acknowledged again.  Linux discards such text silently in CLOSE-WAIT, CLOSING and
        LAST-ACK (tcp_rcv_state_process, step 7), but in TIME-WAIT it answers every
        segment other than a bare ACK or RST at RCV.NXT with an ACK, rate-limited
        (tcp_timewait_state_process): there this model follows the RFC, not Linux."""
        if F.FIN in seg.flags:
            self.tcb.ack_needed = True
        elif seg.data:
            self._note("ignore", words(N_("{count} bytes of text after {peer}'s FIN: "
                                          "ignored, no answer (RFC 9293 §3.10.7.4, seventh "
                                          "step)"), count=len(seg.data), peer=self.tcb.peer),
                       seg)

    # seventh and eighth: text and FIN
    def _text_and_fin(self, seg: Segment, start: int) -> None:
        """Accept the data of ``seg`` (beginning at sequence number ``start``) and its FIN."""
        tcb = self.tcb
        if self.state not in _RECEIVING:
            self._after_fin(seg)
            return
        data = seg.data
        fin_at = seqnum.add(start, len(data)) if seg.flags._value_ & _FIN else None
        skip = seqnum.sub(tcb.rcv_nxt, start)
        if skip > 0:                       # trim what we already have
            data = data[skip:]
            start = tcb.rcv_nxt
        room = self.window - seqnum.sub(start, tcb.rcv_nxt)     # RCV.WND (as rcv_wnd)
        if len(data) > room:               # trim what lies beyond the window
            data = data[:max(room, 0)]
            fin_at = None
        if data or fin_at is not None:
            tcb.ack_needed = True
        if data:
            if start == tcb.rcv_nxt:
                self._deliver(data)
            else:
                tcb.reassembly.keep(start, data)
                self._note("ignore", words(N_("out of order: seq={seq} arrived before "
                                              "seq={rcv_nxt}; kept for later"), seq=start,
                                           rcv_nxt=tcb.rcv_nxt), seg)
        if fin_at is not None and seqnum.gt(fin_at, tcb.rcv_nxt):
            tcb.reassembly.fin = fin_at
        queue = tcb.reassembly
        if queue.segments or queue.fin is not None:    # (mostly empty: no call then)
            self._pull_reassembled()
        if fin_at is not None and fin_at == tcb.rcv_nxt:
            tcb.reassembly.fin = None
            self._fin_arrived()

    def _deliver(self, data: bytes) -> None:
        self._received += data
        self.tcb.rcv_nxt = seqnum.add(self.tcb.rcv_nxt, len(data))
        self._note("deliver", words(N_("{count} bytes to the application: {data}"),
                                    count=len(data),
                                    data=repr(data[:24]) + ("…" if len(data) > 24 else "")))

    def _pull_reassembled(self) -> None:
        queue = self.tcb.reassembly
        if queue.segments:
            for chunk in queue.pull(self.tcb.rcv_nxt):
                self._deliver(chunk)
        if queue.fin is not None and queue.fin_due(self.tcb.rcv_nxt):
            self._fin_arrived()

    def _fin_arrived(self) -> None:
        tcb = self.tcb
        tcb.rcv_nxt = seqnum.add(tcb.rcv_nxt, 1)
        tcb.ack_needed = True
        state = self.state
        if state is S.FIN_WAIT_1:
            fin_acked = tcb.fin_seq is not None and seqnum.gt(tcb.snd_una, tcb.fin_seq)
            self._take(E.RCV_FIN_ACK if fin_acked else E.RCV_FIN)
        elif state in (S.ESTABLISHED, S.FIN_WAIT_2):
            self._take(E.RCV_FIN)
