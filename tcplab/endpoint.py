"""One TCP endpoint, sans-IO (RFC 9293 §3.10).

An :class:`Endpoint` is a pure object.  It is told what happens — an
application call, a segment arriving, a timer expiring, each with the current
virtual time ``now`` — and answers with a list of :class:`Output` values:
segments to transmit, timers to start or stop, state changes and notes for
the trace.  It never sleeps, never touches a socket and never reads a clock;
the toy network (``tcplab.network``) or a test drives it.

Every state change goes through :meth:`Endpoint._take`, which looks the edge
up in the transition table (``tcplab.fsm``), enters its target through
:meth:`Endpoint._set_state` (the one place that appends to ``history`` and
emits a :class:`StateChange`) and performs the edge's action.

Application calls that the table does not allow raise
:class:`~tcplab.fsm.IllegalEvent` before anything changes.  A segment never
raises: whatever arrives is handled as RFC 9293 §3.10.7 says — processed,
acknowledged, answered with RST, or ignored — and a :class:`Note` says which.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from . import seqnum
from .fsm import Event, EventKind, State, Transition, lookup, table
from .segment import DEFAULT_WINDOW, Flag, Segment

__all__ = [
    "Endpoint", "Output", "Transmit", "StartTimer", "StopTimer", "StateChange", "Note",
    "RETRANSMIT", "TIME_WAIT", "USER", "clock_isn",
]

RETRANSMIT = "retransmit"
TIME_WAIT = "time-wait"
USER = "user"
TIMERS = (RETRANSMIT, TIME_WAIT, USER)


# --------------------------------------------------------------------------- outputs

@dataclass(frozen=True)
class Output:
    """Something the endpoint asks its driver to do or to record."""


@dataclass(frozen=True)
class Transmit(Output):
    segment: Segment
    retransmission: bool = False


@dataclass(frozen=True)
class StartTimer(Output):
    """Start (or restart) the named timer to expire ``delay`` seconds from now."""
    timer: str
    delay: float


@dataclass(frozen=True)
class StopTimer(Output):
    timer: str


@dataclass(frozen=True)
class StateChange(Output):
    transition: Transition

    @property
    def state(self) -> State:
        return self.transition.target


@dataclass(frozen=True)
class Note(Output):
    """A record for the trace.

    kinds: ``ignore`` (a segment dropped without answer), ``reply`` (a segment
    answered with ACK or RST without a state change), ``notify`` (the
    application is told something), ``deliver`` (bytes handed to the
    application), ``timer`` (a timer expired), ``give-up``.
    """
    kind: str
    text: str
    segment: Segment | None = None


def clock_isn(now: float) -> int:
    """RFC 793's ISN generator: a 32-bit clock whose low bit ticks every 4 µs."""
    return int(now * 250_000) % seqnum.MOD


@dataclass
class _Unacked:
    seq: int
    flags: Flag
    data: bytes
    sent_at: float
    retransmitted: bool = False

    @property
    def len(self) -> int:
        return len(self.data) + (Flag.SYN in self.flags) + (Flag.FIN in self.flags)

    @property
    def end(self) -> int:
        return seqnum.add(self.seq, self.len)


def _check_number(name: str, value, *, minimum: float = 0.0, integer: bool = False,
                  allow_zero: bool = True):
    ok_type = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, ok_type):
        kind = "a whole number" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if value < minimum or (not allow_zero and value == 0):
        raise ValueError(f"{name} must be {'>' if not allow_zero else '>='} {minimum}, "
                         f"got {value!r}")


# --------------------------------------------------------------------------- endpoint

class Endpoint:
    """A TCP endpoint named ``name``, holding at most one connection at a time.

    Parameters (all keyword):

    handshake     "three-way" (RFC 9293) or "two-way" (the lecture's broken
                  variant: the server is ESTABLISHED as soon as it answers a
                  SYN; the client sends no third segment and ignores a SYN+ACK
                  it did not ask for instead of answering RST)
    iss           the initial send sequence number: an int fixes it for every
                  connection; a callable ``f(now) -> int`` chooses one per
                  connection; None uses RFC 793's clock (:func:`clock_isn`)
    time_wait     how long TIME-WAIT lasts (2MSL), seconds
    mss           largest number of data bytes in one segment
    window        the receive window this endpoint advertises; the peer may
                  have at most this many bytes unacknowledged in flight
    rto_initial   the first retransmission timeout (RFC 6298: 1 s); also its
                  lower bound
    rto_max       the cap of the doubling retransmission timeout
    max_retries   retransmissions of one segment before giving up
    user_timeout  None, or how long data may stay unacknowledged before the
                  connection is given up (RFC 9293's user timeout)
    """

    #: at most one ACK per this many seconds answers empty unacceptable segments
    DUPACK_INTERVAL = 0.5

    def __init__(self, name: str, *, handshake: str = "three-way",
                 iss: int | Callable[[float], int] | None = None,
                 time_wait: float = 60.0, mss: int = 536, window: int = DEFAULT_WINDOW,
                 rto_initial: float = 1.0, rto_max: float = 60.0, max_retries: int = 6,
                 user_timeout: float | None = None, time_wait_syn: str = "challenge-ack"):
        if not isinstance(name, str) or not name:
            raise TypeError(f"an endpoint's name must be a non-empty string, got {name!r}")
        table(handshake, time_wait_syn=time_wait_syn)  # validates both
        if iss is None:
            self._iss_source: Callable[[float], int] = clock_isn
        elif callable(iss):
            self._iss_source = iss
        else:
            if isinstance(iss, bool) or not isinstance(iss, int):
                raise TypeError(f"iss must be a whole number in [0, 2**32), got {iss!r}")
            if not 0 <= iss < seqnum.MOD:
                raise ValueError(f"iss must be in [0, 2**32), got {iss}")
            fixed = iss
            self._iss_source = lambda now: fixed
        _check_number("time_wait", time_wait)
        _check_number("mss", mss, minimum=1, integer=True)
        _check_number("window", window, minimum=1, integer=True)
        if window >= 2**16:
            raise ValueError(f"window must be below 65536 (no window scaling), got {window}")
        _check_number("rto_initial", rto_initial, allow_zero=False)
        _check_number("rto_max", rto_max, minimum=rto_initial)
        _check_number("max_retries", max_retries, integer=True)
        if user_timeout is not None:
            _check_number("user_timeout", user_timeout, allow_zero=False)
        self.name = name
        self.handshake = handshake
        self.time_wait_syn = time_wait_syn
        self.time_wait = float(time_wait)
        self.mss = mss
        self.window = window
        self.rto_initial = float(rto_initial)
        self.rto_max = float(rto_max)
        self.max_retries = max_retries
        self.user_timeout = user_timeout

        self.state = State.CLOSED
        self.history: list[State] = [State.CLOSED]
        self.transitions: list[Transition] = []   # every edge taken, self-loops included
        self._received = bytearray()
        self.error: str | None = None
        self.timers: dict[str, float] = {}   # running timers: name -> deadline
        self._out: list[Output] = []
        self._now = 0.0
        self._clear_tcb()

    # ------------------------------------------------------------------ TCB

    def _clear_tcb(self) -> None:
        self.peer: str | None = None
        self.passive: bool | None = None   # how this connection was opened
        self.reopened = False              # a SYN reopened it from TIME-WAIT (RFC 1122)
        self._before_reopen: dict | None = None
        self.iss: int | None = None
        self.irs: int | None = None
        self.snd_una = self.snd_nxt = 0
        self.snd_wnd = 0
        self.rcv_nxt = 0
        self._send_buffer = bytearray()    # accepted from the application, not yet sent
        self._rtx: list[_Unacked] = []     # sent, not yet acknowledged
        self._fin_wanted = False           # close() was called
        self._fin_seq: int | None = None   # sequence number of our FIN, once sent
        self._ooo: dict[int, bytes] = {}   # out-of-order data, by sequence number
        self._ooo_fin: int | None = None   # sequence number of an early FIN
        self._ack_needed = False
        self._last_dupack = float("-inf")   # when an empty unacceptable segment was ACKed
        self._srtt: float | None = None
        self._rttvar = 0.0
        self._rto = self.rto_initial
        self._retries = 0
        self._syn_timed_out = False        # RFC 6298 §5.7

    @property
    def last_transition(self) -> Transition | None:
        """The edge of the table taken last (None before any)."""
        return self.transitions[-1] if self.transitions else None

    @property
    def received(self) -> bytes:
        """All bytes delivered to the application, in order, across connections."""
        return bytes(self._received)

    @property
    def rcv_wnd(self) -> int:
        return self.window

    @property
    def unsent(self) -> bytes:
        """Data the application handed over that has not been sent yet."""
        return bytes(self._send_buffer)

    @property
    def unacked(self) -> int:
        """Sequence numbers sent but not acknowledged yet."""
        return seqnum.sub(self.snd_nxt, self.snd_una) if self.iss is not None else 0

    def legal_calls(self) -> tuple[Event, ...]:
        """The application calls the table allows now."""
        from .fsm import legal_events
        return legal_events(self.state, EventKind.CALL, self.handshake,
                            time_wait_syn=self.time_wait_syn)

    def __repr__(self) -> str:
        return f"<Endpoint {self.name} {self.state}>"


    # ------------------------------------------------------------------ the one place states change

    def _lookup(self, event: Event) -> Transition:
        return lookup(self.state, event, passive=self.passive, handshake=self.handshake,
                      time_wait_syn=self.time_wait_syn,
                      opened="reopened" if self.reopened else None)

    def _set_state(self, transition: Transition) -> None:
        """Enter ``transition.target``: the only assignment to ``self.state``."""
        old = self.state
        self.state = transition.target
        self.transitions.append(transition)
        if transition.target is not old:
            self.history.append(transition.target)
        self._out.append(StateChange(transition))
        if transition.target is not old:
            self._on_enter(old, transition.target)

    def _take(self, event: Event, *, perform: bool = True) -> Transition:
        """Take the table's edge for ``event``: enter its target, then do its action
        (``perform=False``: the caller has already sent what the action names)."""
        t = self._lookup(event)
        if not perform:
            self._set_state(t)
            return t
        if t.action == "RST":              # while the TCB still holds the numbers
            self._emit(Flag.RST | Flag.ACK, self.snd_nxt, self.rcv_nxt)
        self._set_state(t)
        if event is Event.TIMEOUT_RETRANSMIT:
            self._retransmit_oldest()
        elif t.action == "SYN":
            self._send_syn(ack=False)
        elif t.action == "SYN+ACK":
            self._send_syn(ack=True)
        elif t.action == "ACK":
            self._ack_needed = True
        elif t.action == "FIN":
            self._fin_wanted = True
        return t

    def _on_enter(self, old: State, new: State) -> None:
        if new in (State.CLOSED, State.LISTEN):
            for name in list(self.timers):
                self._stop_timer(name)
            iss = self.iss                 # kept for the reader: the last connection's ISN
            self._clear_tcb()
            self.iss = iss
            if new is State.CLOSED and old is not State.LISTEN:
                self._note("notify", "connection closed" if self.error is None
                           else f"connection closed: {self.error}")
        elif new is State.TIME_WAIT:
            self._stop_timer(RETRANSMIT)
            self._stop_timer(USER)
            self._start_timer(TIME_WAIT, self.time_wait)
        elif new is State.ESTABLISHED:
            self._note("notify", "connection established")
        elif new is State.CLOSE_WAIT:
            self._note("notify", f"{self.peer} has closed its direction (FIN): "
                                 "no more data will come")

    # ------------------------------------------------------------------ plumbing

    def _begin(self, now: float) -> None:
        if isinstance(now, bool) or not isinstance(now, (int, float)):
            raise TypeError(f"now must be a number of seconds, got {now!r}")
        self._now = float(now)
        self._out = []

    def _finish(self) -> list[Output]:
        self._push()
        if self._ack_needed:
            self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
        out, self._out = self._out, []
        return out

    def _note(self, kind: str, text: str, segment: Segment | None = None) -> None:
        self._out.append(Note(kind, text, segment))

    def _emit(self, flags: Flag, seq: int, ack: int = 0, data: bytes = b"",
              retransmission: bool = False, to: str | None = None) -> Segment:
        if Flag.ACK not in flags:
            ack = 0
        seg = Segment(self.name, to or self.peer or "?", flags, seq, ack, data, self.window)
        self._out.append(Transmit(seg, retransmission))
        if Flag.ACK in flags and to is None:
            self._ack_needed = False
        return seg

    def _start_timer(self, name: str, delay: float) -> None:
        self.timers[name] = self._now + delay
        self._out.append(StartTimer(name, delay))

    def _stop_timer(self, name: str) -> None:
        if name in self.timers:
            del self.timers[name]
            self._out.append(StopTimer(name))

    # ------------------------------------------------------------------ application calls

    def listen(self, *, now: float = 0.0) -> list[Output]:
        """Passive open (被动打开): wait for a connection request."""
        self._begin(now)
        self._take(Event.LISTEN)
        self.error = None
        return self._finish()

    def connect(self, peer: str, *, now: float = 0.0) -> list[Output]:
        """Active open (主动打开): send a SYN to ``peer``."""
        if not isinstance(peer, str) or not peer:
            raise TypeError(f"connect() needs the peer's name as a string, such as 'B'; "
                            f"got {peer!r}")
        if peer == self.name:
            raise ValueError(f"{self.name} cannot connect to itself; name another host")
        self._begin(now)
        self._lookup(Event.CONNECT)       # raises before anything changes
        self._clear_tcb()
        self.error = None
        self.peer = peer
        self.passive = False
        self.iss = self._choose_iss()
        self.snd_una = self.iss
        self.snd_nxt = self.iss
        self._take(Event.CONNECT)
        return self._finish()

    def send(self, data: bytes, *, now: float = 0.0) -> list[Output]:
        """Hand ``data`` to TCP; it is sent when the connection and window allow."""
        if isinstance(data, str):
            raise TypeError("send() takes bytes, not str: write b'hello' or "
                            "'hello'.encode()")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"send() takes bytes, got {type(data).__name__}")
        if len(data) == 0:
            raise ValueError("send() needs at least one byte")
        self._begin(now)
        self._lookup(Event.SEND)
        self._send_buffer += bytes(data)
        self._take(Event.SEND)
        return self._finish()

    def close(self, *, now: float = 0.0) -> list[Output]:
        """Close our direction: no more data to send (FIN after what is queued)."""
        self._begin(now)
        self._take(Event.CLOSE)
        return self._finish()

    def abort(self, *, now: float = 0.0) -> list[Output]:
        """Give the connection up at once: RST if the peer knows of it, then CLOSED."""
        self._begin(now)
        self._lookup(Event.ABORT)
        self._take(Event.ABORT)
        return self._finish()

    # ------------------------------------------------------------------ timers

    def timer_expired(self, timer: str, *, now: float = 0.0) -> list[Output]:
        """The named timer (see :attr:`timers`) has expired."""
        self._begin(now)
        if timer not in self.timers:
            self._note("ignore", f"{timer} timer was not running")
            return self._finish()
        del self.timers[timer]
        if timer == RETRANSMIT:
            self._on_retransmission_timeout()
        elif timer == TIME_WAIT:
            self._note("timer", "2MSL timer expired: TIME-WAIT is over")
            self._take(Event.TIMEOUT_2MSL)
        elif timer == USER:
            self.error = (f"user timeout: data stayed unacknowledged for "
                          f"{self.user_timeout:g} s")
            self._note("give-up", self.error)
            self._take(Event.TIMEOUT_USER)
        return self._finish()

    def _on_retransmission_timeout(self) -> None:
        if not self._rtx:
            return
        if self._retries >= self.max_retries:
            what = self._describe_unacked(self._rtx[0])
            self.error = (f"gave up after {self._retries} retransmissions of the {what}: "
                          f"no answer from {self.peer}")
            self._note("give-up", self.error)
            self._take(Event.GIVE_UP)
            return
        if Flag.SYN in self._rtx[0].flags:
            self._syn_timed_out = True
        self._retries += 1
        self._rto = min(self._rto * 2, self.rto_max)
        self._note("timer", f"retransmission timeout: send the "
                            f"{self._describe_unacked(self._rtx[0])} again "
                            f"(try {self._retries} of {self.max_retries}, next timeout "
                            f"{self._rto:g} s)")
        self._take(Event.TIMEOUT_RETRANSMIT)

    @staticmethod
    def _describe_unacked(u: _Unacked) -> str:
        if Flag.SYN in u.flags:
            return "SYN"
        if u.data and Flag.FIN in u.flags:
            return "data and FIN"
        return "FIN" if Flag.FIN in u.flags else "data"

    # ------------------------------------------------------------------ sending

    def _choose_iss(self) -> int:
        value = self._iss_source(self._now)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < seqnum.MOD:
            raise ValueError(f"the ISN generator must give an int in [0, 2**32), got {value!r}")
        return value

    def _send_syn(self, ack: bool) -> None:
        """Send our SYN (with ACK in SYN-RECEIVED); it is the first retransmittable segment."""
        if not self._rtx or Flag.SYN not in self._rtx[0].flags:
            self.snd_nxt = seqnum.add(self.iss, 1)
            if self.handshake == "two-way" and ack:
                # The two-way server counts its SYN as accepted as soon as it is sent.
                self.snd_una = self.snd_nxt
            else:
                self._queue_rtx(_Unacked(self.iss, Flag.SYN, b"", self._now))
        flags = Flag.SYN | Flag.ACK if ack else Flag.SYN
        self._emit(flags, self.iss, self.rcv_nxt if ack else 0)

    def _queue_rtx(self, entry: _Unacked) -> None:
        self._rtx.append(entry)
        if RETRANSMIT not in self.timers:
            self._start_timer(RETRANSMIT, self._rto)
        if self.user_timeout is not None and USER not in self.timers:
            self._start_timer(USER, self.user_timeout)

    def _retransmit_oldest(self) -> None:
        u = self._rtx[0]
        u.retransmitted = True
        flags = u.flags
        if self.irs is not None:
            flags |= Flag.ACK
        self._emit(flags, u.seq, self.rcv_nxt, u.data, retransmission=True)
        self._start_timer(RETRANSMIT, self._rto)

    def _push(self) -> None:
        """Send what the window allows of the queued data, then our FIN if it is due."""
        if self.iss is None or self.state in (State.CLOSED, State.LISTEN, State.SYN_SENT):
            return
        synchronized = self.irs is not None and seqnum.gt(self.snd_una, self.iss)
        if synchronized:
            while self._send_buffer:
                in_flight = seqnum.sub(self.snd_nxt, self.snd_una)
                room = min(self.snd_wnd, self.window) - in_flight
                if room <= 0:
                    break
                chunk = bytes(self._send_buffer[:min(self.mss, room)])
                del self._send_buffer[:len(chunk)]
                self._queue_rtx(_Unacked(self.snd_nxt, Flag.ACK, chunk, self._now))
                self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt, chunk)
                self.snd_nxt = seqnum.add(self.snd_nxt, len(chunk))
        if (self._fin_wanted and self._fin_seq is None and not self._send_buffer
                and self.state in (State.FIN_WAIT_1, State.CLOSING, State.LAST_ACK)):
            self._fin_seq = self.snd_nxt
            self._queue_rtx(_Unacked(self.snd_nxt, Flag.FIN | Flag.ACK, b"", self._now))
            self._emit(Flag.FIN | Flag.ACK, self.snd_nxt, self.rcv_nxt)
            self.snd_nxt = seqnum.add(self.snd_nxt, 1)

    # ------------------------------------------------------------------ arriving segments

    def receive(self, segment: Segment, *, now: float = 0.0) -> list[Output]:
        """A segment arrives.  Never raises for any well-formed Segment."""
        if not isinstance(segment, Segment):
            raise TypeError(f"receive() takes a tcplab.Segment, got {type(segment).__name__}")
        self._begin(now)
        seg = segment
        if seg.dst != self.name:
            self._note("ignore", f"addressed to {seg.dst}, not to {self.name}", seg)
        elif self.state is State.CLOSED or (self.peer is not None and seg.src != self.peer):
            self._closed(seg)
        elif self.state is State.LISTEN:
            self._listen(seg)
        elif self.state is State.SYN_SENT:
            self._syn_sent(seg)
        else:
            self._synchronized(seg)
        return self._finish()

    def _reset_for(self, seg: Segment, why: str) -> None:
        """Answer ``seg`` with the RST RFC 9293 §3.10.7.1 prescribes."""
        if Flag.ACK in seg.flags:
            self._emit(Flag.RST, seg.ack, to=seg.src)
        else:
            self._emit(Flag.RST | Flag.ACK, 0, seqnum.add(seg.seq, seg.len), to=seg.src)
        self._note("reply", f"RST: {why}", seg)

    def _closed(self, seg: Segment) -> None:
        if self.state is State.CLOSED:
            why = f"{self.name} has no connection (CLOSED)"
        else:
            why = f"{self.name}'s connection is with {self.peer}, not {seg.src}"
        if Flag.RST in seg.flags:
            self._note("ignore", f"an RST for no connection is dropped ({why})", seg)
        elif self.handshake == "two-way" and seg.has(Flag.SYN | Flag.ACK):
            self._note("ignore", "two-way handshake: a SYN+ACK we did not ask for is ignored",
                       seg)
        else:
            self._reset_for(seg, why)

    def _listen(self, seg: Segment) -> None:
        if Flag.RST in seg.flags:
            self._note("ignore", "an RST in LISTEN is dropped", seg)
        elif Flag.ACK in seg.flags:
            self._reset_for(seg, "an ACK to a listening endpoint acknowledges nothing")
        elif Flag.SYN in seg.flags:
            self.peer = seg.src
            self.passive = True
            self.irs = seg.seq
            self.rcv_nxt = seqnum.add(seg.seq, 1)
            self.snd_wnd = seg.window
            self.iss = self._choose_iss()
            self.snd_una = self.snd_nxt = self.iss
            self._take(Event.RCV_SYN)
        else:
            self._note("ignore", "LISTEN waits for a SYN", seg)

    def _syn_sent(self, seg: Segment) -> None:
        ack_ok = False
        if Flag.ACK in seg.flags:
            if seqnum.le(seg.ack, self.iss) or seqnum.gt(seg.ack, self.snd_nxt):
                if Flag.RST in seg.flags:
                    self._note("ignore", "an RST whose ACK does not match our SYN", seg)
                elif self.handshake == "two-way":
                    self._note("ignore", "two-way handshake: a SYN+ACK we did not ask "
                                         "for is ignored", seg)
                else:
                    self._reset_for(seg, f"ack={seg.ack} does not acknowledge our SYN "
                                         f"(seq={self.iss})")
                return
            ack_ok = True
        if Flag.RST in seg.flags:
            if ack_ok:
                self.error = f"connection refused: {self.peer} answered our SYN with RST"
                self._note("notify", self.error, seg)
                self._take(Event.RCV_RST)
            else:
                self._note("ignore", "an RST without ACK in SYN-SENT is dropped", seg)
            return
        if Flag.SYN not in seg.flags:
            self._note("ignore", "SYN-SENT waits for a SYN", seg)
            return
        self.irs = seg.seq
        self.rcv_nxt = seqnum.add(seg.seq, 1)
        self.snd_wnd = seg.window
        if ack_ok:
            self._acknowledge(seg.ack)
        if seqnum.gt(self.snd_una, self.iss):
            self._take(Event.RCV_SYN_ACK)
            if seg.data or Flag.FIN in seg.flags:
                self._text_and_fin(seg, seqnum.add(seg.seq, 1))
        else:
            self._take(Event.RCV_SYN)   # simultaneous open

    def _reopen(self, seg: Segment) -> None:
        """RFC 1122 §4.2.2.13: a new SYN reopens the connection from TIME-WAIT."""
        saved = {k: copy.deepcopy(self.__dict__[k]) for k in _TCB_FIELDS}
        old_nxt = self.snd_nxt
        self._stop_timer(TIME_WAIT)
        self._note("notify", f"a new SYN (seq={seg.seq}, above the old connection's numbers) "
                             "reopens the connection from TIME-WAIT (RFC 1122 §4.2.2.13)", seg)
        peer = self.peer
        self._clear_tcb()
        self._before_reopen = saved
        self.peer = peer
        self.passive = False         # not from LISTEN: a new SYN in its window is no reason
        self.reopened = True         # to listen again, and an RST sends it back to TIME-WAIT
        self.irs = seg.seq
        self.rcv_nxt = seqnum.add(seg.seq, 1)
        self.snd_wnd = seg.window
        iss = self._choose_iss()
        if not seqnum.gt(iss, old_nxt):   # above every number the old connection used
            iss = seqnum.add(old_nxt, 2**16)
        self.iss = iss
        self.snd_una = self.snd_nxt = iss
        self._take(Event.RCV_SYN)

    # RFC 9293 §3.10.7.4: SYN-RECEIVED and the synchronized states
    def _acceptable(self, seg: Segment) -> bool:
        wnd = self.rcv_wnd
        if seg.len == 0:
            return seqnum.in_window(seg.seq, self.rcv_nxt, wnd) or (
                wnd == 0 and seg.seq == self.rcv_nxt)
        last = seqnum.add(seg.seq, seg.len - 1)
        return (seqnum.in_window(seg.seq, self.rcv_nxt, wnd)
                or seqnum.in_window(last, self.rcv_nxt, wnd))

    def _synchronized(self, seg: Segment) -> None:
        state = self.state
        if (state is State.TIME_WAIT and self.time_wait_syn == "reopen"
                and seg.flags == Flag.SYN and seqnum.gt(seg.seq, seqnum.add(self.rcv_nxt, -1))):
            self._reopen(seg)
            return
        if (state is State.SYN_RECEIVED and self.reopened and Flag.RST in seg.flags
                and self._before_reopen is not None
                and seqnum.in_window(seg.seq, self.rcv_nxt, self.rcv_wnd)):
            self._note("notify", "the SYN that reopened the connection was an old duplicate: "
                                 "back to TIME-WAIT (RFC 1122 §4.2.2.13)", seg)
            saved, self._before_reopen = self._before_reopen, None
            self._take(Event.RCV_RST)
            self.__dict__.update(saved)
            self.reopened = False
            self._start_timer(TIME_WAIT, self.time_wait)
            return
        if (state is State.SYN_RECEIVED and seg.has(Flag.SYN | Flag.ACK)
                and Flag.RST not in seg.flags and seg.seq == self.irs):
            # Simultaneous open (RFC 9293 Figure 8): the peer's SYN+ACK repeats a SYN we
            # already have; only its new part, the ACK, is processed.
            seg = Segment(seg.src, seg.dst, seg.flags & ~Flag.SYN, seqnum.add(seg.seq, 1),
                          seg.ack, seg.data, seg.window)
        # first: the sequence number
        if not self._acceptable(seg):
            if (state is State.TIME_WAIT and Flag.FIN in seg.flags
                    and Flag.RST not in seg.flags and seg.end == self.rcv_nxt):
                self._note("reply", "the peer's FIN again: our last ACK was lost", seg)
                self._take(Event.RCV_FIN)
                self._start_timer(TIME_WAIT, self.time_wait)
            elif (state is State.SYN_RECEIVED and seg.flags == Flag.SYN
                    and seg.seq == self.irs):
                self._note("reply", "the peer's SYN again: answer with our SYN+ACK again", seg)
                self._emit(Flag.SYN | Flag.ACK, self.iss, self.rcv_nxt)
            elif Flag.RST in seg.flags:
                self._note("ignore", "an RST outside the receive window is dropped", seg)
            elif seg.len == 0 and self._now - self._last_dupack < self.DUPACK_INTERVAL:
                # RFC 5961 §7: answer unacceptable empty segments at a limited rate, or two
                # endpoints that disagree about the numbers keep an ACK war going for ever
                self._note("ignore", f"seq={seg.seq} is outside the receive window; an ACK "
                                     "was sent just before, so none now (rate limit)", seg)
            else:
                if seg.len == 0:
                    self._last_dupack = self._now
                self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
                self._note("reply", f"seq={seg.seq} is outside the receive window "
                                    f"[{self.rcv_nxt}, +{self.rcv_wnd}): ACK and drop", seg)
            return
        # second: RST (RFC 5961 §3 as adopted by RFC 9293)
        if Flag.RST in seg.flags:
            if seg.seq != self.rcv_nxt:
                self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
                self._note("reply", "an RST inside the window but not at RCV.NXT: "
                                    "challenge ACK", seg)
                return
            if state is State.SYN_RECEIVED:
                if not self.passive:
                    self.error = f"connection refused: {self.peer} answered with RST"
                self._note("notify", f"RST from {self.peer} in SYN-RECEIVED", seg)
            elif state is not State.TIME_WAIT:
                self.error = f"connection reset by {self.peer} (RST in {state})"
                self._note("notify", self.error, seg)
            else:
                self._note("notify", f"RST from {self.peer} in {state}", seg)
            self._take(Event.RCV_RST)
            return
        # fourth: SYN
        if Flag.SYN in seg.flags:
            if (state is State.TIME_WAIT and self.time_wait_syn == "rfc793"
                    and Flag.ACK not in seg.flags):
                self.error = f"connection reset: a SYN from {self.peer} arrived in TIME-WAIT"
                # the reset answers the SYN (as a closed port would), so the sender's
                # SYN-SENT accepts it: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>
                self._reset_for(seg, "RFC 793: a SYN inside the window of TIME-WAIT is an "
                                     "error: reset")
                self._take(Event.RCV_SYN, perform=False)
                return
            if state is State.SYN_RECEIVED and self.passive and not self.reopened:
                self._note("notify", "a new SYN in SYN-RECEIVED: the attempt is given up", seg)
                self._take(Event.RCV_SYN)
            else:
                self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
                self._note("reply", f"a SYN in {state}: challenge ACK (RFC 5961)", seg)
            return
        # fifth: ACK
        if Flag.ACK not in seg.flags:
            self._note("ignore", "a segment without ACK is dropped", seg)
            return
        if state is State.SYN_RECEIVED:
            if not seqnum.between(self.snd_una, seg.ack, self.snd_nxt):
                self._reset_for(seg, f"ack={seg.ack} is not an acknowledgment of our SYN+ACK")
                return
            self._acknowledge(seg.ack)
            self.snd_wnd = seg.window
            self._take(Event.RCV_ACK)
            state = self.state
        if seqnum.gt(seg.ack, self.snd_nxt):
            self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
            self._note("reply", f"ack={seg.ack} acknowledges something not yet sent", seg)
            return
        if seqnum.ge(seg.ack, self.snd_una):
            self._acknowledge(seg.ack)
            self.snd_wnd = seg.window
        fin_acked = self._fin_seq is not None and seqnum.gt(self.snd_una, self._fin_seq)
        # does this segment's FIN get processed now (all data before it is here)?
        fin_now = (Flag.FIN in seg.flags and seqnum.le(seg.seq, self.rcv_nxt)
                   and seqnum.ge(seqnum.add(seg.seq, len(seg.data)), self.rcv_nxt))
        if state is State.FIN_WAIT_1 and fin_acked and not fin_now:
            self._take(Event.RCV_ACK)
        elif state is State.CLOSING and fin_acked:
            self._take(Event.RCV_ACK)
            return
        elif state is State.LAST_ACK and fin_acked:
            self._take(Event.RCV_ACK)
            return
        elif state in (State.CLOSING, State.LAST_ACK, State.TIME_WAIT):
            if Flag.FIN in seg.flags or seg.data:
                self._ack_needed = True
            return
        self._text_and_fin(seg, seg.seq)

    def _acknowledge(self, ack: int) -> None:
        """SND.UNA advances to ``ack``: drop what it covers, measure, restart timers."""
        if not seqnum.gt(ack, self.snd_una):
            return
        sample = None
        while self._rtx and seqnum.le(self._rtx[0].end, ack):
            u = self._rtx.pop(0)
            if not u.retransmitted and sample is None:
                sample = self._now - u.sent_at
        self.snd_una = ack
        if sample is not None:
            self._rtt_sample(sample)
        self._retries = 0
        self._rto = self._computed_rto()
        if self._rtx:
            self._start_timer(RETRANSMIT, self._rto)
            if self.user_timeout is not None:
                self._start_timer(USER, self.user_timeout)
        else:
            self._stop_timer(RETRANSMIT)
            self._stop_timer(USER)

    def _rtt_sample(self, r: float) -> None:
        """RFC 6298 §2."""
        if self._srtt is None:
            self._srtt, self._rttvar = r, r / 2
        else:
            self._rttvar = 0.75 * self._rttvar + 0.25 * abs(self._srtt - r)
            self._srtt = 0.875 * self._srtt + 0.125 * r

    def _computed_rto(self) -> float:
        if self._srtt is None:
            # RFC 6298 §5.7: after a SYN timed out, data starts with an RTO of 3 s
            return max(self.rto_initial, 3.0) if self._syn_timed_out else self.rto_initial
        return min(max(self.rto_initial, self._srtt + 4 * self._rttvar), self.rto_max)

    # seventh and eighth: text and FIN
    def _text_and_fin(self, seg: Segment, start: int) -> None:
        """Accept the data of ``seg`` (beginning at sequence number ``start``) and its FIN."""
        if self.state not in (State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2):
            if seg.data or Flag.FIN in seg.flags:
                self._ack_needed = True
            return
        data = seg.data
        fin_at = seqnum.add(start, len(data)) if Flag.FIN in seg.flags else None
        skip = seqnum.sub(self.rcv_nxt, start)
        if skip > 0:                       # trim what we already have
            data = data[skip:]
            start = self.rcv_nxt
        room = self.rcv_wnd - seqnum.sub(start, self.rcv_nxt)
        if len(data) > room:               # trim what lies beyond the window
            data = data[:max(room, 0)]
            fin_at = None
        if data or fin_at is not None:
            self._ack_needed = True
        if data:
            if start == self.rcv_nxt:
                self._deliver(data)
            else:
                self._ooo[start] = data
                self._note("ignore", f"out of order: seq={start} arrived before "
                                     f"seq={self.rcv_nxt}; kept for later", seg)
        if fin_at is not None and seqnum.gt(fin_at, self.rcv_nxt):
            self._ooo_fin = fin_at
        self._pull_reassembled()
        if fin_at is not None and fin_at == self.rcv_nxt:
            self._ooo_fin = None
            self._fin_arrived()

    def _deliver(self, data: bytes) -> None:
        self._received += data
        self.rcv_nxt = seqnum.add(self.rcv_nxt, len(data))
        self._note("deliver", f"{len(data)} bytes to the application: {data[:24]!r}"
                              + ("…" if len(data) > 24 else ""))

    def _pull_reassembled(self) -> None:
        progress = True
        while progress and self._ooo:
            progress = False
            for start in list(self._ooo):
                chunk = self._ooo[start]
                end = seqnum.add(start, len(chunk))
                if seqnum.le(end, self.rcv_nxt):
                    del self._ooo[start]
                elif seqnum.le(start, self.rcv_nxt):
                    del self._ooo[start]
                    self._deliver(chunk[seqnum.sub(self.rcv_nxt, start):])
                    progress = True
        if self._ooo_fin is not None and self._ooo_fin == self.rcv_nxt:
            self._ooo_fin = None
            self._fin_arrived()

    def _fin_arrived(self) -> None:
        self.rcv_nxt = seqnum.add(self.rcv_nxt, 1)
        self._ack_needed = True
        state = self.state
        if state is State.FIN_WAIT_1:
            fin_acked = self._fin_seq is not None and seqnum.gt(self.snd_una, self._fin_seq)
            self._take(Event.RCV_FIN_ACK if fin_acked else Event.RCV_FIN)
        elif state in (State.ESTABLISHED, State.FIN_WAIT_2):
            self._take(Event.RCV_FIN)


def _tcb_fields() -> tuple[str, ...]:
    """The attributes :meth:`Endpoint._clear_tcb` sets: one connection's state (TCB)."""
    probe = Endpoint.__new__(Endpoint)
    probe.rto_initial = 1.0
    probe._clear_tcb()
    return tuple(sorted(probe.__dict__.keys() - {"rto_initial"}))


_TCB_FIELDS = _tcb_fields()
