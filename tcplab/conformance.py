"""The homework's conformance matrix, under its first name: see :mod:`tcplab.grading.conformance`.

Course notebooks do ``from tcplab import conformance``; everything they use
(``check_table``, ``CELLS``, ``STATES``, ``STORIES``, ``play``, ``skeleton``,
``TableEndpoint``, ...) is the same object as in :mod:`tcplab.grading.conformance`.
"""

from .grading.conformance import *  # noqa: F401,F403
from .grading.conformance import (DELAY, MAX_EVENTS, MAX_TIME, MSL, OLD_X, SEED, X, Y,  # noqa: F401
                                  Given, ReadTable, __all__)
