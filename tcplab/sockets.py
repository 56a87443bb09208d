"""A host that holds many connections: listening sockets, the socket-pair table, ports.

The part of :class:`~tcplab.network.Host` that the calls with ports use
(``b.listen(port=80)``, ``a.connect("B", port=80)``, ``b.accept()``,
``host.connections``).  The sans-IO :class:`~tcplab.endpoint.Endpoint` stays one
connection; the host **demultiplexes**: an arriving segment with ports goes to the
connection of its socket pair (local port, remote host, remote port), else to the
listening socket of its destination port, else it is refused with RST as RFC 9293
§3.10.7.1 says for a segment to no connection ("connection refused" for a SYN).

A segment without ports (the calls without ports: ``a.connect("B")``, ``b.listen()``)
goes to the host's own single endpoint, exactly as before ports existed.

**The host's single-connection attributes** (``b.state``, ``b.history``,
``b.received``, ``b.error``, ``b.iss``, ``b.send()``, ``b.close()``, ``b.abort()`` ...)
act on the host's one socket: its single connection, or its listening socket if that is
all it has; once it holds more than one socket they raise :class:`ManySockets`, in
words, pointing to the Connection objects (what ``connect()`` returned, ``accept()``,
``host.connections``).

**Host options** (as sysctls are a host's): ``syn_cookies`` (Linux's
``net.ipv4.tcp_syncookies``: answer with SYN cookies when a SYN queue is full),
``tw_reuse`` (``net.ipv4.tcp_tw_reuse``) and ``port_range``
(``net.ipv4.ip_local_port_range``).  **Socket options** (per call, as ``setsockopt``
is per socket): ``reuse_address`` (``SO_REUSEADDR``) and ``linger`` (``SO_LINGER``) on
``listen()`` and ``connect()``; a connection a listening socket makes inherits them.

``tw_reuse``: an outgoing connection may take the socket pair of a connection of this
host that is in TIME-WAIT, if that TIME-WAIT began at least 1 s ago (Linux's rule), and
the new connection's ISN is then set 65,537 above the old connection's SND.NXT (Linux:
``tw_snd_nxt + 65535 + 2``).  Why that is safe: TIME-WAIT exists so that old segments
of the pair cannot be taken for the new incarnation's; the new numbers start above
every number the old connection sent, so an old duplicate falls below the new
receive window and is not accepted.  Linux needs TCP timestamps for it (PAWS rejects an
old segment by its timestamp, whatever its sequence number); tcplab has no timestamps,
so the sequence-number jump (and the wait of 1 s, for the peer's last ACK) is what
makes it safe here.
"""

from __future__ import annotations

import hashlib

from . import seqnum
from .arrival import S      # State's members as plain attributes (read per event)
from .connection import Connection, check_linger
from .endpoint import Endpoint
from .fsm import Event, State
from .listener import Listener
from .outputs import Note, Transmit
from .ports import EPHEMERAL, NoFreePort, PortChooser, PortInUse, check_port, check_range
from .segment import Flag, Segment
from .text import N_
from .trace import Kind, words

__all__ = ["Sockets", "ManySockets", "TW_REUSE_AFTER"]

#: seconds a TIME-WAIT must have lasted before tw_reuse may take its socket pair (Linux: 1)
TW_REUSE_AFTER = 1.0
#: Linux's jump of the ISN over a reused TIME-WAIT connection's SND.NXT
TW_REUSE_JUMP = 65535 + 2


class ManySockets(ValueError):
    """A single-connection attribute of a host that holds several sockets."""


class _PortKeyed:
    """RFC 6528's generator with the ports in the connection's identity."""

    keyed = True

    def __init__(self, source, local_port, remote_port):
        self._source, self._lp, self._rp = source, local_port, remote_port

    def __call__(self, now, local="", remote=None):
        return self._source(now, f"{local}:{self._lp}", f"{remote}:{self._rp}")


def _check_backlog(backlog) -> int:
    if isinstance(backlog, bool) or not isinstance(backlog, int) or backlog < 1:
        raise ValueError(str(words(N_("backlog must be a whole number >= 1 (how many "
                                      "connections may wait in each queue), such as 128; "
                                      "got {value}"), value=repr(backlog))))
    return backlog


class Sockets:
    """The sockets of a :class:`~tcplab.network.Host` that uses ports (a mixin)."""

    def _init_sockets(self, options: dict, syn_cookies: bool = False, tw_reuse: bool = False,
                      port_range=None) -> None:
        for flag, value in (("syn_cookies", syn_cookies), ("tw_reuse", tw_reuse)):
            if not isinstance(value, bool):
                raise TypeError(f"{flag} must be True or False, got {value!r}")
        self.syn_cookies = syn_cookies
        self.tw_reuse = tw_reuse
        # (Linux's range, the default, is known good: a host is made per experiment run)
        self.port_range = EPHEMERAL if port_range is None else check_range(port_range)
        self._options = options                      # the Endpoint's, for new connections
        self._listeners: dict[int, Listener] = {}
        self._table: dict[tuple, Connection] = {}    # (local port, remote, remote port)
        self._port_users: dict[int, int] = {}        # local port -> connections on it
        self._bound: dict[int, int] = {}             # ... of them bound (not ephemeral)
        self._ports: PortChooser | None = None
        self._many = False       # a socket with a port was ever made
        self._last = None        # the socket made last

    # ------------------------------------------------------------------ what it holds
    @property
    def connections(self) -> list[Connection]:
        """Every connection (with ports) the host holds, TIME-WAIT ones included, oldest
        first.  A CLOSED connection is no longer held."""
        return list(self._table.values())

    @property
    def listeners(self) -> list[Listener]:
        """The listening sockets, by port."""
        return [self._listeners[p] for p in sorted(self._listeners)]

    def _secret(self, what: str) -> bytes:
        return hashlib.sha256(f"tcplab-{what}-secret/{self.network.seed}/"
                              f"{self.name}".encode()).digest()

    def _single(self):
        """The host's one socket (see the module's doc)."""
        if not self._many:
            return self.endpoint
        sockets = list(self._listeners.values()) + list(self._table.values())
        if self.endpoint.state is not State.CLOSED:
            sockets.append(self.endpoint)
        if len(sockets) == 1:
            return sockets[0]
        if not sockets:
            return self._last
        shown = ", ".join(map(_brief, sockets[:3])) + (", ..." if len(sockets) > 3 else "")
        raise ManySockets(str(words(N_(
            "host {name} holds {count} sockets ({sockets}), so its single-connection "
            "attributes and calls would not say which one. Use the Connection objects: "
            "what connect() returned, accept(), {name}.connections"),
            name=self.name, count=len(sockets), sockets=shown)))

    def _brief(self) -> str:
        """A few words for reprs: the state, or how many sockets."""
        try:
            return str(self._single().state)
        except ManySockets:
            return f"{len(self._table)} connections, {len(self._listeners)} listening"

    # ------------------------------------------------------------------ making sockets
    def _new_endpoint(self, local_port, remote, remote_port, **overrides) -> Endpoint:
        options = {**self._options, **overrides}
        if getattr(options.get("iss"), "keyed", False):
            options["iss"] = _PortKeyed(options["iss"], local_port, remote_port)
        return Endpoint(self.name, **options, _checked=True)   # (the host's own options)

    def _hold(self, conn: Connection) -> None:
        self._many = True
        self._last = conn
        self._table[conn.key] = conn
        _count(self._port_users, conn.local_port, +1)
        if conn.bound:
            _count(self._bound, conn.local_port, +1)

    def _forget(self, conn: Connection) -> None:
        """The host no longer holds ``conn``; its pending timers die."""
        if conn.gone:
            return
        conn.gone = True
        if self._table.get(conn.key) is conn:
            del self._table[conn.key]
        _count(self._port_users, conn.local_port, -1)
        if conn.bound:
            _count(self._bound, conn.local_port, -1)
        for timer in list(conn.endpoint.timers):
            conn._generation[timer] = conn._generation.get(timer, 0) + 1
        listener = conn.listener
        if listener is not None and conn._queue is not None:
            queue = listener.syn_queue if conn._queue == "syn" else listener.accept_queue
            queue.remove(conn)
            conn._queue = None

    def _settled(self, conn: Connection) -> None:
        """After an event of ``conn``: TIME-WAIT's start, the queues, forgetting it."""
        state = conn.endpoint.state
        if state is S.TIME_WAIT and conn.time_wait_since is None:
            conn.time_wait_since = self.network.now
        listener = conn.listener
        if state is S.CLOSED or (listener is not None and state is S.LISTEN):
            self._forget(conn)
        elif (listener is not None and not conn.accepted and state is not S.SYN_RECEIVED
              and conn._queue != "accept"):
            if conn._queue == "syn":
                listener.syn_queue.remove(conn)
            listener.accept_queue.append(conn)
            conn._queue = "accept"

    def _unlisten(self, listener: Listener) -> None:
        if self._listeners.get(listener.port) is listener:
            del self._listeners[listener.port]

    # ------------------------------------------------------------------ listen, accept
    def _listen_port(self, port, backlog, reuse_address, linger) -> Listener:
        port = check_port(port)
        backlog = _check_backlog(backlog)
        linger = check_linger(linger)
        if port in self._listeners:
            raise PortInUse(str(words(N_("{name} already listens on port {port}: one "
                                         "listening socket per port"),
                                      name=self.name, port=port)))
        if self._port_users.get(port) and not reuse_address:
            user = next(c for c in self._table.values() if c.local_port == port)
            raise PortInUse(str(words(N_(
                "port {port} of {name} is in use ({connection} is in {state}): Address "
                "already in use. reuse_address=True (SO_REUSEADDR) lets a server listen "
                "again while its old connections finish"),
                port=port, name=self.name, connection=_brief(user), state=user.state)))
        listener = Listener(self, port, backlog, reuse_address=bool(reuse_address),
                            linger=linger)
        self._listeners[port] = listener
        self._many = True
        self._last = listener
        net = self.network
        net._record(Kind.CALL, self.name, None, f"listen(port={port}, backlog={backlog})",
                    port=port)
        t = self.endpoint.table.lookup(State.CLOSED, Event.LISTEN, opened=None,
                                       handshake=self.handshake,
                                       time_wait_syn=self.time_wait_syn)
        net._record(Kind.STATE, self.name, None, t.label, state=State.LISTEN, port=port)
        return listener

    def accept(self, port: int | None = None) -> Connection | None:
        """The next established connection from the accept queue (of the listening
        socket on ``port``; None: of any, lowest port first), or None if none waits."""
        if port is not None:
            listener = self._listeners.get(check_port(port))
            if listener is None:
                raise ValueError(str(words(N_("{name} does not listen on port {port}"),
                                           name=self.name, port=port)))
            return listener.accept()
        if not self._listeners:
            raise ValueError(str(words(N_(
                "{name} has no listening socket: accept() takes connections from the "
                "queue of listen(port=...). (listen() without a port is RFC 9293's single "
                "TCB, which becomes the connection itself: read {name}.state)"),
                name=self.name)))
        for listener in self.listeners:
            conn = listener.accept()
            if conn is not None:
                return conn
        return None

    # ------------------------------------------------------------------ connect
    def _tw_reusable(self, conn: Connection, now: float) -> bool:
        return (self.tw_reuse and conn.state is State.TIME_WAIT
                and conn.time_wait_since is not None
                and now - conn.time_wait_since >= TW_REUSE_AFTER)

    def _ephemeral(self, peer: str, port: int, now: float) -> int:
        if self._ports is None:
            self._ports = PortChooser(self._secret("ports"), *self.port_range)

        def usable(p: int) -> bool:
            if p in self._listeners or self._bound.get(p):
                return False
            same = self._table.get((p, peer, port))
            return same is None or self._tw_reusable(same, now)

        chosen = self._ports.choose(peer, port, usable)
        if chosen is None:
            low, high = self.port_range
            waiting = sum(1 for c in self._table.values()
                          if c.remote == (peer, port) and c.state is State.TIME_WAIT)
            raise NoFreePort(str(words(N_(
                "no free local port on {name} for a connection to {peer}:{port}: all "
                "{count} ports of the range {low}-{high} are taken ({waiting} of them by "
                "connections in TIME-WAIT). Linux says 'Cannot assign requested address'"),
                name=self.name, peer=peer, port=port, count=high - low + 1, low=low,
                high=high, waiting=waiting)))
        return chosen

    def _bind(self, local_port, peer, port, reuse_address, now) -> Connection | None:
        """Check that ``local_port`` may be used; the TIME-WAIT connection it replaces."""
        local_port = check_port(local_port, "local_port")
        if local_port in self._listeners:
            raise PortInUse(str(words(N_("port {port} of {name} is in use by its listening "
                                         "socket: Address already in use"),
                                      port=local_port, name=self.name)))
        same = self._table.get((local_port, peer, port))
        if same is not None and self._tw_reusable(same, now):
            return same
        if same is not None or (self._port_users.get(local_port) and not reuse_address):
            user = same or next(c for c in self._table.values()
                                if c.local_port == local_port)
            raise PortInUse(str(words(N_(
                "port {port} of {name} is in use ({connection} is in {state}): Address "
                "already in use"), port=local_port, name=self.name,
                connection=_brief(user), state=user.state)))
        return None

    def _connect_port(self, peer, port, local_port, reuse_address, linger) -> Connection:
        if not isinstance(peer, str) or not peer:
            raise TypeError(f"connect() needs the peer's name as a string, such as 'B'; "
                            f"got {peer!r}")
        if peer == self.name:
            raise ValueError(f"{self.name} cannot connect to itself; name another host")
        port = check_port(port)
        linger = check_linger(linger)
        now = self.network.now
        explicit = local_port is not None
        if explicit:
            replaced = self._bind(local_port, peer, port, reuse_address, now)
        else:
            local_port = self._ephemeral(peer, port, now)
            replaced = self._table.get((local_port, peer, port))
        overrides = {}
        if replaced is not None:
            overrides["iss"] = seqnum.add(replaced.endpoint.tcb.snd_nxt, TW_REUSE_JUMP)
        endpoint = self._new_endpoint(local_port, peer, port, **overrides)
        outputs = endpoint.connect(peer, now=now)
        net = self.network
        if replaced is not None:
            self._forget(replaced)
            net._record(Kind.NOTIFY, self.name, None, words(N_(
                "tw_reuse: {connection} has been in TIME-WAIT for {seconds} s; the new "
                "connection takes its socket pair, ISN {iss} above its numbers"),
                connection=_brief(replaced),
                seconds=f"{now - replaced.time_wait_since:g}", iss=endpoint.iss),
                port=local_port, remote=(peer, port))
        conn = Connection(self, endpoint, local_port, peer, port, linger=linger,
                          bound=explicit)
        conn.reuse_address = bool(reuse_address)
        self._hold(conn)
        net._record(Kind.CALL, self.name, None, f"connect({peer!r}, port={port})",
                    port=local_port, remote=(peer, port))
        net._apply(conn, outputs)
        return conn

    # ------------------------------------------------------------------ arriving segments
    def _demultiplex(self, seg: Segment, now: float):
        """A segment with ports arrives: (the socket it is for, what that socket does)."""
        conn = self._table.get((seg.dport, seg.src, seg.sport))
        if conn is not None:
            listener = conn.listener
            if (listener is not None and conn.endpoint.state is S.SYN_RECEIVED
                    and listener.accept_queue_full and Flag.ACK in seg.flags
                    and not seg.flags & (Flag.SYN | Flag.RST)):
                listener.drops += 1
                listener.overflows += 1
                return conn, [Note("ignore", words(N_(
                    "accept queue of {name}:{port} full: the ACK that completes the "
                    "handshake is dropped; the connection stays half-open"),
                    name=self.name, port=seg.dport), seg)]
            return conn, conn.endpoint.receive(seg, now=now)
        listener = self._listeners.get(seg.dport)
        if listener is not None:
            return listener.arrive(seg, now)
        if self.endpoint.state is State.LISTEN:
            why = words(N_("nobody listens on port {port} of {name}: connection refused "
                           "({name} listens without a port: listen(port={port}) opens "
                           "port {port})"), port=seg.dport, name=self.name)
        else:
            why = words(N_("nobody listens on port {port} of {name}: connection refused"),
                        port=seg.dport, name=self.name)
        return self, self._refuse(seg, why)

    def _refuse(self, seg: Segment, why) -> list:
        """RFC 9293 §3.10.7.1: the RST for a segment that belongs to no connection."""
        if Flag.RST in seg.flags:
            return [Note("ignore", words(N_("an RST for no connection is dropped ({why})"),
                                         why=why), seg)]
        if Flag.ACK in seg.flags:
            rst = Segment(self.name, seg.src, Flag.RST, seg.ack, 0, b"", self.endpoint.window,
                          seg.dport, seg.sport)
        else:
            rst = Segment(self.name, seg.src, Flag.RST | Flag.ACK, 0,
                          seqnum.add(seg.seq, seg.len), b"", self.endpoint.window,
                          seg.dport, seg.sport)
        return [Transmit(rst), Note("reply", words(N_("RST: {why}"), why=why), seg)]


def _brief(sock) -> str:
    """``A:49152→B:80 ESTABLISHED``, ``B:80 LISTEN``, or the host's own connection."""
    if isinstance(sock, Connection):
        return (f"{sock.name}:{sock.local_port}→{sock.remote_host}:{sock.remote_port} "
                f"{sock.state}")
    if isinstance(sock, Listener):
        return f"{sock.name}:{sock.port} {sock.state}"
    return f"{sock.name} {sock.state}"


def _count(counts: dict[int, int], port: int, by: int) -> None:
    """Count a connection on ``port`` in or out; a port no connection uses leaves the map,
    so a long-running server's table does not keep every port it ever used."""
    left = counts.get(port, 0) + by
    if left:
        counts[port] = left
    else:
        counts.pop(port, None)
