"""Ports: checking a port number, and choosing a free ephemeral port as Linux does.

A connection is named by its socket pair, (local host, local port, remote host,
remote port).  A client that does not choose its port takes an *ephemeral* one from the
host's range, Linux's ``net.ipv4.ip_local_port_range`` (32768–60999 by default,
:data:`EPHEMERAL`).  Since Linux 4.2, ``connect()`` tries the even ports of the range
first and leaves the odd ones to ``bind()``; it starts at an offset that a keyed hash of
the destination gives, and moves that offset on after each success, so successive
connections to one server get successive ports (here: :class:`PortChooser`).

A port already used by a connection to the *same* destination cannot be taken again
(the socket pair must be unique); a port whose connection to that destination is in
TIME-WAIT can be, only when the host's ``tw_reuse`` says it is safe (see
:mod:`tcplab.sockets`).  When no port is left, ``connect()`` fails as Linux's does
("Cannot assign requested address"): :class:`NoFreePort`.
"""

from __future__ import annotations

import errno
import hashlib
from typing import Callable

from .text import N_
from .trace import words

__all__ = ["EPHEMERAL", "PortInUse", "NoFreePort", "check_port", "check_range",
           "PortChooser"]

#: Linux's default ephemeral range (net.ipv4.ip_local_port_range), both ends included
EPHEMERAL = (32768, 60999)


class PortInUse(OSError):
    """The port (or the socket pair) is taken: Linux's EADDRINUSE, "Address already in use"."""

    def __init__(self, message: str):
        super().__init__(errno.EADDRINUSE, message)


class NoFreePort(OSError):
    """No ephemeral port is free: Linux's EADDRNOTAVAIL, "Cannot assign requested address"."""

    def __init__(self, message: str):
        super().__init__(errno.EADDRNOTAVAIL, message)


def check_port(value, what: str = "port") -> int:
    """``value`` if it is a port number from 1 to 65535, else a clear error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(str(words(N_("{what} must be a whole number from 1 to 65535, "
                                     "such as 80; got {value}"), what=what,
                                  value=repr(value))))
    if not 1 <= value <= 65535:
        raise ValueError(str(words(N_("{what} must be a whole number from 1 to 65535, "
                                      "such as 80; got {value}"), what=what,
                                   value=repr(value))))
    return value


def check_range(value) -> tuple[int, int]:
    """A (low, high) ephemeral range, both ends ports and low <= high."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(str(words(N_("port_range must be two port numbers (low, high), "
                                     "such as (32768, 60999); got {value}"),
                                  value=repr(value))))
    low, high = (check_port(v, "each end of port_range") for v in value)
    if low > high:
        raise ValueError(str(words(N_("port_range must be (low, high) with low <= high; "
                                      "got {value}"), value=repr(value))))
    return low, high


class PortChooser:
    """A host's choice of ephemeral ports (Linux's ``__inet_hash_connect``).

    ``secret`` keys the hash (a host's, derived from the network's seed: a run stays
    deterministic); ``(low, high)`` is the range.
    """

    def __init__(self, secret: bytes, low: int, high: int):
        self._secret = secret
        self.low, self.high = low, high
        self._perturb: dict[tuple[str, int], int] = {}   # Linux's table_perturb

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def _offset(self, remote: str, port: int) -> int:
        digest = hashlib.sha256(self._secret + f"|{remote}|{port}".encode()).digest()
        return int.from_bytes(digest[:4], "big")

    def choose(self, remote: str, port: int, usable: Callable[[int], bool]) -> int | None:
        """The first port ``usable(p)`` accepts, even ports first, from the destination's
        offset; None when there is none."""
        n = self.size
        key = (remote, port)
        start = (self._offset(remote, port) + self._perturb.get(key, 0)) % n
        start &= ~1                          # even offsets first: connect()'s half
        for parity in (0, 1):
            for i in range(0, n, 2):
                index = (start + i + parity) % n
                candidate = self.low + index
                if (candidate - self.low) % 2 != parity and n > 1:
                    continue                 # an odd-sized range wraps onto the other half
                if usable(candidate):
                    self._perturb[key] = self._perturb.get(key, 0) + i + 2
                    return candidate
        # an odd-sized range: the wrap-around may have skipped ports; try them all once
        for candidate in range(self.low, self.high + 1):
            if usable(candidate):
                return candidate
        return None
