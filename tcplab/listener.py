"""A listening socket, as BSD and Linux have them: what ``b.listen(port=80)`` returns.

RFC 9293 tells the passive open with one TCB: it waits in LISTEN and *becomes* the
connection when a SYN arrives (the host's own ``b.listen()`` still does exactly that).
BSD and Linux keep the listening socket in LISTEN for ever and make a **new**
connection for each SYN.  That new connection starts as a copy of the listening one
(its history begins CLOSED, LISTEN), answers with SYN+ACK and waits in SYN-RECEIVED on
the **SYN queue** (half-open connections); when the handshake completes it moves to the
**accept queue**, where :meth:`Listener.accept` (``b.accept()``) takes it.

Both queues are bounded by ``backlog``, and what happens when they are full is Linux's
(``tcp_conn_request``, ``tcp_check_req``):

* accept queue full (Linux counts it full when it holds *more* than ``backlog``, so
  ``backlog + 1`` connections fit): an arriving SYN is dropped; an ACK that would
  complete a handshake is dropped too, and the connection stays half-open (its SYN+ACK
  is retransmitted) — the client, already ESTABLISHED, does not know;
* SYN queue full (``backlog`` half-open connections): a SYN is dropped — the client
  retransmits it after its timeout — unless the host has ``syn_cookies=True``; then
  the SYN is answered with a SYN cookie (:mod:`tcplab.syncookies`) and no state is
  kept; the client's ACK rebuilds the connection.

Linux checks an ACK for a cookie only while a SYN queue has overflowed recently; here a
host with ``syn_cookies=True`` checks every ACK that finds no connection (an ACK without
a valid cookie is answered with RST either way).

Every drop is a record in the trace (kind ``ignore``), and counted as Linux's
``netstat -s`` counts them (:attr:`Listener.drops`, :attr:`Listener.overflows`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import seqnum, syncookies
from .connection import Connection
from .fsm import State
from .outputs import Note, Transmit
from .segment import Flag, Segment
from .tcb import Tcb
from .tcb_table import tcb_table
from .text import N_
from .trace import Kind, words

if TYPE_CHECKING:
    from .network import Host

__all__ = ["Listener"]


class Listener:
    """The listening socket of ``host`` on ``port``; see the module's doc."""

    def __init__(self, host: "Host", port: int, backlog: int, *, reuse_address: bool = False,
                 linger: int | None = None):
        self.host = host
        self.network = host.network
        self.port = port
        self.backlog = backlog
        self.reuse_address = reuse_address
        self.linger = linger
        self.syn_queue: list[Connection] = []      # half-open: SYN-RECEIVED
        self.accept_queue: list[Connection] = []   # established, not accepted yet
        self.closed = False
        #: SYNs (and completing ACKs) dropped because a queue was full (Linux: ListenDrops)
        self.drops = 0
        #: ... of them because the accept queue was full (Linux: ListenOverflows)
        self.overflows = 0
        self.cookies_sent = 0
        self.cookies_accepted = 0
        self.history = [State.CLOSED, State.LISTEN]

    name = property(lambda self: self.host.name)
    local = property(lambda self: (self.host.name, self.port))
    state = property(lambda self: State.CLOSED if self.closed else State.LISTEN)
    received = b""
    error = None
    iss = None
    peer = None
    transitions: tuple = ()
    last_transition = None
    _trace_port = property(lambda self: self.port)
    _trace_remote = None
    _stamp = None
    _settle = None

    def legal_calls(self):
        return ()

    def tcb_table(self):
        """The listening socket's TCB: in LISTEN, with no peer and no numbers yet."""
        endpoint = self.host.endpoint
        return tcb_table(self.name, self.state, Tcb(endpoint.rto_initial), endpoint.rcv_wnd,
                         {}, self.network.now)

    def __repr__(self) -> str:
        return (f"<Listener {self.host.name}:{self.port} {self.state} backlog={self.backlog} "
                f"SYN queue {len(self.syn_queue)}, accept queue {len(self.accept_queue)}>")

    # ------------------------------------------------------------------ the queues
    @property
    def syn_queue_full(self) -> bool:
        return len(self.syn_queue) >= self.backlog

    @property
    def accept_queue_full(self) -> bool:
        return len(self.accept_queue) > self.backlog     # Linux's sk_acceptq_is_full

    def accept(self) -> Connection | None:
        """The oldest established connection of the accept queue, or None."""
        if not self.accept_queue:
            return None
        conn = self.accept_queue.pop(0)
        conn.accepted = True
        conn._queue = None
        self.network._record(Kind.CALL, self.name, None, "accept()", port=self.port)
        return conn

    def close(self) -> None:
        """Stop listening: every connection not yet accepted is reset (as Linux does)."""
        if self.closed:
            return
        self.network._record(Kind.CALL, self.name, None, "close()", port=self.port)
        self.closed = True
        self.history.append(State.CLOSED)
        self.host._unlisten(self)
        for conn in self.accept_queue + self.syn_queue:
            if conn.state is not State.CLOSED:
                conn._call("abort()", conn.endpoint.abort)
        self.syn_queue.clear()
        self.accept_queue.clear()

    def send(self, data) -> None:
        raise ValueError(str(words(N_("{name}:{port} is a listening socket: it sends no data. "
                                      "Take a connection with accept() and send on it"),
                                   name=self.name, port=self.port)))

    def abort(self) -> None:
        self.close()

    # ------------------------------------------------------------------ a segment arrives
    def arrive(self, seg: Segment, now: float):
        """A segment for our port that belongs to no connection: (target, outputs)."""
        if Flag.RST in seg.flags:
            return self, [Note("ignore", N_("an RST in LISTEN is dropped"), seg)]
        if Flag.ACK in seg.flags:
            if Flag.SYN not in seg.flags and self.host.syn_cookies:
                rebuilt = self._from_cookie(seg, now)
                if rebuilt is not None:
                    return rebuilt
            return self, self.host._refuse(seg, N_("an ACK to a listening endpoint "
                                                   "acknowledges nothing"))
        if Flag.SYN not in seg.flags:
            return self, [Note("ignore", N_("LISTEN waits for a SYN"), seg)]
        if self.accept_queue_full:
            self.drops += 1
            self.overflows += 1
            return self, [Note("ignore", words(N_(
                "accept queue of {name}:{port} full ({count} connections wait for accept(), "
                "backlog {backlog}): SYN dropped, the client will retransmit it"),
                name=self.name, port=self.port, count=len(self.accept_queue),
                backlog=self.backlog), seg)]
        if self.syn_queue_full:
            if self.host.syn_cookies:
                return self, self._cookie(seg, now)
            self.drops += 1
            return self, [Note("ignore", words(N_(
                "SYN queue of {name}:{port} full ({count} half-open connections, backlog "
                "{backlog}): SYN dropped, the client will retransmit it"),
                name=self.name, port=self.port, count=len(self.syn_queue),
                backlog=self.backlog), seg)]
        conn = self._child(seg.src, seg.sport, now)
        self.syn_queue.append(conn)
        conn._queue = "syn"
        return conn, conn.endpoint.receive(seg, now=now)

    def _child(self, remote: str, remote_port: int | None, now: float,
               **endpoint_options) -> Connection:
        """A new connection, a copy of this listening socket (in LISTEN)."""
        endpoint = self.host._new_endpoint(self.port, remote, remote_port, **endpoint_options)
        endpoint.listen(now=now)          # the copy: not a new state of the host's
        conn = Connection(self.host, endpoint, self.port, remote, remote_port,
                          listener=self, linger=self.linger, bound=True)
        conn.accepted = False
        conn.reuse_address = self.reuse_address
        self.host._hold(conn)
        return conn

    def _pair(self, seg: Segment) -> tuple:
        return (seg.src, seg.sport, self.host.name, self.port)

    def _cookie(self, seg: Segment, now: float) -> list:
        """Answer ``seg`` with a SYN cookie: a SYN+ACK, and no state kept."""
        self.cookies_sent += 1
        mss = self.host.endpoint.mss
        cookie = syncookies.make(self.host._secret("syncookie"), self._pair(seg), seg.seq,
                                 mss, now)
        answer = Segment(self.host.name, seg.src, Flag.SYN | Flag.ACK, cookie,
                         seqnum.add(seg.seq, 1), b"", self.host.endpoint.window,
                         self.port, seg.sport)
        return [Note("reply", words(N_("SYN queue of {name}:{port} full: SYN cookie "
                                       "(ISN {cookie} encodes the connection; no state kept)"),
                                    name=self.name, port=self.port, cookie=cookie), seg),
                Transmit(answer)]

    def _from_cookie(self, seg: Segment, now: float):
        """An ACK that may carry our cookie: the connection rebuilt, or None."""
        client_isn = seqnum.add(seg.seq, -1)
        cookie = seqnum.add(seg.ack, -1)
        mss = syncookies.check(self.host._secret("syncookie"), self._pair(seg), client_isn,
                               cookie, now)
        if mss is None:
            return None
        if self.accept_queue_full:
            self.drops += 1
            self.overflows += 1
            return self, [Note("ignore", words(N_(
                "a valid SYN cookie, but the accept queue of {name}:{port} is full: "
                "ACK dropped"), name=self.name, port=self.port), seg)]
        self.cookies_accepted += 1
        conn = self._child(seg.src, seg.sport, now, iss=cookie, mss=mss)
        # the SYN the cookie stands for, replayed: its answer was the cookie, sent already
        syn = Segment(seg.src, seg.dst, Flag.SYN, client_isn, 0, b"", seg.window,
                      seg.sport, seg.dport)
        conn.endpoint.receive(syn, now=now)
        conn.endpoint.timers.clear()      # none of its timers was ever started
        note = Note("notify", words(N_("a valid SYN cookie: the connection (MSS {mss}) is "
                                       "rebuilt from the ACK"), mss=mss), seg)
        return conn, [note] + conn.endpoint.receive(seg, now=now)
