"""One connection's variables: the TCB (传输控制块, RFC 9293 §3.3.1).

A :class:`Tcb` holds everything an :class:`~tcplab.endpoint.Endpoint` knows about its
current connection: the sequence numbers, the queues, the round-trip estimate.  It is
the only list of those fields: :meth:`Tcb.copy` snapshots a connection (a reopen from
TIME-WAIT keeps the old one to go back to; the model checker copies whole endpoints)
and :meth:`Tcb.key` says what of it decides the future (the model checker's identity
of a state).  The endpoint's behaviour stays in ``endpoint.py``; here are only the
values and the two small algorithms that own a piece of them: the RTT estimate
(:class:`RttEstimator`, RFC 6298) and the reassembly of out-of-order data
(:class:`ReassemblyQueue`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from . import seqnum
from .segment import Flag

_SYN, _FIN = Flag.SYN._value_, Flag.FIN._value_
_NEVER = float("-inf")        # (a TCB is made a few times per connection: made once)

__all__ = ["Timer", "Tcb", "RttEstimator", "ReassemblyQueue", "Unacked"]


class Timer(StrEnum):
    """The endpoint's timers.  Each member is also its name as a plain string."""

    RETRANSMIT = "retransmit"
    TIME_WAIT = "time-wait"
    USER = "user"

    # Shown as the plain name it always was ('retransmit'), so outputs, traces and
    # reprs that print a timer read as before.
    __repr__ = str.__repr__


class Unacked(NamedTuple):
    """A segment sent and not yet acknowledged (an entry of the retransmission queue)."""

    seq: int
    flags: Flag
    data: bytes
    sent_at: float
    retransmitted: bool = False

    @property
    def end(self) -> int:
        """The sequence number just after it (its SYN and FIN count one each)."""
        flags = self.flags._value_      # a plain int: cheaper than `Flag.SYN in flags`
        return seqnum.add(self.seq, len(self.data) + ((flags & _SYN) != 0)
                          + ((flags & _FIN) != 0))

    def describe(self, synchronized: bool = False) -> str:
        """What the segment carries, as a timeout note names it (``synchronized``: the
        peer's SYN is in, so our SYN goes with an ACK: SYN+ACK)."""
        if Flag.SYN in self.flags:
            return "SYN+ACK" if synchronized else "SYN"
        if self.data and Flag.FIN in self.flags:
            return "data and FIN"
        return "FIN" if Flag.FIN in self.flags else "data"


class RttEstimator(NamedTuple):
    """The retransmission timeout of RFC 6298, as an immutable value.

    ``srtt``/``rttvar`` the smoothed round-trip time and its variation (None/0 before
    the first measurement); ``rto`` the current timeout (doubled by each expiry);
    ``syn_timed_out`` whether a SYN timed out (§5.7).  Karn's rule (no sample from a
    retransmitted segment) is the caller's: it only offers samples of segments sent once.
    """

    rto: float
    srtt: float | None = None
    rttvar: float = 0.0
    syn_timed_out: bool = False

    def sampled(self, r: float) -> "RttEstimator":
        """§2: the estimate after a measured round trip of ``r`` seconds."""
        srtt = self.srtt
        if srtt is None:
            return RttEstimator(self.rto, r, r / 2, self.syn_timed_out)
        return RttEstimator(self.rto, 0.875 * srtt + 0.125 * r,
                            0.75 * self.rttvar + 0.25 * abs(srtt - r), self.syn_timed_out)

    def computed(self, initial: float, maximum: float) -> float:
        """The timeout the estimate gives (``initial`` is also its lower bound)."""
        if self.srtt is None:
            # §5.7: after a SYN timed out, data starts with an RTO of 3 s
            return max(initial, 3.0) if self.syn_timed_out else initial
        return min(max(initial, self.srtt + 4 * self.rttvar), maximum)

    def settled(self, initial: float, maximum: float) -> "RttEstimator":
        """After an acknowledgment: the timeout is the computed one again (no backoff)."""
        rto = self.computed(initial, maximum)
        if rto == self.rto:
            return self
        return RttEstimator(rto, self.srtt, self.rttvar, self.syn_timed_out)

    def backed_off(self, maximum: float, *, syn: bool = False) -> "RttEstimator":
        """§5.5: after an expiry the timeout doubles, up to ``maximum`` (``syn``: the
        segment that timed out was a SYN)."""
        return RttEstimator(min(self.rto * 2, maximum), self.srtt, self.rttvar,
                            self.syn_timed_out or syn)


class ReassemblyQueue:
    """Data that arrived ahead of RCV.NXT, kept until the gap before it is filled."""

    __slots__ = ("segments", "fin")

    def __init__(self, segments: dict[int, bytes] | None = None, fin: int | None = None):
        self.segments = {} if segments is None else segments    # by sequence number
        self.fin = fin          # the sequence number of a FIN that came early

    def __eq__(self, other) -> bool:
        return (type(other) is ReassemblyQueue and other.segments == self.segments
                and other.fin == self.fin)

    __hash__ = None

    def __repr__(self) -> str:
        return f"ReassemblyQueue({self.segments!r}, fin={self.fin!r})"

    def keep(self, start: int, data: bytes) -> None:
        self.segments[start] = data

    def pull(self, rcv_nxt: int) -> list[bytes]:
        """Take out, in order, the data that now continues from ``rcv_nxt`` (each chunk
        advances it); drop what lies wholly before it."""
        chunks = []
        progress = True
        while progress and self.segments:
            progress = False
            for start in list(self.segments):
                chunk = self.segments[start]
                end = seqnum.add(start, len(chunk))
                if seqnum.le(end, rcv_nxt):
                    del self.segments[start]
                elif seqnum.le(start, rcv_nxt):
                    del self.segments[start]
                    chunk = chunk[seqnum.sub(rcv_nxt, start):]
                    chunks.append(chunk)
                    rcv_nxt = seqnum.add(rcv_nxt, len(chunk))
                    progress = True
        return chunks

    def fin_due(self, rcv_nxt: int) -> bool:
        """Whether the early FIN is next now (it is then taken out)."""
        if self.fin is not None and self.fin == rcv_nxt:
            self.fin = None
            return True
        return False

    def copy(self) -> "ReassemblyQueue":
        return ReassemblyQueue(self.segments.copy(), self.fin)


class Tcb:
    """The variables of one connection (RFC 9293 §3.3.1), and this model's bookkeeping.

    ``Tcb(rto)``: no connection yet, the retransmission timeout ``rto`` (RFC 6298's
    initial one); ``iss`` may keep the last connection's ISN for the reader."""

    def __init__(self, rto: float, iss: int | None = None):
        self.rtt = RttEstimator(rto)
        self.peer: str | None = None
        # how this connection was opened: "passive" (from LISTEN), "active" (connect(), or
        # a simultaneous open), "reopened" (a SYN reopened it from TIME-WAIT, RFC 1122);
        # the table's edges that depend on it carry the same word as Transition.when
        self.opened: str | None = None
        self.before_reopen: Tcb | None = None   # the TIME-WAIT connection a reopen replaced
        self.iss = iss
        self.irs: int | None = None
        self.snd_una = self.snd_nxt = 0
        self.snd_wnd = 0
        self.rcv_nxt = 0
        self.send_buffer = bytearray()       # accepted from the application, not yet sent
        self.rtx: list[Unacked] = []         # sent, not yet acknowledged
        self.fin_wanted = False              # close() was called
        self.fin_seq: int | None = None      # sequence number of our FIN, once sent
        self.reassembly = ReassemblyQueue()
        self.ack_needed = False
        self.last_dupack = _NEVER            # when an empty unacceptable segment was ACKed
        self.retries = 0             # retransmissions of the oldest unacknowledged segment

    @property
    def passive(self) -> bool | None:
        """True if opened from LISTEN, False if opened otherwise, None with no connection."""
        return None if self.opened is None else self.opened == "passive"

    @property
    def reopened(self) -> bool:
        return self.opened == "reopened"

    def __eq__(self, other) -> bool:
        return type(other) is Tcb and vars(other) == vars(self)

    __hash__ = None

    def __repr__(self) -> str:
        return "Tcb(" + ", ".join(f"{k}={v!r}" for k, v in vars(self).items()) + ")"

    def copy(self) -> "Tcb":
        """A copy that shares nothing mutable with this one."""
        new = object.__new__(Tcb)
        d = self.__dict__.copy()
        d["send_buffer"] = bytearray(self.send_buffer)
        d["rtx"] = self.rtx.copy()              # its entries are immutable
        d["reassembly"] = self.reassembly.copy()
        if self.before_reopen is not None:
            d["before_reopen"] = self.before_reopen.copy()
        new.__dict__ = d
        return new

    def key(self, now: float, dupack_interval: float) -> tuple:
        """Everything of the connection that decides what happens next, with times
        relative to ``now``: two TCBs with equal keys behave alike from now on."""
        before = self.before_reopen
        queue = self.reassembly
        return (
            self.peer, self.opened, self.iss, self.irs, self.snd_una,
            self.snd_nxt, self.snd_wnd, self.rcv_nxt, self.fin_wanted, self.fin_seq,
            self.ack_needed, self.rtt, self.retries, bytes(self.send_buffer),
            tuple((u.seq, u.flags.value, u.data, u.retransmitted, now - u.sent_at)
                  for u in self.rtx),
            tuple(sorted(queue.segments.items())) if queue.segments else (), queue.fin,
            (now - self.last_dupack) < dupack_interval,
            None if before is None else before.key(now, dupack_interval))
