"""The search: :func:`explore` visits every world within the bounds, breadth-first."""

from __future__ import annotations

import gc
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable, Mapping, Sequence

from ..fsm import table
from .counterexample import Counterexample
from .model import Model
from .properties import property_name
from .report import Result
from .world import Bounds, World, _scripts, _whole

__all__ = ["explore"]


def _seconds(name: str, value, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value != value or value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'} seconds, "
                         f"got {value!r}")
    return float(value)


def _isns(iss) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(100, 300)`` or ``((100, 9100), (300, 9300))``: each host's ISN, or its ISNs for
    its first, second ... connection (the last one repeats)."""
    def bad():
        return ValueError(f"iss gives A's and B's initial sequence numbers: two whole numbers "
                          f"in [0, 2**32) such as (100, 300), or two lists of them, one per "
                          f"connection, such as ((100, 9100), (300, 9300)); got {iss!r}")
    if not isinstance(iss, (tuple, list)) or len(iss) != 2:
        raise bad()
    out = []
    for x in iss:
        values = tuple(x) if isinstance(x, (tuple, list)) else (x,)
        if not values or any(isinstance(v, bool) or not isinstance(v, int)
                             or not 0 <= v < 2**32 for v in values):
            raise bad()
        out.append(values)
    return out[0], out[1]


def _check(props, w: World):
    """The first property ``w`` violates, or None."""
    for prop in props:
        try:
            ok = prop(w)
        except Exception as exc:
            raise _raised(prop, w, exc) from exc
        if ok is True:
            continue
        if ok is False or type(ok).__name__ == "bool_":
            if not ok:
                return prop
            continue
        raise _not_bool(prop, ok)
    return None


def _checked(prop, ok):
    """``prop`` if its answer ``ok`` (not True) says violated, None if it says all is well."""
    if ok is False or type(ok).__name__ == "bool_":
        return None if ok else prop
    raise _not_bool(prop, ok)


def _raised(prop, w: World, exc: Exception) -> RuntimeError:
    return RuntimeError(
        f"the property {property_name(prop)} raised {type(exc).__name__}: {exc} — on the "
        f"world A:{w.A.state}, B:{w.B.state}, {len(w.flight)} in flight. A property "
        f"reads the world (w.A, w.B, w.in_flight, w.delivered ...) and returns "
        f"True or False")


def _not_bool(prop, ok) -> TypeError:
    return TypeError(f"the property {property_name(prop)} must return True (all is well) or "
                     f"False (violated); it returned {ok!r}"
                     + (" — did you forget `return`?" if ok is None else ""))


def explore(*properties: Callable[[World], bool], handshake: str = "three-way",
            scripts: Mapping[str, Sequence] | None = None, bounds: Bounds | None = None,
            msl: float = 30.0, time_wait: float | None = None,
            iss: tuple[int, int] = (100, 300), max_retries: int = 6) -> "Result":
    """Check ``properties`` in every state of every behaviour within ``bounds``.

    properties   one or more predicates ``f(world) -> bool`` (True: all is well); see
                 :class:`World`, :func:`no_unasked_connection`, :func:`no_old_segment_accepted`
    handshake    "three-way" (RFC 9293) or "two-way" (the lecture's broken variant)
    scripts      what each application does: ``{"A": [...], "B": [...]}`` of call names or
                 :class:`Call` (default :data:`HANDSHAKE_SCRIPTS`)
    bounds       a :class:`Bounds` (default ``Bounds()``, the lesson's :data:`LESSON_BOUNDS`)
    msl          maximum segment lifetime, seconds
    time_wait    how long TIME-WAIT lasts, seconds (default 2*msl)
    iss          A's and B's initial sequence numbers: ``(100, 300)`` (the same for every
                 connection), or one per connection, ``((100, 9100), (300, 9300))``
    max_retries  retransmissions of one segment before an endpoint gives up

    Every world reached, the first one included, is checked.  Breadth-first: a violation
    found is one with the fewest steps.  Returns a :class:`Result`.
    """
    props = _properties(properties)
    model = _model(handshake, scripts, bounds, msl, time_wait, iss, max_retries)
    t0 = time.perf_counter()
    with _collector_paused():
        parents, found, transitions, depth, incomplete = _search(model, props)
        states = len(parents)
        path = None if found is None else _path(parents, found)
        # freed before the collector runs again, which then has little left to look at
        del parents
        model.forget()
    seconds = time.perf_counter() - t0
    counterexample = None
    if found is not None:
        counterexample = Counterexample(model, path, found[2])
    verdict = "violated" if found else ("incomplete" if incomplete else "holds")
    return Result(properties=tuple(props), verdict=verdict, states=states,
                  transitions=transitions, depth=depth, seconds=seconds,
                  counterexample=counterexample, bounds=model.bounds, handshake=handshake,
                  scripts={"A": model.scripts[0], "B": model.scripts[1]}, msl=model.msl,
                  time_wait=model.time_wait, iss=model.iss)


@contextmanager
def _collector_paused():
    """The cycle collector paused while the search runs: it makes hundreds of thousands of
    tuples and no reference cycles (nothing for the collector to free), and each
    collection would walk the growing set of visited worlds again (a fifth of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _properties(properties) -> list:
    """The properties to check, flattened and checked to be functions."""
    if not properties:
        raise TypeError("explore() needs at least one property: a function of the world "
                        "that returns True while all is well, e.g. "
                        "explore(no_unasked_connection, handshake='two-way')")
    props = []
    for p in properties:
        if isinstance(p, (list, tuple)):
            props.extend(p)
        else:
            props.append(p)
    for p in props:
        if not callable(p):
            raise TypeError(f"a property must be a function of the world returning True or "
                            f"False, got {p!r}")
    return props


def _model(handshake, scripts, bounds, msl, time_wait, iss, max_retries) -> Model:
    """The model :func:`explore`'s arguments describe (each checked, with a clear error)."""
    if handshake not in ("three-way", "two-way"):
        raise ValueError(f"handshake must be 'three-way' or 'two-way', got {handshake!r}")
    if bounds is None:
        bounds = Bounds()
    if not isinstance(bounds, Bounds):
        raise TypeError(f"bounds must be a tcplab.explore.Bounds, e.g. Bounds(in_flight=3, "
                        f"losses=1), got {bounds!r}")
    a_script, b_script = _scripts(scripts)
    msl = _seconds("msl", msl, positive=True)
    time_wait = 2 * msl if time_wait is None else _seconds("time_wait", time_wait)
    isns = _isns(iss)
    _whole("max_retries", max_retries)
    table(handshake)
    return Model(handshake=handshake, scripts=(a_script, b_script), bounds=bounds,
                 msl=msl, time_wait=time_wait, iss=isns, max_retries=max_retries,
                 payload=b"hello")


#: endpoints numbered (then forgotten all at once), see _numbered
_SEEN_SIZE = 50_000


def _numbered():
    """``(number, parent)``: ``number(ep, now)`` is a small number for each distinct
    ``ep.key(now)``, so that ``World.identity(number)`` identifies a world as its ``key``
    does, and hashes faster.  A world shares its endpoints with its neighbours: each is
    keyed once per time; ``parent(w)`` names the world whose steps are being taken (its
    endpoints, at its time, are numbered already)."""
    numbers: dict[tuple, int] = {}
    seen: dict[tuple, tuple] = {}
    e0 = e1 = now0 = n0 = n1 = None

    def parent(w):
        nonlocal e0, e1, now0, n0, n1
        e0, e1 = w.eps
        now0 = w.now
        n0, n1 = w._id[0], w._id[1]

    def number(ep, now):
        if now == now0:
            if ep is e0:
                return n0
            if ep is e1:
                return n1
        got = seen.get((id(ep), now))
        if got is not None and got[0] is ep:
            return got[1]
        n = numbers.setdefault(ep.key(now), len(numbers))
        if len(seen) >= _SEEN_SIZE:
            seen.clear()
        seen[(id(ep), now)] = (ep, n)      # ep is held: its id is not reused meanwhile
        return n
    return number, parent


def _search(model: Model, props) -> tuple:
    """Breadth-first from the initial world: (parents, found, transitions, depth,
    incomplete); ``parents`` maps each world's identity (its key, with the endpoints'
    keys numbered) to (its parent's identity, the step), and ``found`` is (parent
    identity, step, property) of the first violation, or None."""
    w0 = model.initial()
    number, parent = _numbered()
    w0._id = w0.identity(number)
    parents: dict[tuple, tuple | None] = {w0._id: None}
    queue = deque([(w0, 0)])
    transitions = 0
    depth = 0
    found = None
    bad = _check(props, w0)
    if bad is not None:
        found = (None, None, bad)
    incomplete = False
    max_depth = model.bounds.depth
    max_states = model.bounds.max_states
    apply = model.apply
    actions = model.actions
    single = props[0] if len(props) == 1 else None
    while queue and found is None:
        w, d = queue.popleft()
        if max_depth is not None and d >= max_depth:
            continue
        wkey = w._id
        parent(w)
        for action in actions(w):
            nxt = apply(w, action)
            if nxt is None:
                continue
            transitions += 1
            if single:      # _check, inline: one property, all well (most often)
                try:
                    ok = single(nxt)
                except Exception as exc:
                    raise _raised(single, nxt, exc) from exc
                bad = None if ok is True else _checked(single, ok)
            else:
                bad = _check(props, nxt)
            if bad is not None:
                found = (wkey, action, bad)
                depth = max(depth, d + 1)
                break
            k = nxt._id = nxt.identity(number)
            if k in parents:
                continue
            parents[k] = (wkey, action)
            if d + 1 > depth:
                depth = d + 1
            queue.append((nxt, d + 1))
            if len(parents) >= max_states:
                incomplete = True
                queue.clear()
                break
    return parents, found, transitions, depth, incomplete


def _path(parents: dict, found: tuple) -> list:
    """The steps from the initial world to the violation ``found``."""
    path = []
    if found[1] is not None:
        path.append(found[1])
        k = found[0]
        while parents[k] is not None:
            k, a = parents[k]
            path.append(a)
        path.reverse()
    return path
