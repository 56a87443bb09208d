"""One connection of a host that holds many: what ``a.connect("B", port=80)`` returns.

A :class:`Connection` is a socket pair — ``local`` and ``remote``, each a (host, port)
pair — and the sans-IO :class:`~tcplab.endpoint.Endpoint` that plays TCP for it.  The
endpoint stays one connection and knows nothing of ports: the host (:mod:`tcplab.sockets`)
hands it only the segments of its socket pair, and the connection writes the pair's
ports on every segment the endpoint sends (:meth:`Connection._stamp`).

Its calls and attributes are those of a host with one connection (``state``,
``history``, ``received``, ``error``, ``iss``, ``send``, ``close``, ``abort`` ...), and
``linger`` is the socket option ``SO_LINGER``: None (the default) closes with FIN;
``linger=0`` makes :meth:`close` send RST and skip TIME-WAIT, as Linux does — the
peer's unread data is thrown away and nothing protects a later connection with the same
socket pair from this one's old segments, which is why it is a dangerous remedy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .fsm import State
from .segment import Segment
from .text import N_
from .trace import Kind, words

if TYPE_CHECKING:
    from .endpoint import Endpoint
    from .listener import Listener
    from .network import Host

__all__ = ["Connection", "check_linger"]


def check_linger(linger):
    """None (close with FIN) or 0 (close with RST): the two SO_LINGER settings the toy has."""
    if linger is None or (linger == 0 and not isinstance(linger, bool)
                          and isinstance(linger, (int, float))):
        return None if linger is None else 0
    raise ValueError(str(words(N_("linger must be None (close() sends FIN) or 0 (close() "
                                  "sends RST and skips TIME-WAIT); got {value}"),
                               value=repr(linger))))



def send_label(data) -> str:
    """How a send() call reads in the trace: its first bytes, and the length if longer."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return "send()"
    head = bytes(data[:24])
    return f"send({head!r})" if len(data) <= 24 else f"send({head!r}… {len(data)} bytes)"

class Connection:
    """A connection of ``host`` with ``remote`` = (remote host, remote port), from
    ``local_port``; ``listener`` is the listening socket that made it (None: connect())."""

    def __init__(self, host: "Host", endpoint: "Endpoint", local_port: int, remote_host: str,
                 remote_port: int | None, *, listener: "Listener | None" = None,
                 linger: int | None = None, bound: bool = False):
        self.host = host
        self.network = host.network
        self.endpoint = endpoint
        self.local_port = local_port
        self.remote_host = remote_host
        self.remote_port = remote_port
        self.listener = listener
        #: taken by accept() (a connection made by connect() counts as accepted)
        self.accepted = listener is None
        self._queue: str | None = None     # "syn" or "accept": the listener's queue it is on
        self.linger = linger
        #: True if the port was chosen by the application (local_port=) or is a
        #: listener's: an ephemeral choice skips such ports
        self.bound = bound
        self.reuse_address = False
        #: when the connection entered TIME-WAIT (None: it has not)
        self.time_wait_since: float | None = None
        #: the host no longer holds it (CLOSED, or its port given to a new connection)
        self.gone = False
        self._generation: dict[str, int] = {}

    # ------------------------------------------------------------------ what it is
    name = property(lambda self: self.host.name, doc="the host's name")
    local = property(lambda self: (self.host.name, self.local_port),
                     doc="(host, port) of this end")
    remote = property(lambda self: (self.remote_host, self.remote_port),
                      doc="(host, port) of the other end")
    key = property(lambda self: (self.local_port, self.remote_host, self.remote_port))
    state = property(lambda self: self.endpoint.state, doc="current State")
    history = property(lambda self: self.endpoint.history,
                       doc="States entered, in order, starting with CLOSED")
    received = property(lambda self: self.endpoint.received,
                        doc="bytes delivered to the application, in order")
    error = property(lambda self: self.endpoint.error,
                     doc="None, or why the connection ended abnormally")
    iss = property(lambda self: self.endpoint.iss, doc="initial send sequence number")
    transitions = property(lambda self: self.endpoint.transitions)
    last_transition = property(lambda self: self.endpoint.last_transition)
    peer = property(lambda self: self.endpoint.peer)
    handshake = property(lambda self: self.endpoint.handshake)
    time_wait_syn = property(lambda self: self.endpoint.time_wait_syn)
    _trace_port = property(lambda self: self.local_port)
    _trace_remote = property(lambda self: (self.remote_host, self.remote_port))

    def legal_calls(self):
        return self.endpoint.legal_calls()

    def tcb_table(self):
        """The TCB in full (传输控制块) now: see :meth:`Endpoint.tcb_table`."""
        return self.endpoint.tcb_table(now=self.network.now)

    def __repr__(self) -> str:
        return (f"<Connection {self.host.name}:{self.local_port}→{self.remote_host}:"
                f"{self.remote_port} {self.state}>")

    # ------------------------------------------------------------------ application calls
    def _call(self, label: str, method, *args) -> None:
        outputs = method(*args, now=self.network.now)   # raises before any change
        self.network._record(Kind.CALL, self.name, None, label, port=self.local_port,
                             remote=self.remote)
        self.network._apply(self, outputs)

    def send(self, data: bytes) -> None:
        """Hand data to TCP for sending on this connection."""
        self._call(send_label(data), self.endpoint.send, data)

    def close(self) -> None:
        """Close our direction (FIN); with ``linger=0``, abort at once (RST, no TIME-WAIT)."""
        if self.linger == 0 and self.state not in (State.CLOSED, State.TIME_WAIT):
            self._call("close() linger=0", self.endpoint.abort)
            return
        self._call("close()", self.endpoint.close)

    def abort(self) -> None:
        """Abort the connection (RST)."""
        self._call("abort()", self.endpoint.abort)

    # ------------------------------------------------------------------ for the network
    def _stamp(self, seg: Segment) -> Segment:
        """``seg`` as it goes on the wire: with this socket pair's ports."""
        # a copy with two fields more, without validating again what the endpoint built
        # (the ports were checked when the connection was made): the hot path of a server
        stamped = object.__new__(Segment)
        stamped.__dict__.update(seg.__dict__, sport=self.local_port, dport=self.remote_port)
        return stamped

    def _settle(self) -> None:
        """After each event: the host updates its table and the listener's queues."""
        self.host._settled(self)
