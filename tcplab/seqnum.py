"""32-bit sequence-number arithmetic (RFC 9293 §3.4).

Sequence numbers live on a circle of 2**32 points: after 4294967295 comes 0.
"a < b" therefore means "b lies less than half the circle ahead of a", which
is how every comparison in the endpoint is made.  Plain ``<`` on the integers
would be wrong as soon as a connection's numbers wrap around.
"""

from __future__ import annotations

MOD = 2**32
HALF = 2**31

__all__ = ["MOD", "add", "sub", "lt", "le", "gt", "ge", "in_window", "between"]


def add(a: int, n: int) -> int:
    """``a + n`` on the circle."""
    return (a + n) % MOD


def sub(a: int, b: int) -> int:
    """The signed distance from ``b`` to ``a`` (``a - b``), in (-2**31, 2**31]."""
    d = (a - b) % MOD
    return d - MOD if d > HALF else d


def lt(a: int, b: int) -> bool:
    """``a`` comes before ``b``."""
    # each comparison inlines sub() (d > HALF is a negative distance): they run on every
    # segment, and a call more per comparison is a tenth of the endpoint's time
    return (a - b) % MOD > HALF


def le(a: int, b: int) -> bool:
    """``a`` comes before ``b`` or is ``b``."""
    d = (a - b) % MOD
    return d == 0 or d > HALF


def gt(a: int, b: int) -> bool:
    """``a`` comes after ``b``."""
    return 0 < (a - b) % MOD <= HALF


def ge(a: int, b: int) -> bool:
    """``a`` comes after ``b`` or is ``b``."""
    return (a - b) % MOD <= HALF


def in_window(x: int, start: int, size: int) -> bool:
    """``start <= x < start + size`` on the circle (an empty window holds nothing)."""
    return 0 <= (x - start) % MOD < size


def between(low: int, x: int, high: int) -> bool:
    """``low < x <= high`` on the circle: the RFC's test for an acceptable ACK."""
    return lt(low, x) and le(x, high)
