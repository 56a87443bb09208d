"""Fixtures shared by the tests: the lecture's two hosts, and an open connection.

The stories themselves live in :mod:`tcplab.stories` (the library tells them
to the notebooks and the labs too); these fixtures are their most common
starting points.  Helpers that take arguments (segments, endpoint builders,
lines of a trace) are plain functions in ``tests/builders.py``.
"""

import pytest

import tcplab
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


# --------------------------------------------------------------------------- the slow tests
# `make check`, the developers' loop, runs `pytest -m "not slow"`; `make test` runs
# everything (the marker deselects nothing there).  The tests of this project's own story,
# real and experiment files carry `@pytest.mark.slow` where they are written; the others
# are named here, so that the loop stays fast without editing every file.

#: (test file, a test's name or a fixture it uses, or None for the whole file): why it is slow
SLOW = {
    ("test_browser.py", None): "drives JupyterLab in chromium",
    ("test_browser_many.py", None): "drives the ServerLab in JupyterLab in chromium",
    ("test_browser_kinds.py", None): "opens a lesson and a prediction in JupyterLab in chromium",
    ("test_a11y_axe.py", None): "runs axe-core on the labs and a lesson in JupyterLab in chromium",
    ("test_site.py", None): "builds the browser-only site and runs every notebook in chromium",
    ("test_handouts.py", None): "prints every lesson of both editions as PDF in chromium (~40 s)",
    ("test_slides.py", "test_nbconvert_makes_slides_with_a_slide_per_section"):
        "runs jupyter nbconvert --to slides (~4 s a lesson)",
    ("test_course.py", None): "a whole nbgrader round: generate, release, collect, grade",
    ("test_tricks.py", "tricks"): "an nbgrader round: every trick a student may play, graded",
    ("test_course_env.py", None): "asks jupyter in the lecturer's .venv-course (seconds)",
    ("test_hub.py", None): "a class round on a real JupyterHub with four servers (~1 min)",
    ("test_cheatsheet.py", "test_the_printable_page_is_one_a4_page_in_chromium"):
        "prints the cheat sheet in headless chromium (~3 s)",
    ("test_grade.py", "graded"): "a class of 20 graded by tcplab-grade with nbgrader (~55 s)",
    ("test_soak.py", None): "thousands of connections under faults (about a minute)",
    ("test_lab_robustness.py", None): "a long hypothesis state machine on the lab",
    ("test_widgets.py", "test_rapid_clicking_leaves_no_broken_state"): "hundreds of clicks",
    ("test_pcap.py", "tshark"): "starts Wireshark's tshark for every capture",
    ("test_ports.py", "test_tshark_reads_two_connections_with_their_own_ports"): "starts tshark",
    ("test_lesson_11.py", "test_kernel_stories_live"): "real sockets on 127.0.0.1",
    ("test_lesson_11.py", "test_the_recording_is_what_this_kernel_does_now"): "real sockets",
}


#: Parametrized cases that are slow, by (file, a piece of the case's id).
SLOW_CASES = {
    ("test_exercises_zh.py", "[explore-"): "the model checker's exercises explore (~14 s)",
    ("test_variants.py", "right_with_their_own_answer_and_wrong_with_another[stale-syn-exp"):
        "plays each of the 20 seeds' experiment, 600 runs each (~18 s)",
}


def _is_slow(item: pytest.Item) -> bool:
    name = item.path.name
    if any(file == name and piece in item.name for file, piece in SLOW_CASES):
        return True
    return any(file == name and (key is None or key == getattr(item, "originalname", None)
                                 or key in getattr(item, "fixturenames", ()))
               for file, key in SLOW)


def pytest_collection_modifyitems(items):
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def chinese():
    """tcplab speaks Chinese for one test, then English again."""
    tcplab.set_language("zh")
    yield
    tcplab.set_language("en")
