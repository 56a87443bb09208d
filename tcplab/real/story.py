"""The story of lesson 02 told twice: by tcplab's hosts and by real sockets.

:func:`predict` plays :data:`STORY` on a tcplab network; :func:`real_story`
plays it on 127.0.0.1 with the kernel's sockets (:mod:`.kernel`) and returns a
:class:`RealStory`: both sides, step by step, with a note on every
difference (:mod:`.explain`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Callable

from ..fsm import State
from ..network import Network
from ..text import N_, _
from ..trace import say
from . import recording
from .explain import Note, explain
from .kernel import (LOOPBACK, _SETTLE, Observation, Support, _linux, _Sockets, _watch,
                     kernel_rows, support)
from .tables import _align, _chain, _html_table, _text_table
from .where import Mode, after_failure, mode

# --------------------------------------------------------------------------- the story

@dataclass(frozen=True)
class StoryStep:
    """One step of the story: the socket calls, and the same step in tcplab."""

    key: str
    sockets: str       # what the two programs do, with socket calls
    tcplab: str        # the same step told to tcplab's hosts ("" : nothing to tell)


#: The story of lesson 02, told with sockets (A the client, B the server).
STORY: tuple[StoryStep, ...] = (
    StoryStep("listen", "B: listen()", "b.listen()"),
    StoryStep("connect", "A: connect()", "a.connect('B')"),
    StoryStep("accept", N_("B: accept(), stops listening"), ""),
    StoryStep("data", "A: sendall(b'hello'); B: recv()", "a.send(b'hello')"),
    StoryStep("shutdown", "A: shutdown(SHUT_WR); B: recv() → b''", "a.close()"),
    StoryStep("reply", "B: sendall(b'bye'); A: recv()", "b.send(b'bye')"),
    StoryStep("server-close", "B: close(); A: recv() → b''", "b.close()"),
    StoryStep("client-close", "A: close()", ""),
)

_STEP_INDEX = {s.key: i for i, s in enumerate(STORY)}


def _tcplab_calls(a, b) -> dict[str, Callable[[], None]]:
    return {"listen": b.listen, "connect": lambda: a.connect("B"),
            "data": lambda: a.send(b"hello"), "shutdown": a.close,
            "reply": lambda: b.send(b"bye"), "server-close": b.close}


@dataclass(frozen=True)
class Prediction:
    """tcplab's side of the story: the states each host enters in each step."""

    msl: float
    steps: tuple[tuple[tuple[State, ...], tuple[State, ...]], ...]   # (A entered, B entered)
    ends: tuple[tuple[State, State], ...]                            # (A, B) after each step
    history_a: tuple[State, ...]
    history_b: tuple[State, ...]
    time_wait: float                   # how long tcplab's A waits in TIME-WAIT (2*msl)
    net: Network = field(repr=False, compare=False)

    def history(self, side: str) -> tuple[State, ...]:
        return {"A": self.history_a, "B": self.history_b}[_side(side)]

    def cell(self, i: int, side: str) -> str:
        entered = self.steps[i][0 if _side(side) == "A" else 1]
        end = self.ends[i][0 if _side(side) == "A" else 1]
        return (" → ".join(map(str, entered)) if entered
                else _("{state} (stays)").format(state=end))

    HEAD = (N_("step"), N_("the programs (sockets)"), "tcplab", N_("A in tcplab"),
            N_("B in tcplab"))

    def _rows(self) -> list[list[str]]:
        return [[str(i + 1), _(s.sockets), s.tcplab or _("(nothing)"), self.cell(i, "A"),
                 self.cell(i, "B")] for i, s in enumerate(STORY)]

    def caption(self) -> str:
        return _("tcplab's prediction (network msl = {msl} s, A iss=100, B iss=300)").format(
            msl=f"{self.msl:g}")

    def table(self) -> str:
        return self.caption() + "\n" + _text_table([_(h) for h in self.HEAD], self._rows())

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        return _html_table(self.caption(), [[_(h) for h in self.HEAD]], self._rows())


def predict(msl: float = 30.0) -> Prediction:
    """Play :data:`STORY` on a tcplab network (A iss=100, B iss=300, delay 0.1 s).

    Each step is one second of virtual time, enough for every segment it causes
    to arrive; the story stops before A's TIME-WAIT ends (after 2*msl).
    """
    net = Network(seed=0, delay=0.1, msl=msl)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    calls = _tcplab_calls(a, b)
    steps, ends = [], []
    for i, step in enumerate(STORY):
        before = len(a.history), len(b.history)
        if step.key in calls:
            calls[step.key]()
        net.run(until=float(i + 1))
        steps.append((tuple(a.history[before[0]:]), tuple(b.history[before[1]:])))
        ends.append((a.state, b.state))
    tw = a.endpoint.time_wait if hasattr(a.endpoint, "time_wait") else 2 * msl
    return Prediction(float(msl), tuple(steps), tuple(ends), tuple(a.history),
                      tuple(b.history), float(tw), net)


@dataclass(frozen=True)
class Step:
    """One step as the kernel showed it: each side's distinct observations, in order."""

    index: int
    story: StoryStep
    a: tuple[Observation, ...]
    b: tuple[Observation, ...]
    settled: bool                 # the kernel reached tcplab's end state within the wait
    waited: float                 # seconds spent waiting for it

    def side(self, side: str) -> tuple[Observation, ...]:
        return self.a if _side(side) == "A" else self.b

    def last(self, side: str) -> Observation:
        return self.side(side)[-1]

    def seen(self, side: str) -> list[State]:
        """The connection states seen in this step, repeats removed."""
        out: list[State] = []
        for o in self.side(side):
            if not out or out[-1] is not o.state:
                out.append(o.state)
        return out


def _side(side: str) -> str:
    s = str(side).upper()
    if s not in ("A", "B"):
        raise ValueError(f"side must be 'A' (the client) or 'B' (the server), got {side!r}")
    return s


def real_story(msl: float = 30.0, *, settle: float = _SETTLE) -> "RealStory":
    """Play :data:`STORY` with real sockets on 127.0.0.1, and with tcplab; compare.

    After each step, look at both sides at once and then every few
    milliseconds until the kernel reaches the state tcplab predicts, or
    ``settle`` seconds pass; record every distinct thing seen.  ``msl`` is
    the tcplab network's MSL.  Every socket is closed before this returns,
    whatever happens.  Where the stories cannot run live (:func:`~.where.mode`:
    the browser edition, a restricted server, ``TCPLAB_REAL=replay``), or the
    live run fails half-way, the kernel's side is the recorded one, labelled as a
    replay; with
    ``TCPLAB_REAL=live`` on a machine that cannot show TCP's states, no socket is
    opened and the result holds tcplab's prediction alone.
    """
    prediction = predict(msl)
    how = mode()
    if not how.live:
        return replayed_story(prediction, how)
    sup = support()
    if not (_linux() and sup.partial):
        return RealStory(prediction, (), sup, None, (0, 0))
    socks = _Sockets(sup.table, sup.tcp_info)
    steps: list[Step] = []
    error = None
    try:
        for i, story_step in enumerate(STORY):
            getattr(socks, story_step.key.replace("-", "_"))()
            a, b, ok, waited = _watch(socks, prediction.ends[i], settle)
            steps.append(Step(i, story_step, tuple(a), tuple(b), ok, waited))
    except OSError as exc:      # the loopback refused: say so, do not break the lesson
        error = (f"step {len(steps) + 1} ({STORY[len(steps)].sockets}) failed: {exc}")
    finally:
        socks.close()
    fallback = after_failure(error) if error else None
    if fallback is not None:
        return replayed_story(prediction, fallback)
    return RealStory(prediction, tuple(steps), sup, error,
                     (socks.client_port, socks.server_port))


def replayed_story(prediction: Prediction, how: Mode) -> "RealStory":
    """The recorded kernel's side (:mod:`.recording`) next to tcplab's prediction."""
    data = recording.load()["story"]
    steps = tuple(Step(i, STORY[i], tuple(map(recording.observation, s["a"])),
                       tuple(map(recording.observation, s["b"])), s["settled"], s["waited"])
                  for i, s in enumerate(data["steps"]))
    sup = Support(**data["support"])
    return RealStory(prediction, steps, sup, data["error"], tuple(data["ports"]),
                     replay=how.label(), looked=data["look_again"])


def story_data(story: "RealStory") -> dict:
    """What the recording keeps of a live story (``tools/record_real.py``)."""
    sup = story.support
    return {"support": {"system": sup.system, "tcp_info": sup.tcp_info, "table": sup.table,
                        "explanation": sup.explanation},
            "error": story.error, "ports": [story.client_port, story.server_port],
            "look_again": story.look_again(),
            "steps": [{"key": s.story.key, "settled": s.settled, "waited": round(s.waited, 6),
                       "a": [recording.observation_data(o) for o in s.a],
                       "b": [recording.observation_data(o) for o in s.b]}
                      for s in story.steps]}


# --------------------------------------------------------------------------- the result

class RealStory:
    """The kernel's states next to tcplab's, step by step, with notes on every difference.

    ``steps`` holds what the kernel showed (empty when this machine cannot
    show it), ``prediction`` what tcplab predicts; ``notes()`` explains each
    difference.  ``replay`` is the label of a recorded run ("" when live).
    Prints as a text table; displays as HTML in Jupyter.
    """

    def __init__(self, prediction: Prediction, steps: tuple[Step, ...], support: Support,
                 error: str | None, ports: tuple[int, int], *, replay: str = "",
                 looked: str = ""):
        self.prediction = prediction
        self.steps = steps
        self.support = support
        self.error = error
        self.client_port, self.server_port = ports
        self.replay = replay
        self._looked = looked          # a replay: what look_again() said when recorded
        self._notes = explain(self)

    @property
    def where(self) -> str:
        """Whose kernel this is: "this machine", or the recording's."""
        return "the recorded run" if self.replay else "this machine"

    # ---------------------------------------------------------------- reading

    @property
    def shown(self) -> bool:
        """True when the kernel's side was seen, every step of it."""
        return len(self.steps) == len(STORY)

    def step(self, key: int | str) -> Step:
        """A step by number (1 … 8) or key ("shutdown", "server-close" ...)."""
        i = _STEP_INDEX[key] if isinstance(key, str) else key - 1
        if not 0 <= i < len(self.steps):
            raise LookupError(f"the kernel's side of step {key!r} was not seen on this "
                              "machine: " + (self.error or self.support.explanation))
        return self.steps[i]

    def kernel(self, side: str, key: int | str) -> State:
        """The connection's state by the kernel at the end of a step."""
        return self.step(key).last(side).state

    def history(self, side: str) -> list[State]:
        """The states the kernel showed for one side, in order, starting with CLOSED."""
        out = [State.CLOSED]
        for s in self.steps:
            for state in s.seen(side):
                if out[-1] is not state:
                    out.append(state)
        return out

    def predicted(self, side: str) -> list[State]:
        """tcplab's history of the same side over the same story."""
        return list(self.prediction.history(side))

    def unseen(self, side: str) -> list[State]:
        """States in tcplab's history of ``side`` that the kernel never showed (in order)."""
        seen = set(self.history(side))
        out: list[State] = []
        for s in self.predicted(side):
            if s not in seen and s not in out:
                out.append(s)
        return out

    def time_wait_left(self) -> float | None:
        """Seconds left on A's TIME-WAIT timer, the last time the kernel's table was read."""
        for s in reversed(self.steps):
            for o in reversed(s.a):
                if o.timer is not None:
                    return o.timer
        return None

    def look_again(self) -> str:
        """What the kernel's table says about A's connection now (TIME-WAIT ages, then goes)."""
        if self.replay:
            # what look_again() said when recorded is the recording's data, as it was
            return _("{replay} Just after the recorded story: {looked} Here the kernel's "
                     "table cannot be read again; on Linux the line ages and disappears once "
                     "TIME-WAIT's 60 s are over.").format(replay=say(self.replay),
                                                          looked=self._looked)
        if not self.steps or not self.support.table:
            return ("The kernel's table cannot be read on this machine: "
                    + (self.error or "see what real.support() says."))
        rows = [r for r in kernel_rows({self.client_port}, self.support.table)
                if r.remote == self.server_port]
        where = dict(loopback=LOOPBACK, client=self.client_port, server=self.server_port)
        if not rows:
            return _("A's connection ({loopback} port {client} → port {server}) is gone from "
                     "the kernel's table: its TIME-WAIT is over.").format(**where)
        r = rows[0]
        state = r.state or r.name
        if r.timer is None:
            return _("A's connection ({loopback} port {client} → port {server}) is in "
                     "{state} in the kernel's table.").format(state=state, **where)
        return _("A's connection ({loopback} port {client} → port {server}) is in {state} in "
                 "the kernel's table, {left} s left.").format(state=state,
                                                              left=f"{r.timer:.1f}", **where)

    def rows(self) -> str:
        """The kernel's own lines for A's connection at the end of the story."""
        if not self.steps:
            return ""
        return "\n".join(r.line for r in self.steps[-1].last("A").rows)

    # ---------------------------------------------------------------- the notes

    def notes(self) -> list[Note]:
        return list(self._notes)

    def _refs(self, i: int, side: str) -> str:
        return ", ".join(str(n.number) for n in self._notes if (i, side) in n.refs)

    # ---------------------------------------------------------------- showing

    HEAD = (N_("step"), N_("the programs"), "", N_("socket (TCP_INFO)"), N_("kernel's table"),
            N_("tcplab predicts"), N_("note"))

    def _rows(self) -> list[tuple[str, ...]]:
        rows = []
        for st in self.steps:
            for side in "AB":
                obs = st.side(side)
                socks = _chain(o.cells()[0] for o in obs)
                tables = _chain(o.cells()[1] for o in obs)
                first = side == "A"
                rows.append((str(st.index + 1) if first else "", _(st.story.sockets) if first
                             else "", side, socks, tables,
                             self.prediction.cell(st.index, side), self._refs(st.index, side)))
        return rows

    def caption(self) -> str:
        if not self.steps:
            return self.support.explanation
        source = "ss" if self.support.table == "ss" else self.support.table
        return (_("A recorded run of the kernel ({system}) and tcplab, step by step: A "
                  "(client, port {client}) and B (server, port {server}) on {loopback}; "
                  "kernel's table: {source}") if self.replay else
                _("The kernel of this machine ({system}) and tcplab, step by step: A (client, "
                  "port {client}) and B (server, port {server}) on {loopback}; kernel's "
                  "table: {source}")).format(
            system=self.support.system, client=self.client_port, server=self.server_port,
            loopback=LOOPBACK, source=source or _("not readable here"))

    def histories(self) -> str:
        """tcplab's history and the kernel's, aligned state by state."""
        lines = []
        for side in "AB":
            if not self.steps:
                lines.append(f"{side}  tcplab: " + " → ".join(map(str, self.predicted(side))))
                lines.append("   kernel: (not shown on this machine)")
                continue
            pred, kern = _align(self.predicted(side), self.history(side) if self.steps
                                else [])
            widths = [max(len(p), len(k)) for p, k in zip(pred, kern)]
            lines.append(f"{side}  tcplab: " + "   ".join(p.ljust(w) for p, w in
                                                          zip(pred, widths)).rstrip())
            lines.append("   kernel: " + "   ".join(k.ljust(w) for k, w in
                                                     zip(kern, widths)).rstrip())
        return "\n".join(lines)

    def table(self) -> str:
        if not self.steps:
            out = [self.support.explanation if not self.error else self.error, "",
                   self.prediction.table()]
            return "\n".join(out)
        out = [say(self.replay)] if self.replay else []
        out += [self.caption(), _text_table([_(h) for h in self.HEAD], self._rows())]
        if self.error:
            out.append(self.error)
        out += [f"{n.number}. {say(n.text)}" for n in self._notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        if not self.steps:
            return (f"<p>{html.escape(self.error or self.support.explanation)}</p>"
                    + self.prediction._repr_html_())
        head = [[(_("step"), 1, 2), (_("the programs"), 1, 2), ("", 1, 2),
                 (_("the kernel says"), 2, 1), (_("tcplab predicts"), 1, 2), (_("note"), 1, 2)],
                [_("socket (TCP_INFO)"), _("kernel's table")]]
        out = f"<p><b>{html.escape(say(self.replay))}</b></p>" if self.replay else ""
        out += _html_table(self.caption(), head, [list(r) for r in self._rows()], group=2)
        if self.error:
            out += f"<p>{html.escape(self.error)}</p>"
        items = "".join(f"<li value='{n.number}'>{html.escape(say(n.text))}</li>"
                        for n in self._notes)
        return out + f'<ol style="font-family:sans-serif;font-size:90%">{items}</ol>'
