"""Checking an endpoint's options before any is taken (:class:`~tcplab.endpoint.Endpoint`'s
constructor): a wrong one gets an error in words, and nothing is made."""

from __future__ import annotations

from typing import Callable

from . import seqnum
from .fsm import table
from .isn import clock_isn


def _check_number(name: str, value, *, minimum: float = 0.0, integer: bool = False,
                  allow_zero: bool = True):
    ok_type = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, ok_type):
        kind = "a whole number" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if value < minimum or (not allow_zero and value == 0):
        raise ValueError(f"{name} must be {'>' if not allow_zero else '>='} {minimum}, "
                         f"got {value!r}")


def _iss_source(iss: int | Callable[[float], int] | None) -> Callable[[float], int]:
    """The ISN generator the ``iss`` option names."""
    if iss is None:
        return clock_isn
    if callable(iss):
        return iss
    if isinstance(iss, bool) or not isinstance(iss, int):
        raise TypeError(f"iss must be a whole number in [0, 2**32), got {iss!r}")
    if not 0 <= iss < seqnum.MOD:
        raise ValueError(f"iss must be in [0, 2**32), got {iss}")
    return lambda now: iss


def _validate(handshake, time_wait_syn, time_wait, mss, window, rto_initial, rto_max,
              max_retries, user_timeout, table_) -> None:
    """Check the endpoint's options (the constructor's) before any is taken."""
    table(handshake, time_wait_syn=time_wait_syn)  # validates both
    _check_number("time_wait", time_wait)
    _check_number("mss", mss, minimum=1, integer=True)
    _check_number("window", window, minimum=1, integer=True)
    if window >= 2**16:
        raise ValueError(f"window must be below 65536 (no window scaling), got {window}")
    _check_number("rto_initial", rto_initial, allow_zero=False)
    _check_number("rto_max", rto_max, minimum=rto_initial)
    _check_number("max_retries", max_retries, integer=True)
    if user_timeout is not None:
        _check_number("user_timeout", user_timeout, allow_zero=False)
    if not callable(getattr(table_, "lookup", None)):
        raise TypeError(f"table must have a lookup(state, event, ...) method, such as "
                        f"tcplab.tables.PatchedTable(cells); got {table_!r}")
