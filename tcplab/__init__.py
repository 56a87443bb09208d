"""tcplab: a workbook library for learning TCP connection management (RFC 9293).

    from tcplab import State, Flag, Segment, Network, IllegalEvent

    net = Network(seed=0)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen(); a.connect("B"); net.run()
    print(net.trace.table("symbolic"))

tcplab.set_language("zh") (or TCPLAB_LANG=zh) makes it speak Chinese (中文).
"""

# first: the language (TCPLAB_LANG) is chosen before any message is shown
from .text import language, set_language
from .fsm import Event, IllegalEvent, State, Transition
from .segment import Flag, Notation, Segment
from .endpoint import Endpoint
from .network import Host, Network
from .connection import Connection
from .listener import Listener
from .ports import NoFreePort, PortInUse
from .sockets import ManySockets
from .trace import Cause, Kind, Trace, TraceRecord
from .diagrams import sequence_diagram, state_diagram

__version__ = "0.1.0"

__all__ = [
    "State", "Flag", "Segment", "Network", "IllegalEvent", "Event", "Transition",
    "Notation", "Endpoint", "Host", "Trace", "TraceRecord", "Kind", "Cause", "state_diagram",
    "sequence_diagram", "set_language", "language", "Connection", "Listener", "ManySockets",
    "PortInUse", "NoFreePort", "__version__",
]
