"""A host on the toy network: what ``net.host("A")`` returns.

Its own single endpoint answers the calls without ports, as the first lessons use it;
the calls with ports (``listen(port=80)``, ``connect("B", port=80)``) give it many
connections (:mod:`tcplab.sockets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .connection import send_label
from .endpoint import Endpoint
from .sockets import ManySockets, Sockets
from .text import _
from .trace import Kind

if TYPE_CHECKING:
    from .network import Network

__all__ = ["Host", "ManySockets"]


class Host(Sockets):
    """An endpoint attached to a :class:`Network`: what ``net.host("A")`` returns.

    Application calls (``listen``, ``connect``, ``send``, ``close``, ``abort``)
    happen at the network's current time; the segments they produce go on the
    wire at once.  ``state``, ``history``, ``received``, ``error`` and ``iss``
    read the endpoint.  With ports (``listen(port=80)``, ``connect("B", port=80)``)
    a host holds many connections: see :mod:`tcplab.sockets` (then these attributes
    read the host's one socket, and raise :class:`ManySockets` if it has several).
    """

    _stamp = None          # the host's own endpoint sends its segments as they are
    _settle = None
    _trace_port = None
    _trace_remote = None

    def __init__(self, network: "Network", endpoint: Endpoint, options: dict | None = None,
                 **sockets):
        self.network = network
        self.endpoint = endpoint
        self._generation: dict[str, int] = {}
        self._init_sockets(options or {}, **sockets)

    name = property(lambda self: self.endpoint.name)

    @property
    def state(self):
        """current State"""
        # read after every step by whoever drives the network: the usual host, without
        # ports, answers at once
        if not self._many:
            return self.endpoint.state
        return self._single().state

    history = property(lambda self: self._single().history,
                       doc="States entered, in order, starting with CLOSED")
    received = property(lambda self: self._single().received,
                        doc="bytes delivered to the application, in order")
    error = property(lambda self: self._single().error,
                     doc="None, or why the last connection ended abnormally")
    iss = property(lambda self: self._single().iss,
                   doc="initial send sequence number of the current (or last) connection")
    handshake = property(lambda self: self.endpoint.handshake)
    time_wait_syn = property(lambda self: self.endpoint.time_wait_syn,
                             doc="what a SYN arriving in TIME-WAIT does (tcplab.fsm)")
    transitions = property(lambda self: self._single().transitions,
                           doc="every edge of the table taken, in order")
    last_transition = property(lambda self: self._single().last_transition,
                               doc="the edge of the table taken last")
    peer = property(lambda self: self._single().peer)

    def legal_calls(self):
        return self._single().legal_calls()

    def tcb_table(self):
        """The TCB in full (传输控制块) now: see :meth:`Endpoint.tcb_table`."""
        single = self._single()
        if single is not self.endpoint:
            return single.tcb_table()
        return self.endpoint.tcb_table(now=self.network.now)

    def _call(self, label: str, method, *args) -> None:
        outputs = method(*args, now=self.network.now)   # raises before any change
        self.network._record(Kind.CALL, self.name, None, label)
        self.network._apply(self, outputs)

    def listen(self, port: int | None = None, backlog: int | None = None, *,
               reuse_address: bool = False, linger: int | None = None):
        """Passive open: wait for a connection request.

        Without ``port``: RFC 9293's passive open of the host's single TCB, which
        becomes the connection (LISTEN, then SYN-RECEIVED).  With ``port``: a listening
        socket as BSD and Linux have (:class:`~tcplab.listener.Listener`, returned): it
        stays in LISTEN and each SYN makes a new connection; ``backlog`` (128) bounds its
        SYN queue and accept queue.  Socket options: ``reuse_address=True``
        (SO_REUSEADDR: listen although old connections on the port are still there,
        e.g. in TIME-WAIT) and ``linger=0`` (SO_LINGER, inherited by its connections).
        """
        if port is None:
            if backlog is not None or reuse_address or linger is not None:
                raise TypeError(_("backlog, reuse_address and linger belong to a listening "
                                  "socket: give its port too, e.g. listen(port=80, backlog=5)"))
            self._call("listen()", self.endpoint.listen)
            return None
        return self._listen_port(port, 128 if backlog is None else backlog,
                                 reuse_address, linger)

    def connect(self, peer: str, port: int | None = None, *, local_port: int | None = None,
                reuse_address: bool = False, linger: int | None = None):
        """Active open: send a SYN to the host named ``peer``.

        Without ``port``: the host's single connection, as always (returns None).  With
        ``port``: a new :class:`~tcplab.connection.Connection` to (peer, port), returned;
        its local port is ``local_port`` or a free ephemeral one (``port_range``).
        ``reuse_address=True`` (SO_REUSEADDR) lets ``local_port`` be one that other
        connections use; ``linger=0`` (SO_LINGER) makes its close() send RST.
        """
        if port is None:
            if local_port is not None or reuse_address or linger is not None:
                raise TypeError(_("local_port, reuse_address and linger belong to a "
                                  "connection with ports: give the port to connect to too, "
                                  "e.g. connect('B', port=80)"))
            self._call(f"connect({peer!r})", self.endpoint.connect, peer)
            return None
        return self._connect_port(peer, port, local_port, reuse_address, linger)

    def send(self, data: bytes) -> None:
        """Hand data to TCP for sending."""
        single = self._single()
        if single is not self.endpoint:
            return single.send(data)
        self._call(send_label(data), self.endpoint.send, data)

    def close(self) -> None:
        """Close our direction of the connection (FIN)."""
        single = self._single()
        if single is not self.endpoint:
            return single.close()
        self._call("close()", self.endpoint.close)

    def abort(self) -> None:
        """Abort the connection (RST)."""
        single = self._single()
        if single is not self.endpoint:
            return single.abort()
        self._call("abort()", self.endpoint.abort)

    def __repr__(self) -> str:
        return f"<Host {self.name} {self._brief()}>"
