"""One host, several connections: which socket a state box belongs to, and one
connection's part of a trace.

A server's time line carries the states of its listening socket and of every
connection it made; beside one line, "ESTABLISHED" would not say whose it is.  So when
a host's states come from more than one socket, each box names its socket, local port
first as the host column of the trace does: ``80 LISTEN`` (the listening socket),
``80/A:49152 ESTABLISHED`` (B's connection with A's port 49152).  A host with one
socket (every trace without ports) keeps its plain boxes, byte for byte.
"""

from __future__ import annotations

__all__ = ["socket_of", "name_sockets", "PairFilter"]


def socket_of(record) -> tuple:
    """(port, remote) of a trace record: (None, None) for the host's own endpoint."""
    return (record.port, record.remote)


def _prefix(port, remote) -> str:
    if port is None:
        return ""
    if remote is None:
        return f"{port}"
    return f"{port}/{remote[0]}:{remote[1]}"


def name_sockets(states: list[tuple], sockets: list[tuple]) -> list[tuple]:
    """``states`` ((time, host, state), as the trace reader gives them) with each
    state written ``"80/A:49152 ESTABLISHED"`` on the hosts whose states come from
    several sockets; ``sockets`` gives each state's (port, remote)."""
    seen: dict[str, set] = {}
    for (_t, host, _st), sock in zip(states, sockets):
        seen.setdefault(host, set()).add(sock)
    several = {host for host, socks in seen.items() if len(socks) > 1}
    if not several:
        return states
    out = []
    for (t, host, st), (port, remote) in zip(states, sockets):
        prefix = _prefix(port, remote) if host in several else ""
        out.append((t, host, f"{prefix} {st}" if prefix else st))
    return out


class PairFilter:
    """One connection's segments and states: ``connection`` is a
    :class:`~tcplab.connection.Connection` (either end), or its socket pair
    ``(("A", 49152), ("B", 80))``.  The listening socket that made the server's end
    counts as that end's start (its LISTEN)."""

    def __init__(self, connection):
        pair = None
        if hasattr(connection, "local") and hasattr(connection, "remote"):
            pair = (tuple(connection.local), tuple(connection.remote))
        elif isinstance(connection, (tuple, list)) and len(connection) == 2:
            pair = tuple(tuple(end) if isinstance(end, (tuple, list)) else end
                         for end in connection)
        if (pair is None or not all(isinstance(end, tuple) and len(end) == 2
                                    and isinstance(end[0], str) and isinstance(end[1], int)
                                    for end in pair)):
            raise TypeError(f"connection must be a Connection (what connect() or accept() "
                            f"returned) or a socket pair such as (('A', 49152), ('B', 80)); "
                            f"got {connection!r}")
        (h1, p1), (h2, p2) = pair
        self.pair = pair
        self._segments = {(h1, p1, h2, p2), (h2, p2, h1, p1)}
        self._sockets = {(h1, p1, (h2, p2)), (h2, p2, (h1, p1))}
        # a listening socket on either end's port (its LISTEN: where a server's side began)
        self._listening = {(h1, p1, None), (h2, p2, None)}

    def segment(self, seg) -> bool:
        return (seg.src, seg.sport, seg.dst, seg.dport) in self._segments

    def state(self, host: str, port, remote) -> bool:
        key = (host, port, remote)
        return key in self._sockets or key in self._listening
