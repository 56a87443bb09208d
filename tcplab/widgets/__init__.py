"""The labs: ipywidgets apps built on the library (they only read it and call its API).

This package is the only place tcplab imports ipywidgets.  ``LabConfig``,
``Session`` and ``Walker`` live below it (:mod:`tcplab.session`,
:class:`tcplab.fsm.Machine`) and are re-exported here for the notebooks that
import them from the labs.
"""

from ..session import LabConfig, Session
from .explorer import StateMachineExplorer, Walker
from .lab import ConnectionLab
from .many import ServerLab

__all__ = ["ConnectionLab", "ServerLab", "StateMachineExplorer", "LabConfig", "Session", "Walker"]
