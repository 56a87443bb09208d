"""One endpoint object for each endpoint state the search makes: what the explorer's
remembered steps (:meth:`Model._act`) are keyed by.

Different orders of events often leave a host in the very same state, field for field
(its history included): e.g. two segments it ignored, met in either order.  The search
then keeps one of the equal endpoints (an endpoint in a world never changes), so that a
step taken from it is taken once.  Two endpoints are only taken for equal when every field
is equal — those that hold objects of their own (the ISN source, the transition table, the
edges taken, an error) by identity; a field this module does not know turns it off.
"""

from __future__ import annotations

from ..endpoint import Endpoint
from ..tcb import ReassemblyQueue, Tcb

__all__ = ["fingerprint"]

#: the fields fingerprinted (``_key`` and ``_out`` are a cache and a scratch list: empty,
#: or equal for equal states, between two events)
_ENDPOINT_FIELDS = frozenset({
    "_iss_source", "_key", "_marks", "_now", "_out", "_received", "error", "handshake",
    "history", "keep", "max_retries", "mss", "name", "rto_initial", "rto_max", "state",
    "table", "tcb", "time_wait", "time_wait_syn", "timers", "transitions", "user_timeout",
    "window"})
_TCB_FIELDS = frozenset({
    "ack_needed", "before_reopen", "fin_seq", "fin_wanted", "irs", "iss", "last_dupack",
    "opened", "peer", "rcv_nxt", "reassembly", "retries", "rtt", "rtx", "send_buffer",
    "snd_nxt", "snd_una", "snd_wnd"})


def fingerprint(ep: Endpoint) -> tuple | None:
    """Equal for two endpoints only if they are equal in every field (None: not known)."""
    d = ep.__dict__
    if type(ep) is not Endpoint or d.keys() != _ENDPOINT_FIELDS or d["_out"]:
        return None
    tcb = _tcb(d["tcb"])
    if tcb is None:
        return None
    error = d["error"]
    # states and edges are the table's own objects: by identity (and faster so)
    return (d["name"], id(d["state"]), tuple(map(id, d["history"])),
            tuple(map(id, d["transitions"])),
            tuple(d["timers"].items()), bytes(d["_received"]),
            error if error is None or type(error) is str else id(error), d["_now"],
            id(d["_iss_source"]), id(d["table"]), d["handshake"], d["time_wait_syn"],
            d["time_wait"], d["mss"], d["window"], d["rto_initial"], d["rto_max"],
            d["max_retries"], d["user_timeout"], d["keep"], tuple(d["_marks"]), tcb)


def _tcb(t: Tcb) -> tuple | None:
    d = t.__dict__
    if type(t) is not Tcb or d.keys() != _TCB_FIELDS:
        return None
    queue = d["reassembly"]
    if type(queue) is not ReassemblyQueue:
        return None
    before = d["before_reopen"]
    if before is not None:
        before = _tcb(before)
        if before is None:
            return None
    return (d["peer"], d["opened"], d["iss"], d["irs"], d["snd_una"], d["snd_nxt"],
            d["snd_wnd"], d["rcv_nxt"], bytes(d["send_buffer"]), tuple(d["rtx"]),
            d["fin_wanted"], d["fin_seq"], tuple(queue.segments.items()), queue.fin,
            d["ack_needed"], d["last_dupack"], d["retries"], d["rtt"], before)
