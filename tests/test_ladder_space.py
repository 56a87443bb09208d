"""The ladder's space (tcplab/diagrams/ladder/space.py): its index of what is drawn (bands
listing their items heaviest first) and its quick tests answer as the plain geometry
does, over random pictures: a cost under its limit is the sum of the weights of every
item the place overlaps, whatever the order the index tries them in."""

import math
import random

import pytest

from tcplab.diagrams.ladder.space import (_axes, _bbox, _hits, _overlap, _ranges, _rect,
                                          _rect_projections, _Space)

WIDTH, HEIGHT = 900.0, 700.0
WEIGHTS = (3, 4, 8, 20)


def random_item(rng: random.Random) -> list:
    """A line (an arrow, a time line) or a turned rectangle (a label, a box)."""
    x, y = rng.uniform(-20, WIDTH + 20), rng.uniform(-20, HEIGHT + 20)
    kind = rng.random()
    if kind < 0.3:
        return [(x, y), (x, y + rng.uniform(0, 400))]                  # a time line
    if kind < 0.7:
        return [(x, y), (x + rng.uniform(-400, 400), y + rng.uniform(0, 150))]
    return _rect(x, y, rng.uniform(4, 120), rng.uniform(4, 30), rng.choice([0.0, 0.0, 14.5,
                                                                         -8.25]))


def random_space(rng: random.Random):
    """A space with random items (some of one owner) and the same items as a plain list."""
    space, plain = _Space(WIDTH, HEIGHT), []
    owner = object()
    for _ in range(rng.randint(0, 80)):
        poly = random_item(rng)
        weight = rng.choice(WEIGHTS)
        who = owner if rng.random() < 0.2 else None
        space.add(poly, weight, who)
        plain.append((poly, weight, who))
    return space, plain, owner


def random_place(rng: random.Random) -> list:
    """A place a label could be tried at (now and then touching an item's corner)."""
    return _rect(rng.uniform(-10, WIDTH + 10), rng.uniform(-10, HEIGHT + 10),
                 rng.uniform(4, 140), rng.uniform(4, 20), rng.choice([0.0, 26.57, -33.7, 7.0]))


def brute_cost(plain, poly, owner, width=WIDTH, height=HEIGHT) -> float:
    """What a place covers, every item tried by the plain separating-axes test."""
    x0, y0, x1, y1 = _bbox(poly)
    total = 50.0 if x0 < 2 or y0 < 2 or x1 > width - 2 or y1 > height - 2 else 0.0
    for item, weight, who in plain:
        if who is not None and who is owner:
            continue
        if _overlap(poly, item):
            total += weight
    return total


def places_tried(seed: int, count: int = 60):
    """``count`` random places tried in a random space: (space, its items as a list,
    their owner, the place, the random numbers)."""
    rng = random.Random(seed)
    space, plain, owner = random_space(rng)
    for _ in range(count):
        yield space, plain, owner, random_place(rng), rng


@pytest.mark.parametrize("seed", range(40))
def test_cost_is_the_plain_sum_of_what_a_place_covers(seed):
    for space, plain, owner, poly, rng in places_tried(seed):
        who = owner if rng.random() < 0.5 else None
        assert space.cost(poly, who) == brute_cost(plain, poly, who)


@pytest.mark.parametrize("seed", range(40))
def test_a_count_stopped_at_its_limit_says_so_and_a_count_under_it_is_whole(seed):
    for space, plain, owner, poly, rng in places_tried(seed):
        whole = brute_cost(plain, poly, owner)
        limit = rng.choice([3, 8, 11, 20, 26, 50, 60])
        counted = space.cost(poly, owner, limit)
        if whole < limit:
            assert counted == whole
        else:
            assert limit <= counted <= whole


@pytest.mark.parametrize("seed", range(20))
def test_near_finds_every_item_whose_box_meets_the_box_asked_about_once(seed):
    rng = random.Random(seed)
    space, _plain, _owner = random_space(rng)
    for _ in range(40):
        x0, y0 = rng.uniform(-30, WIDTH), rng.uniform(-30, HEIGHT)
        box = (x0, y0, x0 + rng.uniform(0, 300), y0 + rng.uniform(0, 120))
        found = space.near(box)
        expected = [o for o in space.items
                    if not (o.bbox[0] > box[2] or o.bbox[2] < box[0] or o.bbox[1] > box[3]
                            or o.bbox[3] < box[1])]
        assert len(found) == len({id(o) for o in found})
        assert {id(o) for o in found} == {id(o) for o in expected}


def test_each_band_lists_its_items_heaviest_first_in_the_order_added():
    rng = random.Random(7)
    space, _plain, _owner = random_space(rng)
    assert space.bands
    for entries in space.bands.values():
        weights = [entry[4].weight for entry in entries]
        assert weights == sorted(weights, reverse=True)
        order = [space.items.index(entry[4]) for entry in entries]
        for (w0, i0), (w1, i1) in zip(zip(weights, order), zip(weights[1:], order[1:])):
            assert w0 > w1 or i0 < i1              # equal weights: first added, first


@pytest.mark.parametrize("seed", range(20))
def test_the_quick_rectangle_tests_answer_as_the_plain_ones(seed):
    for space, _plain, _owner, poly, _rng in places_tried(seed, 80):
        assert _rect_projections(poly) == _ranges(poly, _axes(poly))
        for o in space.items:
            assert _hits(poly, _rect_projections(poly), o) == _overlap(poly, o.poly)


def test_touching_is_not_covering_in_the_quick_test_as_in_the_plain_one():
    box = _rect(100.0, 100.0, 40.0, 10.0)             # x 80..120, y 95..105
    space = _Space(WIDTH, HEIGHT)
    space.add([(120.0, 0.0), (120.0, 300.0)], 8)       # touches the right edge
    space.add([(119.0, 0.0), (119.0, 300.0)], 3)       # crosses it
    assert not _overlap(box, [(120.0, 0.0), (120.0, 300.0)])
    assert space.cost(box) == 3
    assert math.isclose(brute_cost([([(119.0, 0.0), (119.0, 300.0)], 3, None)], box, None), 3)
