"""The stories that show each cell, played by endpoints with a given table.

A story is a short run of two hosts, A (iss=x=100) and B (iss=y=300); each
cell of the matrix names the story in which one host passes through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ... import stories
from ...fsm import Event, IllegalEvent, State, Transition
from ...network import Network
from ...segment import Flag, Segment
from ...tables import PatchedTable
from ...text import N_, _
from ...trace import words
from .table import _transition, read_table


X, Y = stories.X, stories.Y      # the ISNs: x and y
OLD_X = 40               # the ISN of A's old, long-gone connection attempt
DELAY = 0.1
MSL = 5.0                # TIME-WAIT lasts 2MSL = 10 s: short stories, same rules
SEED = 9293
MAX_EVENTS = 400         # a story stops after this many network events
MAX_TIME = 600.0         # ... or at this virtual time


@dataclass(frozen=True)
class Story:
    """A short run of two hosts, A (iss=x=100) and B (iss=y=300), that passes through cells."""

    name: str                       # the key in STORIES (English; _(name) to show it)
    text: str                       # what happens, with {placeholders} (catalogued)
    drive: Callable[[Network, Any, Any], None] = field(repr=False)
    values: tuple = ()              # (name, value) pairs for the placeholders of text

    @property
    def description(self) -> str:
        """What happens: the English text (the catalogue's key, filled in, what code
        compares), which printed or formatted says itself in the language spoken (a
        :class:`~tcplab.trace.Words`), so that the homework's one code cell shows each
        edition its own words."""
        return words(self.text, **dict(self.values))

    @property
    def told(self) -> str:
        """What happens, in the language tcplab speaks."""
        return _(self.text).format(**dict(self.values))

    @property
    def title(self) -> str:
        """The story's name in the language tcplab speaks."""
        return _(self.name)


class _StoryNetwork(Network):
    """A network that counts the events of a story (a broken table may never settle)."""

    def __init__(self, **options):
        super().__init__(**options)
        self.events = 0
        self.notes: list[str] = []


def _run(net: _StoryNetwork, until: float | None = None) -> None:
    """Run to idle (or to ``until``), but never more than MAX_EVENTS events in a story."""
    limit = MAX_TIME if until is None else until
    while True:
        t = net.next_time()
        if t is None or t > limit or net.events >= MAX_EVENTS:
            break
        net.step()
        net.events += 1
    if until is not None and net.now < until and (net.next_time() is None
                                                  or net.next_time() > until):
        net.run(until=until)     # only moves the clock: nothing is due before until


def _call(host, name: str, *args) -> None:
    """An application call in a story; illegal in the state it meets: skipped (noted)."""
    try:
        getattr(host, name)(*args)
    except IllegalEvent as exc:
        host.network.notes.append(f"{host.name}.{name}() was refused: {exc}")


def _told(script: stories.Script) -> Callable[[Network, Any, Any], None]:
    """A lecture story (:mod:`tcplab.stories`), played with this module's bounded run and
    forgiving calls: a broken table must give a report, not hang or crash."""
    def drive(net, a, b) -> None:
        stories.play(net, script, run=_run, call=_call)
    return drive


def _old_syn(net, a, b) -> None:
    b.listen()
    net.inject(Segment("A", "B", Flag.SYN, OLD_X))
    _run(net)


_TO_THE_END = (("run",),)


#: The stories, by name; each cell of :data:`CELLS` names the one that shows it.
STORIES: dict[str, Story] = {s.name: s for s in (
    Story(N_("handshake"), N_("B listens, A connects: the three-way handshake."),
          _told(stories.opening(None))),
    Story(N_("old SYN"), N_("B listens; an old SYN of A's (seq={old_x}), from a connection "
                            "attempt long gone, arrives; A has no connection and refuses B's "
                            "answer."),
          _old_syn, (("old_x", OLD_X),)),
    Story(N_("four-way close"), N_("A and B connect; A closes at t=1 s, B at t=2 s; TIME-WAIT "
                                   "lasts 2MSL = {two_msl:g} s."),
          _told(stories.four_way_close("A")), (("two_msl", 2 * MSL),)),
    Story(N_("simultaneous close"), N_("A and B connect, then both close at t=1 s."),
          _told(stories.opening() + stories.SIMULTANEOUS_CLOSE + _TO_THE_END)),
    Story(N_("FIN+ACK in FIN-WAIT-1"), N_("A and B connect; A closes at t=1 s; B's ACK of A's "
                                          "FIN is lost, and B closes at once: its FIN+ACK also "
                                          "acknowledges A's FIN."), _told(stories.fin_ack_script() + _TO_THE_END)),
    Story(N_("lost last ACK"), N_("A and B connect; A closes at t=1 s, B at t=2 s, and A's "
                                  "last ACK is lost: B sends its FIN again."),
          _told(stories.lost_last_ack_script() + _TO_THE_END)),
)}


@dataclass
class StoryRun:
    """One story played by endpoints with a given table."""

    story: Story
    net: Network
    error: str = ""            # the endpoint failed: why (a student's table can do that)

    @property
    def histories(self) -> dict[str, list[State]]:
        return {name: list(h.history) for name, h in self.net.hosts.items()}

    @property
    def segments(self) -> list[str]:
        return [f"{s.src}→{s.dst} {s.describe()}" for _, s in self.net.sent]

    @property
    def finished(self) -> bool:
        return self.net.idle

    @property
    def notes(self) -> list[str]:
        """Application calls of the story that the table refused, and a failure, if any."""
        return list(self.net.notes) + ([_("the endpoint failed: {error}").format(
            error=self.error)]
                                       if self.error else [])

    def entered(self, host: str) -> list[tuple[float, State]]:
        """(time, state) for each state ``host`` entered, from the trace."""
        return [(r.time, r.state) for r in self.net.trace
                if r.kind == "state" and r.host == host]

    def path(self, host: str, times: bool = False) -> str:
        """The states ``host`` went through: "CLOSED → LISTEN → ..." (with entry times)."""
        if not times:
            return " → ".join(map(str, self.net.hosts[host].history))
        return " → ".join(["CLOSED"] + [f"{s} ({t:g} s)" for t, s in self.entered(host)])

    def ladder(self, title: str | None = None):
        """The ladder diagram of this run (:func:`tcplab.sequence_diagram`)."""
        from ...diagrams import sequence_diagram
        return sequence_diagram(self.net, "numeric", hosts=["A", "B"],
                                title=title or self.story.title, max_segments=None)


def _play(story: Story, cells: Mapping[tuple[State, Event], Transition | None]) -> StoryRun:
    net = _StoryNetwork(seed=SEED, delay=DELAY, msl=MSL)
    hosts = []
    for name, iss in (("A", X), ("B", Y)):
        hosts.append(net.host(name, iss=iss, time_wait=2 * MSL, table=PatchedTable(cells)))
    run = StoryRun(story, net)
    try:
        story.drive(net, *hosts)
    except Exception as exc:  # noqa: BLE001 - a broken table must give a report, not a crash
        run.error = f"{type(exc).__name__}: {exc}"
    return run


_EXPECTED: dict[str, StoryRun] = {}


def _expected(story: str) -> StoryRun:
    if story not in _EXPECTED:
        _EXPECTED[story] = _play(STORIES[story], {})
    return _EXPECTED[story]


def play(student: Any, story: str) -> Network:
    """Play ``story`` (a name in :data:`STORIES`) with *all* the student's cells, on both hosts.

    Returns the network, to look at: ``sequence_diagram(play(my_table, "handshake"))``.
    """
    if story not in STORIES:
        raise ValueError(f"no story called {story!r}; the stories: {', '.join(STORIES)}")
    table = read_table(student)
    cells = {key: _transition(key[0], key[1], g) for key, g in table.given.items()}
    return _play(STORIES[story], cells).net
