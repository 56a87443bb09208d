"""Why the state machine refuses an event: the words of :class:`~tcplab.fsm.IllegalEvent`.

Below ``tcplab.fsm`` (which raises the error and decides *whether* an event is legal),
this module only says *why*, in the language tcplab speaks: its tables are keyed by the
RFC's names (``"FIN-WAIT-1"``, the call ``"send"``), its sentences are in the message
catalogue (``tcplab.text``), and they are looked up when the error is raised.
"""

from __future__ import annotations

from typing import Sequence

from .text import N_, _

# (state, call or event label) -> why that call is refused there
_WHY = {
    ("CLOSED", "close"): N_("there is no connection to close"),
    ("CLOSED", "abort"): N_("there is no connection to abort"),
    ("CLOSED", "send"): N_("there is no connection: call connect() first"),
    ("LISTEN", "send"): N_("a listening endpoint has no peer yet: wait for a connection"),
    ("LISTEN", "listen"): N_("the endpoint is already listening"),
    ("FIN-WAIT-1", "send"): N_("the application already closed its direction (FIN sent)"),
    ("FIN-WAIT-2", "send"): N_("the application already closed its direction (FIN sent)"),
    ("CLOSING", "send"): N_("the connection is closing"),
    ("LAST-ACK", "send"): N_("the connection is closing"),
    ("TIME-WAIT", "send"): N_("the connection is closing"),
    ("FIN-WAIT-1", "close"): N_("close() was already called: the FIN is on its way"),
    ("FIN-WAIT-2", "close"): N_("close() was already called: our FIN is acknowledged"),
    ("CLOSING", "close"): N_("close() was already called: the connection is closing"),
    ("LAST-ACK", "close"): N_("close() was already called: waiting for the last ACK"),
    ("TIME-WAIT", "close"): N_("close() was already called: waiting out 2MSL"),
}

# an edge that exists only for one way of opening (Transition.when) -> why it is refused
_ONLY_WHEN = {
    "passive": N_("it only happens there after a passive open"),
    "active": N_("it only happens there after a simultaneous open"),
    "reopened": N_("it only happens there when a SYN reopened the connection from TIME-WAIT"),
}


def why(state: str, event: str, *, connected: bool, only_when: str | None) -> str:
    """Why ``event`` (a call's or an event's label) is refused in ``state``.

    ``connected``: the event opens a connection and the endpoint already has one;
    ``only_when``: the state has the edge, but only after that way of opening.
    """
    if (state, event) in _WHY:
        return _(_WHY[state, event])
    if connected:
        return _("this endpoint already has a connection in state {state}").format(state=state)
    if only_when is not None:
        return _(_ONLY_WHEN[only_when])
    return _("the state machine has no such transition")


def refusal(state: str, event: str, call: str, why: str, legal: Sequence[str]) -> str:
    """The IllegalEvent message: what was refused where, why, and what is legal there.

    ``call`` is the application's call (``send()``), or "" for any other event.
    """
    names = _(", ").join(legal) if legal else _("none")
    if call:
        return _("{call} is not legal in state {state}: {why}. "
                 "Legal calls in {state}: {legal}.").format(call=call, state=state, why=why,
                                                            legal=names)
    return _("the event '{event}' is not legal in state {state}: {why}. "
             "Legal events in {state}: {legal}.").format(event=event, state=state, why=why,
                                                         legal=names)
