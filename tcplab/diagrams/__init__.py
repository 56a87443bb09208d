"""The pictures: the state diagram (Graphviz) and the time-sequence (ladder) diagram."""

from .picture import Picture
from .render import RendererNotFound
from .ladder import SequenceDiagram, sequence_diagram
from .state import StateDiagram, state_diagram

__all__ = ["Picture", "RendererNotFound", "StateDiagram", "state_diagram", "SequenceDiagram",
           "sequence_diagram"]
