"""One TCP endpoint, sans-IO (RFC 9293 §3.10).

An :class:`Endpoint` is a pure object.  It is told what happens — an
application call, a segment arriving, a timer expiring, each with the current
virtual time ``now`` — and answers with a list of :class:`Output` values:
segments to transmit, timers to start or stop, state changes and notes for
the trace.  It never sleeps, never touches a socket and never reads a clock;
the toy network (``tcplab.network``) or a test drives it.

Every state change goes through :meth:`Endpoint._take`, which looks the edge
up in the endpoint's transition table (``table=``, by default the library's,
``tcplab.fsm``), enters its target through :meth:`Endpoint._set_state` (the one
place that appends to ``history`` and emits a :class:`StateChange`) and
performs the edge's action.  The connection's variables live in a
:class:`~tcplab.tcb.Tcb` (``endpoint.tcb``); the endpoint's own attributes are
its configuration and what outlives a connection (state, history, received
bytes, error, running timers; the option ``keep`` bounds the records to the last
connections, for long runs).

Application calls that the table does not allow raise
:class:`~tcplab.fsm.IllegalEvent` before anything changes.  A segment never
raises: whatever arrives is handled as RFC 9293 §3.10.7 says — processed,
acknowledged, answered with RST, or ignored — and a :class:`Note` says which.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Callable

from . import seqnum
from .arrival import S, SegmentArrives
from .fsm import Event, EventKind, State, Transition, legal_events
from .fsm.queries import _lookup as _library_lookup
from .isn import KeyedIsn, clock_isn
from .outputs import Note, Output, StartTimer, StateChange, StopTimer, Transmit
from .segment import DEFAULT_WINDOW, Flag, Segment, trusted_segment
from .tables import LIBRARY_TABLE, Table
from .tcb import Tcb, Timer, Unacked
from .tcb_table import TcbTable, tcb_table
from .text import N_
from .endpoint_options import _check_number, _iss_source, _validate
from .trace import words

__all__ = [
    "Endpoint", "Output", "Transmit", "StartTimer", "StopTimer", "StateChange", "Note",
    "RETRANSMIT", "TIME_WAIT", "USER", "Timer", "clock_isn", "KeyedIsn",
]

RETRANSMIT = Timer.RETRANSMIT
TIME_WAIT = Timer.TIME_WAIT
USER = Timer.USER
TIMERS = tuple(Timer)



def _from_tcb(name: str, doc: str) -> property:
    """A read-only attribute of the endpoint that is its TCB's ``name``."""
    return property(attrgetter(f"tcb.{name}"), doc=doc)


_SAME = object()
_ACK = Flag.ACK._value_
# states asked about on every segment, as module constants: State.X is a slow class
# attribute (an Enum's), looked up each time
_NOT_SENDING = (State.CLOSED, State.LISTEN, State.SYN_SENT)      # no data or FIN yet
_FIN_DUE = (State.FIN_WAIT_1, State.CLOSING, State.LAST_ACK)     # close() called: a FIN
# the same for the states, events and flags of the per-segment path (and `Flag.X | Flag.Y`
# is an enum method call: the combinations are made once)
_CLOSED, _LISTEN, _SYN_SENT = State.CLOSED, State.LISTEN, State.SYN_SENT
_TIMEOUT_RETRANSMIT = Event.TIMEOUT_RETRANSMIT
_FLAG_ACK, _FLAG_SYN = Flag.ACK, Flag.SYN
_FLAG_RST_ACK, _FLAG_SYN_ACK, _FLAG_FIN_ACK = Flag.RST | Flag.ACK, Flag.SYN | Flag.ACK, Flag.FIN | Flag.ACK


# --------------------------------------------------------------------------- endpoint

class Endpoint(SegmentArrives):
    """A TCP endpoint named ``name``, holding at most one connection at a time.

    Parameters (all keyword):

    handshake     "three-way" (RFC 9293) or "two-way" (the lecture's broken
                  variant: the server is ESTABLISHED as soon as it answers a
                  SYN; the client sends no third segment and ignores a SYN+ACK
                  it did not ask for instead of answering RST)
    iss           the initial send sequence number: an int fixes it for every
                  connection; a callable ``f(now) -> int`` chooses one per
                  connection; None uses RFC 793's clock (:func:`clock_isn`); a
                  :class:`~tcplab.isn.KeyedIsn` is RFC 6528's clock plus keyed hash
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
    time_wait_syn what a SYN arriving in TIME-WAIT does: "challenge-ack"
                  (RFC 9293 with RFC 5961), "rfc793" (reset) or "reopen" (RFC 1122)
    table         the transition table to follow: an object with
                  ``lookup(state, event, *, passive, opened, handshake,
                  time_wait_syn)`` (see :mod:`tcplab.tables`); by default the
                  library's, e.g. ``PatchedTable(cells)`` for a student's
    keep          None (the default): ``history``, ``transitions`` and ``received``
                  hold every connection; an int k >= 0: each time a connection
                  ends (CLOSED is entered) they forget all but the last k finished
                  connections (and the current one), so a long-running host stays
                  flat in memory; ``history`` still starts with CLOSED
    """

    #: at most one ACK per this many seconds answers empty unacceptable segments
    DUPACK_INTERVAL = 0.5

    def __init__(self, name: str, *, handshake: str = "three-way",
                 iss: int | Callable[[float], int] | None = None,
                 time_wait: float = 60.0, mss: int = 536, window: int = DEFAULT_WINDOW,
                 rto_initial: float = 1.0, rto_max: float = 60.0, max_retries: int = 6,
                 user_timeout: float | None = None, time_wait_syn: str = "challenge-ack",
                 table: Table = LIBRARY_TABLE, keep: int | None = None,
                 _checked: bool = False):
        if not isinstance(name, str) or not name:
            raise TypeError(f"an endpoint's name must be a non-empty string, got {name!r}")
        # _checked: a host's options, checked when the host was made (a server makes an
        # endpoint per connection from them, and checking costs a tenth of that)
        if not _checked:
            _validate(handshake, time_wait_syn, time_wait, mss, window, rto_initial,
                      rto_max, max_retries, user_timeout, table)
            if keep is not None:
                _check_number("keep", keep, integer=True)
        self._iss_source = _iss_source(iss)
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
        self.table = table
        self.keep = keep
        # where each kept connection's record begins: (history, transitions, received)
        # lengths at each entry to CLOSED, the oldest first (only with keep)
        self._marks: list[tuple[int, int, int]] = [(0, 0, 0)]

        self.state = State.CLOSED
        self.history: list[State] = [State.CLOSED]
        self.transitions: list[Transition] = []   # every edge taken, self-loops included
        self._received = bytearray()
        self.error: str | None = None
        self.timers: dict[str, float] = {}   # running timers: name -> deadline
        self._out: list[Output] = []
        self._now = 0.0
        self._key: tuple | None = None      # (now, key()): valid until the next event
        self.tcb = Tcb(self.rto_initial)

    # ------------------------------------------------------------------ what it holds

    peer = _from_tcb("peer", "the peer's name (None without a connection)")
    opened = _from_tcb("opened", 'how this connection was opened: "passive" (from LISTEN), '
                                 '"active" or "reopened" (from TIME-WAIT); None without one')
    passive = _from_tcb("passive", "True if this connection was opened from LISTEN")
    reopened = _from_tcb("reopened", "a SYN reopened this connection from TIME-WAIT")
    iss = _from_tcb("iss", "the initial send sequence number (the last connection's, "
                           "once it is over)")
    irs = _from_tcb("irs", "the initial receive sequence number")
    snd_una = _from_tcb("snd_una", "SND.UNA: the oldest sequence number not acknowledged")
    snd_nxt = _from_tcb("snd_nxt", "SND.NXT: the next sequence number to send")
    snd_wnd = _from_tcb("snd_wnd", "SND.WND: the window the peer advertised")
    rcv_nxt = _from_tcb("rcv_nxt", "RCV.NXT: the next sequence number expected")

    @property
    def last_transition(self) -> Transition | None:
        """The edge of the table taken last (None before any)."""
        return self.transitions[-1] if self.transitions else None

    @property
    def received(self) -> bytes:
        """All bytes delivered to the application, in order, across connections (with
        ``keep=k``: the current connection's and the last k finished ones')."""
        return bytes(self._received)

    @property
    def rcv_wnd(self) -> int:
        return self.window

    @property
    def unsent(self) -> bytes:
        """Data the application handed over that has not been sent yet."""
        return bytes(self.tcb.send_buffer)

    @property
    def unacked(self) -> int:
        """Sequence numbers sent but not acknowledged yet."""
        tcb = self.tcb
        return seqnum.sub(tcb.snd_nxt, tcb.snd_una) if tcb.iss is not None else 0

    def tcb_table(self, now: float | None = None) -> TcbTable:
        """The TCB in full (传输控制块): the two ends, SND/RCV variables, ISS/IRS, the
        queues and the running timers, as a table (text and HTML)."""
        return tcb_table(self.name, self.state, self.tcb, self.rcv_wnd, self.timers,
                         self._now if now is None else now)

    def legal_calls(self) -> tuple[Event, ...]:
        """The application calls the table allows now."""
        return legal_events(self.state, EventKind.CALL, self.handshake,
                            time_wait_syn=self.time_wait_syn)

    def __repr__(self) -> str:
        return f"<Endpoint {self.name} {self.state}>"

    # ------------------------------------------------------------------ snapshots

    def copy(self, *, iss=_SAME) -> "Endpoint":
        """A copy that shares nothing mutable with this endpoint: both go on alone.

        ``iss`` (as the constructor's) gives the copy another ISN generator."""
        new = object.__new__(type(self))
        d = self.__dict__.copy()
        d["history"] = self.history.copy()
        d["transitions"] = self.transitions.copy()
        d["_received"] = bytearray(self._received)
        d["timers"] = self.timers.copy()
        d["_out"] = []
        d["tcb"] = self.tcb.copy()
        if iss is not _SAME:
            d["_iss_source"] = _iss_source(iss)
        new.__dict__ = d
        return new

    def key(self, now: float) -> tuple:
        """What of this endpoint decides what happens next, with times relative to ``now``.

        Two endpoints of the same configuration with equal keys at their ``now`` behave
        alike from then on.  Left out: the configuration, the record of the past
        (``history``, ``transitions``) and the running timers (their driver knows the
        deadlines).  The model checker identifies its states by it."""
        cached = self._key
        if cached is not None and cached[0] == now:
            return cached[1]
        key = (self.state._value_, self.error, bytes(self._received),
               self.tcb.key(now, self.DUPACK_INTERVAL))
        self._key = (now, key)
        return key

    # ------------------------------------------------------------------ the one place states change

    def _lookup(self, event: Event) -> Transition:
        if self.table is LIBRARY_TABLE:
            # the library's table, asked directly: every argument was checked when the
            # endpoint was made (the state and event are the endpoint's own)
            return _library_lookup(self.state, event, self.tcb.opened,
                                   (self.handshake, self.time_wait_syn))
        return self.table.lookup(self.state, event, opened=self.tcb.opened,
                                 handshake=self.handshake, time_wait_syn=self.time_wait_syn)

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

    def _forget(self, keep: int) -> None:
        """CLOSED was just entered: drop the record of all but the last ``keep``
        finished connections (the ``keep`` option), history starting with CLOSED."""
        # a new list, never one changed in place: copies (copy()) share it safely
        marks = [*self._marks,
                 (len(self.history) - 1, len(self.transitions), len(self._received))]
        if len(marks) > keep + 1:
            h, t, r = marks[-keep - 1]
            del self.history[:h], self.transitions[:t], self._received[:r]
            marks = [(h2 - h, t2 - t, r2 - r) for h2, t2, r2 in marks[-keep - 1:]]
            self._key = None
        self._marks = marks

    def _take(self, event: Event, *, perform: bool = True) -> Transition:
        """Take the table's edge for ``event``: enter its target, then do its action
        (``perform=False``: the caller has already sent what the action names)."""
        t = self._lookup(event)
        if not perform:
            self._set_state(t)
            return t
        # Entering CLOSED or LISTEN deletes the TCB: an RST, or the ACK of a patched
        # table's edge (no library edge has one), goes out first, while it holds the numbers.
        ack_first = (t.action == "ACK" and self.tcb.peer is not None
                     and (t.target is _CLOSED or t.target is _LISTEN))
        if t.action == "RST" or ack_first:
            flags = _FLAG_ACK if ack_first else _FLAG_RST_ACK
            self._emit(flags, self.tcb.snd_nxt, self.tcb.rcv_nxt)
        self._set_state(t)
        if event is _TIMEOUT_RETRANSMIT:
            self._retransmit_oldest()
        elif t.action == "SYN":
            self._send_syn(ack=False)
        elif t.action == "SYN+ACK":
            self._send_syn(ack=True)
        elif t.action == "ACK":
            self.tcb.ack_needed = True
        elif t.action == "FIN":
            self.tcb.fin_wanted = True
        if ack_first:
            self.tcb.ack_needed = False
        return t

    def _on_enter(self, old: State, new: State) -> None:
        # (S.X rather than State.X: an Enum's class attribute is a slow look-up, arrival.py)
        if new is _CLOSED or new is _LISTEN:      # NO_CONNECTION
            for name in list(self.timers):
                self._stop_timer(name)
            # a new TCB; the last connection's ISN is kept for the reader.  One that never
            # held a connection is new already (a server's endpoint per connection
            # starts in CLOSED and listens at once: no second TCB made to be thrown away)
            tcb = self.tcb
            if not (old is _CLOSED and tcb.iss is None and tcb.peer is None):
                self.tcb = Tcb(self.rto_initial, iss=tcb.iss)
            if new is S.CLOSED and old is not S.LISTEN:
                self._note("notify", N_("connection closed") if self.error is None
                           else words(N_("connection closed: {error}"), error=self.error))
            if new is S.CLOSED and self.keep is not None:
                self._forget(self.keep)
        elif new is S.TIME_WAIT:
            self._stop_timer(RETRANSMIT)
            self._stop_timer(USER)
            self._start_timer(TIME_WAIT, self.time_wait)
        elif new is S.ESTABLISHED:
            self._note("notify", N_("connection established"))
        elif new is S.CLOSE_WAIT:
            self._note("notify", words(N_("{peer} has closed its direction (FIN): "
                                          "no more data will come"), peer=self.tcb.peer))

    # ------------------------------------------------------------------ plumbing

    def _begin(self, now: float) -> None:
        if now.__class__ is not float:      # (a driver's clock: a float, checked at once)
            if isinstance(now, bool) or not isinstance(now, (int, float)):
                raise TypeError(f"now must be a number of seconds, got {now!r}")
            now = float(now)
        self._now = now
        self._out = []
        self._key = None

    def _finish(self) -> list[Output]:
        tcb = self.tcb
        if tcb.send_buffer or (tcb.fin_wanted and tcb.fin_seq is None):
            self._push()            # (only with something to send: most events have none)
        if tcb.ack_needed:
            self._emit(_FLAG_ACK, tcb.snd_nxt, tcb.rcv_nxt)
        out, self._out = self._out, []
        return out

    def _note(self, kind: str, text: str, segment: Segment | None = None) -> None:
        self._out.append(Note(kind, text, segment))

    def _emit(self, flags: Flag, seq: int, ack: int = 0, data: bytes = b"",
              retransmission: bool = False, to: str | None = None) -> Segment:
        has_ack = flags._value_ & _ACK
        if not has_ack:
            ack = 0
        tcb = self.tcb
        # every value is the endpoint's own and valid (its name, its TCB's numbers kept
        # modulo 2**32, its validated window, bytes it cut): no checks on this hot path
        seg = trusted_segment(self.name, to or tcb.peer or "?", flags, seq, ack, data,
                              self.window)
        self._out.append(Transmit(seg, retransmission))
        if has_ack and to is None:
            tcb.ack_needed = False
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
        self.tcb = tcb = Tcb(self.rto_initial)
        self.error = None
        tcb.peer = peer
        tcb.opened = "active"
        tcb.iss = tcb.snd_una = tcb.snd_nxt = self._choose_iss()
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
        self.tcb.send_buffer += bytes(data)
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
            self._note("ignore", words(N_("{timer} timer was not running"), timer=timer))
            return self._finish()
        del self.timers[timer]
        if timer == RETRANSMIT:
            self._on_retransmission_timeout()
        elif timer == TIME_WAIT:
            self._note("timer", N_("2MSL timer expired: TIME-WAIT is over"))
            self._take(Event.TIMEOUT_2MSL)
        elif timer == USER:
            self.error = words(N_("user timeout: data stayed unacknowledged for {seconds} s"),
                               seconds=f"{self.user_timeout:g}")
            self._note("give-up", self.error)
            self._take(Event.TIMEOUT_USER)
        return self._finish()

    def _on_retransmission_timeout(self) -> None:
        tcb = self.tcb
        if not tcb.rtx:
            return
        oldest = tcb.rtx[0]
        if tcb.retries >= self.max_retries:
            self.error = words(N_("gave up after {retries} retransmissions of the {segment}: "
                                  "no answer from {peer}"), retries=tcb.retries,
                               segment=oldest.describe(tcb.irs is not None), peer=tcb.peer)
            self._note("give-up", self.error)
            self._take(Event.GIVE_UP)
            return
        tcb.retries += 1
        tcb.rtt = tcb.rtt.backed_off(self.rto_max, syn=Flag.SYN in oldest.flags)
        self._note("timer", words(N_("retransmission timeout: send the {segment} again "
                                     "(try {retry} of {retries}, next timeout {rto} s)"),
                                  segment=oldest.describe(tcb.irs is not None),
                                  retry=tcb.retries, retries=self.max_retries,
                                  rto=f"{tcb.rtt.rto:g}"))
        self._take(Event.TIMEOUT_RETRANSMIT)

    # ------------------------------------------------------------------ sending

    def _choose_iss(self) -> int:
        source = self._iss_source
        if getattr(source, "keyed", False):        # RFC 6528: the connection's ends count
            value = source(self._now, self.name, self.tcb.peer)
        else:
            value = source(self._now)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < seqnum.MOD:
            raise ValueError(f"the ISN generator must give an int in [0, 2**32), got {value!r}")
        return value

    def _send_syn(self, ack: bool) -> None:
        """Send our SYN (with ACK in SYN-RECEIVED); it is the first retransmittable segment."""
        tcb = self.tcb
        if not tcb.rtx or Flag.SYN not in tcb.rtx[0].flags:
            tcb.snd_nxt = seqnum.add(tcb.iss, 1)
            if self.handshake == "two-way" and ack:
                # The two-way server counts its SYN as accepted as soon as it is sent.
                tcb.snd_una = tcb.snd_nxt
            else:
                self._queue_rtx(Unacked(tcb.iss, Flag.SYN, b"", self._now))
        flags = _FLAG_SYN_ACK if ack else _FLAG_SYN
        self._emit(flags, tcb.iss, tcb.rcv_nxt if ack else 0)

    def _queue_rtx(self, entry: Unacked) -> None:
        self.tcb.rtx.append(entry)
        if RETRANSMIT not in self.timers:
            self._start_timer(RETRANSMIT, self.tcb.rtt.rto)
        if self.user_timeout is not None and USER not in self.timers:
            self._start_timer(USER, self.user_timeout)

    def _retransmit_oldest(self) -> None:
        tcb = self.tcb
        u = tcb.rtx[0]
        u = tcb.rtx[0] = Unacked(u.seq, u.flags, u.data, u.sent_at, True)
        flags = u.flags
        if tcb.irs is not None:
            flags |= Flag.ACK
        self._emit(flags, u.seq, tcb.rcv_nxt, u.data, retransmission=True)
        self._start_timer(RETRANSMIT, tcb.rtt.rto)

    def _push(self) -> None:
        """Send what the window allows of the queued data, then our FIN if it is due."""
        tcb = self.tcb
        if tcb.iss is None or self.state in _NOT_SENDING:
            return
        # (with only a FIN due, no data: no test of being synchronized)
        if tcb.send_buffer and tcb.irs is not None and seqnum.gt(tcb.snd_una, tcb.iss):
            while tcb.send_buffer:
                in_flight = seqnum.sub(tcb.snd_nxt, tcb.snd_una)
                room = min(tcb.snd_wnd, self.window) - in_flight
                if room <= 0:
                    break
                chunk = bytes(tcb.send_buffer[:min(self.mss, room)])
                del tcb.send_buffer[:len(chunk)]
                self._queue_rtx(Unacked(tcb.snd_nxt, _FLAG_ACK, chunk, self._now))
                self._emit(_FLAG_ACK, tcb.snd_nxt, tcb.rcv_nxt, chunk)
                tcb.snd_nxt = seqnum.add(tcb.snd_nxt, len(chunk))
        if (tcb.fin_wanted and tcb.fin_seq is None and not tcb.send_buffer
                and self.state in _FIN_DUE):
            tcb.fin_seq = tcb.snd_nxt
            self._queue_rtx(Unacked(tcb.snd_nxt, _FLAG_FIN_ACK, b"", self._now))
            self._emit(_FLAG_FIN_ACK, tcb.snd_nxt, tcb.rcv_nxt)
            tcb.snd_nxt = seqnum.add(tcb.snd_nxt, 1)

    # ------------------------------------------------------------------ arriving segments

    def receive(self, segment: Segment, *, now: float = 0.0) -> list[Output]:
        """A segment arrives.  Never raises for any well-formed Segment."""
        if segment.__class__ is not Segment and not isinstance(segment, Segment):
            raise TypeError(f"receive() takes a tcplab.Segment, got {type(segment).__name__}")
        self._begin(now)
        seg = segment
        peer = self.tcb.peer
        if seg.dst != self.name:
            self._note("ignore", words(N_("addressed to {dst}, not to {name}"), dst=seg.dst,
                                       name=self.name), seg)
        elif (state := self.state) is _CLOSED or (peer is not None and seg.src != peer):
            self._closed(seg)
        elif state is _LISTEN:
            self._listen(seg)
        elif state is _SYN_SENT:
            self._syn_sent(seg)
        else:
            self._synchronized(seg)
        return self._finish()

