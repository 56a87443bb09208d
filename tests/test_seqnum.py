"""32-bit sequence-number arithmetic (RFC 9293 §3.4): comparisons on the circle."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcplab import seqnum
from tcplab.seqnum import HALF, MOD, add, between, ge, gt, in_window, le, lt, sub

TOP = MOD - 1          # 4294967295, the last number before 0 comes again

seqs = st.integers(min_value=0, max_value=MOD - 1)
forward = st.integers(min_value=1, max_value=HALF - 1)   # strictly less than half the circle

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def test_constants():
    assert MOD == 2**32
    assert HALF == 2**31


# --------------------------------------------------------------------------- add / sub

@pytest.mark.parametrize("a, n, expected", [
    (0, 0, 0),
    (100, 1, 101),
    (TOP, 1, 0),                 # 4294967295 + 1 wraps to 0
    (TOP, 2, 1),
    (TOP - 4, 10, 5),
    (0, -1, TOP),                # backwards across 0
    (5, -10, MOD - 5),
    (0, MOD, 0),                 # a full turn is no move
    (7, 3 * MOD + 2, 9),
])
def test_add_wraps(a, n, expected):
    assert add(a, n) == expected


@pytest.mark.parametrize("a, b, expected", [
    (101, 100, 1),
    (100, 101, -1),
    (0, TOP, 1),                 # 0 comes one after 4294967295
    (TOP, 0, -1),
    (5, MOD - 5, 10),
    (MOD - 5, 5, -10),
    (7, 7, 0),
    (HALF, 0, HALF),             # exactly half way: the documented range is (-2**31, 2**31]
    (0, HALF, HALF),
    (HALF + 1, 0, -(HALF - 1)),
])
def test_sub_is_signed_distance(a, b, expected):
    assert sub(a, b) == expected


# --------------------------------------------------------------------------- comparisons

def test_plain_comparisons_away_from_the_wrap():
    assert lt(100, 101) and le(100, 101) and not gt(100, 101) and not ge(100, 101)
    assert gt(101, 100) and ge(101, 100) and not lt(101, 100) and not le(101, 100)
    assert le(100, 100) and ge(100, 100) and not lt(100, 100) and not gt(100, 100)


def test_comparisons_across_the_wrap():
    # After 4294967295 comes 0: 0 is *later*, although 0 < 4294967295 as integers.
    assert lt(TOP, 0)
    assert gt(0, TOP)
    assert le(TOP, 0) and not ge(TOP, 0)
    assert lt(MOD - 10, 10) and gt(10, MOD - 10)
    # plain integer comparison gets these wrong, which is the whole point of the module
    assert not (TOP < 0)


def test_comparisons_less_than_half_a_circle_apart():
    assert lt(0, HALF - 1)            # just under half way ahead: later
    assert gt(0, HALF + 1)            # just over half way ahead means behind
    assert lt(HALF + 1, 0)


@pytest.mark.parametrize("a, b", [(0, 1), (TOP, 0), (TOP - 3, 2), (12345, 12345 + HALF - 1)])
def test_comparisons_agree_with_each_other(a, b):
    b %= MOD
    assert lt(a, b) and le(a, b) and gt(b, a) and ge(b, a)
    assert not lt(b, a) and not gt(a, b)


# --------------------------------------------------------------------------- in_window / between

@pytest.mark.parametrize("x, start, size, expected", [
    (100, 100, 10, True),        # the left edge is inside
    (109, 100, 10, True),
    (110, 100, 10, False),       # the right edge is outside
    (99, 100, 10, False),
    (100, 100, 0, False),        # an empty window holds nothing
    (100, 100, 1, True),
    (TOP, TOP - 1, 4, True),     # windows that straddle 0
    (0, TOP - 1, 4, True),
    (1, TOP - 1, 4, True),
    (2, TOP - 1, 4, False),
    (TOP - 2, TOP - 1, 4, False),
])
def test_in_window(x, start, size, expected):
    assert in_window(x, start, size) is expected


@pytest.mark.parametrize("low, x, high, expected", [
    (100, 101, 105, True),
    (100, 105, 105, True),       # high is included (an ACK of everything sent)
    (100, 100, 105, False),      # low is excluded (an ACK of nothing new)
    (100, 106, 105, False),
    (TOP - 1, TOP, 3, True),     # across the wrap
    (TOP - 1, 0, 3, True),
    (TOP - 1, 3, 3, True),
    (TOP - 1, TOP - 1, 3, False),
    (TOP - 1, 4, 3, False),
])
def test_between(low, x, high, expected):
    assert between(low, x, high) is expected


def test_all_is_exported():
    for name in seqnum.__all__:
        assert hasattr(seqnum, name)


# --------------------------------------------------------------------------- properties

@SETTINGS
@given(seqs, forward)
def test_adding_less_than_half_a_circle_moves_forward(a, n):
    b = add(a, n)
    assert 0 <= b < MOD
    assert lt(a, b) and le(a, b) and gt(b, a) and ge(b, a)
    assert not lt(b, a) and not ge(a, b)
    assert sub(b, a) == n and sub(a, b) == -n


@SETTINGS
@given(seqs, st.integers(min_value=-(3 * MOD), max_value=3 * MOD))
def test_add_then_sub_round_trips(a, n):
    b = add(a, n)
    assert 0 <= b < MOD
    assert add(b, -n) == a
    d = sub(b, a)
    assert -HALF < d <= HALF
    assert (d - n) % MOD == 0


@SETTINGS
@given(seqs, seqs)
def test_trichotomy_and_consistency(a, b):
    # exactly one of <, ==, > unless a and b are exactly half a circle apart
    if sub(a, b) == HALF:
        return
    assert [lt(a, b), a == b, gt(a, b)].count(True) == 1
    assert le(a, b) == (lt(a, b) or a == b)
    assert ge(a, b) == (gt(a, b) or a == b)
    assert lt(a, b) == gt(b, a)
    assert sub(a, b) == -sub(b, a)


@SETTINGS
@given(seqs, seqs, st.integers(min_value=0, max_value=2**20))
def test_in_window_matches_offset(x, start, size):
    offset = (x - start) % MOD
    assert in_window(x, start, size) == (offset < size)
    # every one of the first `size` numbers of the window is in it, the next one is not
    if size:
        assert in_window(start, start, size)
        assert in_window(add(start, size - 1), start, size)
    assert not in_window(add(start, size), start, size)


@SETTINGS
@given(seqs, forward, st.integers(min_value=0, max_value=HALF - 1))
def test_between_accepts_exactly_the_half_open_interval(low, span, k):
    high = add(low, span)
    x = add(low, k)
    assert between(low, x, high) == (1 <= k <= span)
