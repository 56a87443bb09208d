"""Initial sequence numbers (ISNs): RFC 793's clock and RFC 6528's clock plus a keyed hash.

RFC 793 chose the ISN from a 32-bit clock that ticks every 4 µs (:func:`clock_isn`): the
numbers of a new connection then lie above those of an older one, but anyone who has seen
one ISN and knows the time can work out the next.  RFC 6528 (after RFC 1948) keeps the
clock ``M`` and adds a keyed hash of the connection's identity::

    ISN = M + F(localip, localport, remoteip, remoteport, secretkey)

so a host that learned the ISN of *its own* connection learns nothing about the ISN of a
connection between two other ends.  Here the identity is the two host names (and, for a
connection with ports, ``name:port`` at each end: :mod:`tcplab.sockets`), ``F`` is SHA-256 (RFC 6528 suggests MD5; Linux uses SipHash and a
clock of 64 ns), and each host's secret is derived from the network's seed, so a run stays
deterministic.
"""

from __future__ import annotations

import hashlib

from . import seqnum

__all__ = ["clock_isn", "KeyedIsn", "predict_clock"]


def clock_isn(now: float) -> int:
    """RFC 793's ISN generator: a 32-bit clock whose low bit ticks every 4 µs."""
    return int(now * 250_000) % seqnum.MOD


class KeyedIsn:
    """RFC 6528's ISN generator: ``clock_isn(now) + F(local, remote, secret)``.

    It is called with ``(now, local, remote)`` (an endpoint sees that it is ``keyed``).
    """

    keyed = True

    def __init__(self, secret: bytes):
        if not isinstance(secret, bytes) or not secret:
            raise TypeError(f"the secret must be non-empty bytes, got {secret!r}")
        self._secret = secret

    @classmethod
    def from_seed(cls, seed: int, host: str) -> "KeyedIsn":
        """The generator of host ``host`` on the network with this seed."""
        return cls(hashlib.sha256(f"tcplab-isn-secret/{seed}/{host}".encode()).digest())

    def offset(self, local: str, remote: str | None) -> int:
        """F(local, remote, secret): the part of the ISN an outsider cannot compute."""
        digest = hashlib.sha256(self._secret + f"|{local}|{remote}".encode()).digest()
        return int.from_bytes(digest[:4], "big")

    def __call__(self, now: float, local: str = "", remote: str | None = None) -> int:
        return seqnum.add(clock_isn(now), self.offset(local, remote))

    def __repr__(self) -> str:
        return "KeyedIsn(<secret>)"


def predict_clock(seen: int, seen_at: float, at: float) -> int:
    """An attacker's guess: the ISN a clock generator gives at time ``at``, from one ISN
    ``seen`` that it gave at ``seen_at`` (the clock moved on 250,000 a second)."""
    return seqnum.add(seen, int(round((at - seen_at) * 250_000)))
