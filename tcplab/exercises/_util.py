"""Small helpers the exercise modules share."""

from __future__ import annotations

from typing import Any

from ..fsm import State
from ..network import Network


def entered(net: Network, host: str, state: State, after: float = -1.0) -> float:
    """When ``host`` first entered ``state`` (the trace says; an error if it never did)."""
    t = net.trace.entered(host, state, after)
    if t is None:
        raise LookupError(f"{host} never entered {state}")
    return t


def lab_network(lab: Any) -> Network | None:
    """The network of a ConnectionLab (or a Network given directly); None otherwise."""
    net = lab if isinstance(lab, Network) else getattr(lab, "net", None)
    return net if isinstance(getattr(net, "hosts", None), dict) else None
