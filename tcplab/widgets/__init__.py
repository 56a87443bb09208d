"""The labs: ipywidgets apps built on the library (they only read it and call its API)."""

from .explorer import StateMachineExplorer, Walker
from .lab import ConnectionLab
from .session import LabConfig, Session

__all__ = ["ConnectionLab", "StateMachineExplorer", "LabConfig", "Session", "Walker"]
