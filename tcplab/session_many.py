"""A replayable session of a server with many clients: what the ServerLab plays.

One server host listens on one port (``b.listen(port=80, backlog=...)``); client hosts
open connections to it from ephemeral ports.  As in :mod:`tcplab.session`, every action
(a new client, ``accept()``, a call on one end of one connection, "deliver next",
"run") is appended to ``actions`` and applied, and the network is deterministic for its
seed, so :meth:`ServerSession.undo` (replay all but the last action) and
:meth:`ServerSession.reset` are exact.

A connection is named by its socket pair, and the session names it by the client's end
(client host, client port), which stays the same when the story is replayed: the
actions ``("call", "A", 49152, "server", "close")`` close B's end of the connection with
A:49152 however often the story is replayed.  :meth:`ServerSession.pairs` lists every
connection ever opened, with both ends (an end may be missing: the server has not seen
the SYN yet, or dropped it) — the CLOSED ones too, which the hosts no longer hold.

A session has no widgets; :mod:`tcplab.widgets.many` puts a face on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .connection import Connection
from .fsm import IllegalEvent, State
from .network import Network
from .replay import Replayable
from .text import N_, _
from .trace import words

__all__ = ["ServerConfig", "ServerSession", "Pair", "END_CALLS"]

#: the calls a lab offers on one end of one connection
END_CALLS = ("send", "close", "abort")
SIDES = ("client", "server")


@dataclass(frozen=True)
class ServerConfig:
    """How a server lab's network is built: the same config and actions give the same run."""

    seed: int = 0
    delay: float = 0.1
    loss: float = 0.0
    msl: float = 30.0
    server: str = "B"
    port: int = 80
    backlog: int = 128
    clients: tuple[str, ...] = ("A",)
    syn_cookies: bool = False
    tw_reuse: bool = False
    #: how every host chooses its ISNs: "rfc6528" (a clock and a hash of the socket pair,
    #: so that each connection has its own) or None (random from the seed)
    iss: str | None = "rfc6528"
    time_wait: float | None = None
    payload: bytes = b"hello"

    def build(self) -> Network:
        if not self.clients or self.server in self.clients:
            raise ValueError(_("a server lab needs one or more clients, each named "
                               "otherwise than the server {server}; got {clients}").format(
                server=self.server, clients=repr(self.clients)))
        net = Network(seed=self.seed, delay=self.delay, loss=self.loss, msl=self.msl)
        for name in self.clients:
            net.host(name, iss=self.iss, time_wait=self.time_wait, tw_reuse=self.tw_reuse)
        server = net.host(self.server, iss=self.iss, time_wait=self.time_wait,
                          syn_cookies=self.syn_cookies)
        server.listen(port=self.port, backlog=self.backlog)
        return net


@dataclass
class Pair:
    """One connection between a client and the server: its two ends (None: that end
    does not exist, or not yet)."""

    client: Connection
    server: Connection | None = None

    @property
    def key(self) -> tuple[str, int]:
        """(client host, client port): how actions name the connection."""
        return self.client.local

    def end(self, side: str) -> Connection | None:
        return self.client if side == "client" else self.server

    def label(self) -> str:
        """``B:80 ← A:49152  ESTABLISHED / ESTABLISHED``: the server's end first."""
        (ch, cp), (sh, sp) = self.client.local, self.client.remote
        server_state = str(self.server.state) if self.server is not None else "–"
        if self.server is not None and not self.server.accepted:
            server_state = _("{state}, not accepted").format(state=server_state)
        return f"{sh}:{sp} ← {ch}:{cp}  {server_state} / {self.client.state}"


class ServerSession(Replayable):
    """A server, its clients, and how they got where they are (see the module's doc)."""

    def __init__(self, config: ServerConfig | None = None, actions: Sequence[tuple] = ()):
        self.config = config or ServerConfig()
        self.actions: list[tuple] = []
        self._rebuild(list(actions))

    def _fresh(self) -> None:
        self.net = self.config.build()
        self._pairs: dict[tuple, Pair] = {}

    # ------------------------------------------------------------------ reading
    @property
    def server(self):
        return self.net.hosts[self.config.server]

    @property
    def listener(self):
        return self.server.listeners[0] if self.server.listeners else None

    def pairs(self) -> list[Pair]:
        """Every connection opened so far, oldest first, with both ends (a client port
        used again names the newer connection)."""
        return list(self._pairs.values())

    def pair(self, client: str, port: int) -> Pair:
        found = self._pairs.get((client, port))
        if found is None:
            raise ValueError(_("no connection from {client}:{port} in this lab").format(
                client=client, port=port))
        return found

    def _find_server_ends(self) -> None:
        for conn in self.server.connections:
            pair = self._pairs.get(conn.remote)
            if pair is not None and pair.client.remote == conn.local:
                pair.server = conn

    def counts(self) -> dict:
        """How many connections of the server are in each state (the listener apart)."""
        out: dict[State, int] = {}
        for conn in self.server.connections:
            out[conn.state] = out.get(conn.state, 0) + 1
        return out

    def legal(self, client: str, port: int, side: str) -> set[str]:
        """The calls the table allows on that end now (none if it does not exist)."""
        end = self.pair(client, port).end(side)
        if end is None or not end.accepted:
            return set()
        return {e.label for e in end.legal_calls()} & set(END_CALLS)

    # ------------------------------------------------------------------ actions
    def _apply(self, action: tuple) -> Any:
        kind = action[0] if action else None
        net = self.net
        if kind == "connect":
            return self._connect(*action[1:])
        if kind == "accept":
            return self.server.accept(self.config.port)
        if kind == "call":
            result = self._call(*action[1:])
            self._find_server_ends()
            return result
        if kind == "step":
            event = net.step()
            self._find_server_ends()
            return event
        if kind == "run":
            return self._run(action[1] if len(action) > 1 else None)
        raise ValueError(_("unknown action {action}").format(action=repr(action)))

    def _run(self, until: float | None) -> None:
        # event by event: a server's end that opens and closes within the run is seen
        net = self.net
        while True:
            t = net.next_time()
            if t is None or (until is not None and t > until):
                break
            net.step()
            self._find_server_ends()
        if until is not None:
            net.run(until=until)

    def _connect(self, client: str | None = None) -> Connection:
        client = self.config.clients[0] if client is None else client
        if client not in self.config.clients:
            raise ValueError(_("this lab's clients are {clients}, not {name}").format(
                clients=", ".join(self.config.clients), name=repr(client)))
        conn = self.net.hosts[client].connect(self.config.server, port=self.config.port)
        self._pairs.pop(conn.local, None)     # a port used again: the new connection, last
        self._pairs[conn.local] = Pair(conn)
        self._find_server_ends()
        return conn

    def _call(self, client: str, port: int, side: str, name: str, *args) -> None:
        if side not in SIDES:
            raise ValueError(_("side must be 'client' or 'server', not {side}").format(
                side=repr(side)))
        if name not in END_CALLS:
            raise ValueError(_("unknown application call {name}").format(name=repr(name)))
        end = self.pair(client, port).end(side)
        if end is None:
            raise ValueError(str(words(N_(
                "the server has no end of the connection from {client}:{port} yet: its SYN "
                "has not arrived, or was dropped"), client=client, port=port)))
        if not end.accepted:
            # the application holds no socket for it until accept() hands it over
            raise ValueError(str(words(N_(
                "{server} has not accepted the connection from {client}:{port} yet: the "
                "server's application gets it from accept() (the oldest in the accept "
                "queue first)"), server=self.config.server, client=client, port=port)))
        if name == "send" and not args:
            args = (self.config.payload,)
        return getattr(end, name)(*args)

    def try_do(self, *action) -> str | None:
        """Apply an action; return the reason if the table refuses it."""
        try:
            self.do(*action)
        except IllegalEvent as exc:
            return str(exc)
        return None
