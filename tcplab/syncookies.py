"""SYN cookies, as Linux computes them (``net/ipv4/syncookies.c``).

When a listening socket's SYN queue is full, a host with ``syn_cookies=True`` still
answers a SYN, with a SYN+ACK whose initial sequence number *is* the connection's
memory, and keeps no state at all::

    cookie = H(0) + client_isn + (count << 24) + ((H(count) + mss_index) mod 2**24)

``H(c)`` is a keyed hash of the socket pair (and of ``c``), ``count`` a clock that
ticks once a minute (Linux's ``tcp_cookie_time()``), ``mss_index`` two bits that say
which of four MSS values (:data:`MSS_TABLE`) the connection uses.  When the client's
ACK arrives, ``ack - 1`` is the cookie and ``seq - 1`` the client's ISN: the host
subtracts ``H(0) + client_isn``, reads ``count`` from the top 8 bits, accepts a cookie
at most :data:`MAX_AGE` − 1 minutes old, subtracts ``H(count)`` and finds a valid MSS
index — or knows the ACK is forged.  An attacker who does not see the SYN+ACK (spoofed
source) cannot forge a valid ACK without the secret.

The price, as in Linux: what the SYN said beyond the MSS is not remembered, and a
cookie carries only four MSS values.  tcplab's segments carry no MSS option, so the
cookie encodes the largest table entry not above the listening host's own ``mss``,
which the rebuilt connection then uses.
"""

from __future__ import annotations

import hashlib

from . import seqnum

__all__ = ["MSS_TABLE", "MAX_AGE", "PERIOD", "mss_index", "make", "check"]

#: Linux's msstab for IPv4: the MSS values a cookie can say (2 bits)
MSS_TABLE = (536, 1300, 1440, 1460)
#: a cookie is valid while its minute counter is less than this many minutes old
MAX_AGE = 2
#: seconds per tick of the cookie clock (Linux: 60 s)
PERIOD = 60.0
COOKIEBITS = 24
COOKIEMASK = (1 << COOKIEBITS) - 1


def mss_index(mss: int) -> int:
    """The index of the largest :data:`MSS_TABLE` entry not above ``mss`` (0 if none)."""
    return max((i for i, m in enumerate(MSS_TABLE) if m <= mss), default=0)


def _hash(secret: bytes, pair: tuple, count: int, which: int) -> int:
    text = "|".join(map(str, pair)) + f"|{count}|{which}"
    return int.from_bytes(hashlib.sha256(secret + text.encode()).digest()[:4], "big")


def _count(now: float) -> int:
    return int(now // PERIOD)


def make(secret: bytes, pair: tuple, client_isn: int, mss: int, now: float) -> int:
    """The cookie (our ISN) for a SYN from ``pair`` = (client, cport, server, sport)."""
    count = _count(now)
    value = (_hash(secret, pair, 0, 0) + client_isn + (count << COOKIEBITS)
             + ((_hash(secret, pair, count, 1) + mss_index(mss)) & COOKIEMASK))
    return value % seqnum.MOD


def check(secret: bytes, pair: tuple, client_isn: int, cookie: int, now: float) -> int | None:
    """The MSS a valid ``cookie`` encodes, or None if it is forged or too old."""
    count = _count(now)
    value = (cookie - _hash(secret, pair, 0, 0) - client_isn) % seqnum.MOD
    age = (count - (value >> COOKIEBITS)) & (seqnum.MOD - 1 >> COOKIEBITS)
    if age >= MAX_AGE:
        return None
    index = (value - _hash(secret, pair, count - age, 1)) & COOKIEMASK
    return MSS_TABLE[index] if index < len(MSS_TABLE) else None
