"""tcplab: a workbook library for learning TCP connection management (RFC 9293).

    from tcplab import State, Flag, Segment, Network, IllegalEvent

    net = Network(seed=0)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen(); a.connect("B"); net.run()
    print(net.trace.table("symbolic"))
"""

from .fsm import Event, IllegalEvent, State, Transition
from .segment import Flag, Notation, Segment
from .endpoint import Endpoint
from .network import Host, Network
from .trace import Cause, Kind, Trace, TraceRecord
from .diagrams import sequence_diagram, state_diagram

__version__ = "0.1.0"

__all__ = [
    "State", "Flag", "Segment", "Network", "IllegalEvent", "Event", "Transition",
    "Notation", "Endpoint", "Host", "Trace", "TraceRecord", "Kind", "Cause", "state_diagram",
    "sequence_diagram", "__version__",
]
