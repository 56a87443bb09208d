"""The byte cap as an nbgrader preprocessor: it runs after the notebook is executed.

Put after nbgrader's ``LimitOutput`` in ``Autograde.autograde_preprocessors`` by the
worker (:mod:`.worker`), so the graded notebook, and the feedback made from it, hold at
most ``cell_bytes`` of output per cell and ``notebook_bytes`` in all.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from .outputs import cap_outputs


class CapOutputBytes(Preprocessor):
    """Cut each cell's outputs to a number of bytes, and the notebook's to another."""

    # nbconvert's preprocessors are off unless enabled (nbgrader's own are on)
    enabled = Bool(True).tag(config=True)
    cell_bytes = Integer(100_000, help="bytes of output kept per cell").tag(config=True)
    notebook_bytes = Integer(1_000_000, help="bytes of output kept per notebook"
                             ).tag(config=True)

    def preprocess(self, nb, resources):
        for note in cap_outputs(nb, self.cell_bytes, self.notebook_bytes):
            self.log.warning("tcplab-grade: %s", note)
        return nb, resources
