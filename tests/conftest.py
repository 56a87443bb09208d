"""Fixtures shared by the tests: the lecture's two hosts, and an open connection.

The stories themselves live in :mod:`tcplab.stories` (the library tells them
to the notebooks and the labs too); these fixtures are their most common
starting points.  Helpers that take arguments (segments, endpoint builders,
lines of a trace) are plain functions in ``tests/builders.py``.
"""

import pytest

from tcplab import State, stories


@pytest.fixture
def two_hosts():
    """A (iss=100) and B (iss=300), both CLOSED, on a network with seed 0, delay 0.1 s,
    msl 30 s: ``(net, a, b)``."""
    return stories.pair()


@pytest.fixture
def connection():
    """The same hosts after the three-way handshake, both ESTABLISHED at t=1 s:
    ``(net, a, b)``."""
    net, a, b = stories.opened()
    assert a.state is b.state is State.ESTABLISHED
    return net, a, b
