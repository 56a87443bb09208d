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


def read_lab(key: str, lab: Any, other: dict):
    """The network of the lab a student handed in, or the Feedback saying what is wrong."""
    from ..checks import Feedback
    if other:
        return Feedback(False, [f"this exercise has no part called {', '.join(sorted(other))}: "
                                f"answer with checks.check('{key}', lab=lab)"])
    if lab is None:
        return Feedback(False, [f"lab: no answer yet — play with the lab, then write "
                                f"checks.check('{key}', lab=lab)"])
    net = lab_network(lab)
    if net is None:
        return Feedback(False, [f"lab should be the ConnectionLab of this notebook (lab=lab), "
                                f"not {type(lab).__name__}"])
    return net
