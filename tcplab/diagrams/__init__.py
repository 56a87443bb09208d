"""The pictures: the state diagram (Graphviz) and the time-sequence (ladder) diagram."""

from .picture import Picture
from .render import RendererNotFound
from .state import StateDiagram, state_diagram

__all__ = ["Picture", "RendererNotFound", "StateDiagram", "state_diagram"]

try:  # written alongside; present once it lands
    from .sequence import SequenceDiagram, sequence_diagram  # noqa: F401
    __all__ += ["SequenceDiagram", "sequence_diagram"]
except ImportError:  # pragma: no cover
    pass
